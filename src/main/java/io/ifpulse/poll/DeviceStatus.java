package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.discovery.InterfaceDiscovery;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The status events of one device (docs/EVENTS.md, {@code ifpulse.status.<device>}): whether it is
 * reachable, and what discovery and restarts changed. Only changes are said, each with the poll
 * statistics of the moment, and nothing once the device's poller has stopped.
 */
final class DeviceStatus {
  private static final Logger LOG = Logger.getLogger(DeviceStatus.class.getName());

  private final DeviceConfig config;
  private final Supplier<JsonObject> stats;
  private final Consumer<JsonObject> publish;
  /** Null until the first poll, discovery or registration says. */
  private Boolean reachable;
  private boolean stopped;

  DeviceStatus(DeviceConfig config, Supplier<JsonObject> stats, Consumer<JsonObject> publish) {
    this.config = config;
    this.stats = stats;
    this.publish = publish;
  }

  /** Whether anything has said yet if the device is reachable. */
  boolean known() {
    return reachable != null;
  }

  /** Taken over from another node, which saw it answer: nothing to announce. */
  void continued() {
    reachable = true;
  }

  void stop() {
    stopped = true;
  }

  /** The device is (or is not, and why) reachable; announced when that changes. */
  void reachable(boolean now, String why) {
    // A discovery still in flight when the poller was stopped (device changed or removed) says nothing.
    if (stopped) return;
    if (reachable != null && reachable == now) return;
    boolean firstReport = reachable == null;
    reachable = now;
    if (firstReport && now) return; // "discovered" says it
    LOG.info(config + (now ? ": reachable again" : ": unreachable (" + why + ")"));
    JsonObject ev = event(now ? "reachable" : "unreachable");
    if (why != null) ev.put("error", why);
    publish(ev);
  }

  /** A discovery found {@code result}: announced the first time, and when the interfaces changed. */
  void discovered(InterfaceDiscovery.Result result, InterfaceChanges changes, boolean first) {
    reachable(true, null);
    if (!first && !changes.any()) return;
    JsonObject ev = event(first ? "discovered" : "interfaces-changed")
        .put("interfaces", new JsonArray(result.polled().stream().map(InterfaceInfo::toJson).toList()))
        .put("discovered", result.all().size());
    if (!first) ev.put("added", new JsonArray(changes.added())).put("removed", new JsonArray(changes.removed()));
    LOG.info(config + ": " + (first ? "discovered " : "interfaces changed, now ") + result.polled().size()
        + " of " + result.all().size() + " interfaces polled");
    publish(ev);
  }

  /** sysUpTime went back. */
  void restarted() {
    LOG.info(config + ": agent restarted (sysUpTime went back); rediscovering");
    publish(event("restarted"));
  }

  /** A new event of this device, to add to and {@link #publish}. */
  JsonObject event(String event) {
    return new JsonObject()
        .put("device", config.id())
        .put("ts", Math.round(MonotonicClock.nowEpochMillis()))
        .put("event", event)
        .put("reachable", reachable != null && reachable)
        .put("host", config.host())
        .put("port", config.port())
        .put("version", config.version().label)
        .put("credentials", config.credentialsLabel());
  }

  void publish(JsonObject ev) {
    ev.put("stats", stats.get());
    publish.accept(ev);
  }
}
