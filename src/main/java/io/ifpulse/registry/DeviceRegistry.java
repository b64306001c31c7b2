package io.ifpulse.registry;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The devices the hub (or the cluster) polls: those of the config file, overlaid with what was
 * added, changed or removed at run time. The config seeds it; the overlay wins for the ids it
 * names. Thread-safe: read from any verticle, changed through the REST API of any node.
 */
public final class DeviceRegistry {
  private static final Logger LOG = Logger.getLogger(DeviceRegistry.class.getName());

  private final List<DeviceConfig> configured;
  private final JsonObject defaults;
  private final Map<String, String> env;
  private final OverlayStore store;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile List<DeviceConfig> effective;

  /** A registry of exactly these devices, changed only in memory (tests, tools). */
  public static DeviceRegistry fixed(List<DeviceConfig> devices) {
    return new DeviceRegistry(devices, new JsonObject(), Map.of(), new InMemoryOverlay());
  }

  private static final class InMemoryOverlay implements OverlayStore {
    private final Map<String, JsonObject> overlay = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<String, JsonObject>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, JsonObject> snapshot() {
      return new LinkedHashMap<>(overlay);
    }

    @Override
    public Future<Void> put(String id, JsonObject entry) {
      overlay.put(id, entry);
      listeners.forEach(l -> l.accept(id, entry));
      return Future.succeededFuture();
    }

    @Override
    public void onChange(java.util.function.BiConsumer<String, JsonObject> listener) {
      listeners.add(listener);
    }
  }

  public DeviceRegistry(List<DeviceConfig> configured, JsonObject defaults, Map<String, String> env, OverlayStore store) {
    this.configured = List.copyOf(configured);
    this.defaults = defaults;
    this.env = env;
    this.store = store;
    this.effective = compute();
    store.onChange((id, entry) -> {
      effective = compute();
      LOG.info("device " + id + (OverlayStore.DELETED.equals(entry) ? " removed" : " added or changed") + " at run time");
      listeners.forEach(l -> l.accept(id));
    });
  }

  public List<DeviceConfig> devices() {
    return effective;
  }

  public DeviceConfig device(String id) {
    for (DeviceConfig d : effective) if (d.id().equals(id)) return d;
    return null;
  }

  /** Called (on any thread) with the id of a device added, changed or removed. */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Validates and stores an entry; fails with the ConfigException naming field and value. */
  public Future<DeviceConfig> put(JsonObject entry) {
    DeviceConfig parsed;
    try {
      parsed = ConfigLoader.device(entry, defaults, env);
      ConfigLoader.checkV3User(parsed, effective, "device");
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return store.put(parsed.id(), entry.copy()).map(parsed);
  }

  /** Removes a device; false when there is no such device. */
  public Future<Boolean> remove(String id) {
    if (device(id) == null) return Future.succeededFuture(false);
    return store.put(id, OverlayStore.DELETED).map(true);
  }

  private List<DeviceConfig> compute() {
    Map<String, DeviceConfig> out = new LinkedHashMap<>();
    for (DeviceConfig d : configured) out.put(d.id(), d);
    for (Map.Entry<String, JsonObject> e : store.snapshot().entrySet()) {
      if (OverlayStore.DELETED.equals(e.getValue())) {
        out.remove(e.getKey());
        continue;
      }
      try {
        out.put(e.getKey(), ConfigLoader.device(e.getValue(), defaults, env));
      } catch (ConfigException bad) {
        // An entry that no longer validates (the defaults changed) is skipped, loudly.
        LOG.warning("registry entry " + e.getKey() + " ignored: " + bad.getMessage());
      }
    }
    return List.copyOf(new ArrayList<>(out.values()));
  }
}
