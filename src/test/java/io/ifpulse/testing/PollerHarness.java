package io.ifpulse.testing;

import io.ifpulse.events.EventJson;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.config.PollerConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.poll.DeviceOwnership;
import io.ifpulse.poll.PollerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs the real poller verticle on a fresh Vert.x against the devices of a JSON config, and records
 * every message it publishes as the JSON other nodes and browsers receive (written by the events'
 * one encoder, {@link EventJson}).
 */
public final class PollerHarness implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, List<JsonObject>> traffic = new ConcurrentHashMap<>();
  private final Map<String, List<JsonObject>> status = new ConcurrentHashMap<>();

  private PollerHarness() {}

  /** Parses {"devices": [...]} (plus optional "defaults"/"poller") and starts polling them. */
  public static PollerHarness start(JsonObject config) {
    HubConfig hub = ConfigLoader.parse(config, Map.of());
    return start(hub.devices(), hub.poller(), io.ifpulse.poll.HandoverStore.none());
  }

  public static PollerHarness start(List<DeviceConfig> devices, int maxInFlightTotal) {
    return start(devices, maxInFlightTotal, io.ifpulse.poll.HandoverStore.none());
  }

  /** Polls as a cluster node would: leaving and taking hand-over state in {@code handover}. */
  public static PollerHarness start(List<DeviceConfig> devices, int maxInFlightTotal, io.ifpulse.poll.HandoverStore handover) {
    return start(devices, PollerConfig.defaults().withMaxInFlight(maxInFlightTotal), handover);
  }

  public static PollerHarness start(List<DeviceConfig> devices, PollerConfig poller, io.ifpulse.poll.HandoverStore handover) {
    PollerHarness h = new PollerHarness();
    for (DeviceConfig d : devices) {
      List<JsonObject> t = new CopyOnWriteArrayList<>();
      List<JsonObject> s = new CopyOnWriteArrayList<>();
      h.traffic.put(d.id(), t);
      h.status.put(d.id(), s);
      h.vertx.eventBus().consumer(Addresses.traffic(d.id()), m -> t.add(EventJson.toJson(m.body())));
      h.vertx.eventBus().consumer(Addresses.status(d.id()), m -> s.add(EventJson.toJson(m.body())));
    }
    h.vertx.deployVerticle(new PollerVerticle(io.ifpulse.registry.DeviceRegistry.fixed(devices), DeviceOwnership.everything(), poller, handover)).await();
    return h;
  }

  public Vertx vertx() {
    return vertx;
  }

  public List<JsonObject> samples(String device) {
    return new ArrayList<>(traffic.get(device));
  }

  public List<JsonObject> statuses(String device) {
    return new ArrayList<>(status.get(device));
  }

  /** Waits (bounded) for a status event of the given kind and returns it. */
  public JsonObject awaitStatus(String device, String event, Duration timeout) {
    return await(() -> statuses(device), m -> event.equals(m.getString("event")), timeout,
        "status '" + event + "' of " + device);
  }

  /** Waits (bounded) until the device has published at least n samples; returns them all. */
  public List<JsonObject> awaitSamples(String device, int n, Duration timeout) {
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
          .until(() -> samples(device), s -> s.size() >= n);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("only " + samples(device).size() + " of " + n + " samples of " + device + " within " + timeout
          + "; statuses: " + statuses(device));
    }
  }

  private static JsonObject await(java.util.function.Supplier<List<JsonObject>> source, Predicate<JsonObject> p,
      Duration timeout, String what) {
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
          .until(() -> source.get().stream().filter(p).findFirst().orElse(null), java.util.Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no " + what + " within " + timeout + "; got " + source.get());
    }
  }

  /** The entry of one interface (by name) in a sample, or null. */
  public static JsonObject iface(JsonObject sample, String name) {
    JsonArray a = sample.getJsonArray("interfaces");
    for (int i = 0; i < a.size(); i++) {
      if (name.equals(a.getJsonObject(i).getString("name"))) return a.getJsonObject(i);
    }
    return null;
  }

  public static JsonObject ifIndex(JsonObject sample, int ifIndex) {
    JsonArray a = sample.getJsonArray("interfaces");
    for (int i = 0; i < a.size(); i++) {
      if (a.getJsonObject(i).getInteger("ifIndex") == ifIndex) return a.getJsonObject(i);
    }
    return null;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
