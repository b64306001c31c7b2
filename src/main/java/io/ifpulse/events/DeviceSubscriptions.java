package io.ifpulse.events;

import io.ifpulse.registry.DeviceRegistry;
import io.vertx.core.Context;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps something per device in step with the registry: {@code attach} runs for every device
 * that appears, {@code detach} for every one that goes, both on the owning verticle's context.
 * The event bus has no wildcard subscription, so every consumer of per-device addresses needs
 * exactly this.
 */
public final class DeviceSubscriptions {
  private final DeviceRegistry registry;
  private final Consumer<String> attach;
  private final Consumer<String> detach;
  private final Set<String> attached = new HashSet<>();

  public DeviceSubscriptions(DeviceRegistry registry, Consumer<String> attach, Consumer<String> detach) {
    this.registry = registry;
    this.attach = attach;
    this.detach = detach;
  }

  /** Attaches the current devices now and follows changes on {@code context}. */
  public void start(Context context) {
    reconcile();
    registry.onChange(id -> context.runOnContext(v -> reconcile()));
  }

  private void reconcile() {
    Set<String> now = new java.util.LinkedHashSet<>(); // registry order
    registry.devices().forEach(d -> now.add(d.id()));
    for (String id : Set.copyOf(attached)) {
      if (!now.contains(id)) {
        attached.remove(id);
        detach.accept(id);
      }
    }
    for (String id : now) {
      if (attached.add(id)) attach.accept(id);
    }
  }
}
