package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.discovery.InterfaceDiscovery;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.events.StatusEvent.Event;
import io.ifpulse.time.MonotonicClock;
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
  private final Consumer<StatusEvent> publish;
  /** Null until the first poll, discovery or registration says. */
  private Boolean reachable;
  /** The last discovery left nothing to poll. */
  private boolean noInterfaces;
  /** What cut the last discovery short, or null. */
  private String limitedWhy;
  /** The last word was that the host name does not resolve. */
  private boolean unresolvable;
  private boolean stopped;

  DeviceStatus(DeviceConfig config, Supplier<JsonObject> stats, Consumer<StatusEvent> publish) {
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
    // After "unresolvable" the name resolved: whatever comes next is news.
    boolean wasUnresolvable = unresolvable;
    unresolvable = false;
    if (!wasUnresolvable && reachable != null && reachable == now) return;
    boolean firstReport = reachable == null || wasUnresolvable;
    reachable = now;
    if (firstReport && now) return; // "discovered" says it
    LOG.info(config + (now ? ": reachable again" : ": unreachable (" + why + ")"));
    StatusEvent ev = event(now ? Event.REACHABLE : Event.UNREACHABLE);
    publish(why != null ? ev.withError(why) : ev);
  }

  /**
   * The device's host name does not resolve: it is not polled until it does. Said once per spell
   * (the name is looked up again at every tick); the first discovery after it says the rest.
   */
  void unresolvable(String why) {
    if (stopped || unresolvable) return;
    unresolvable = true;
    reachable = false;
    LOG.info(config + ": not polled, its host name does not resolve (" + why + ")");
    publish(event(Event.UNRESOLVABLE).withError(why));
  }

  /**
   * A discovery found {@code result}: announced the first time, when the interfaces changed, and
   * when what cut it short ended; then, while it holds, what cut it short ({@code limited}), so the
   * device's state follows every announcement of its interfaces.
   */
  void discovered(InterfaceDiscovery.Result result, InterfaceChanges changes, boolean first) {
    reachable(true, null);
    String limited = result.limited();
    boolean none = result.polled().isEmpty();
    boolean cleared = limitedWhy != null && limited == null && !none;
    boolean announce = first || changes.any() || cleared;
    if (announce) {
      StatusEvent ev = event(first ? Event.DISCOVERED : Event.INTERFACES_CHANGED)
          .withInterfaces(result.polled().stream().map(DeviceStatus::statusInterface).toList(), result.all().size());
      if (!first) ev = ev.withChanges(changes.added(), changes.removed());
      LOG.info(config + ": " + (first ? "discovered " : "interfaces changed, now ") + result.polled().size()
          + " of " + result.all().size() + " interfaces polled");
      publish(ev);
    }
    if (none && (announce || !noInterfaces)) {
      // Not polled until a discovery on schedule finds some: a filter that keeps nothing must not
      // cost a table walk per poll.
      String why = (result.all().isEmpty() ? "the agent lists no interfaces"
          : "the interface filter keeps none of the " + result.all().size() + " interfaces")
          + "; discovered again every " + config.discoveryIntervalMs() / 1000 + " s" + (limited != null ? "; " + limited : "");
      LOG.warning(config + ": nothing to poll: " + why);
      publish(event(Event.NO_INTERFACES).withError(why));
    } else if (!none && limited != null && (announce || !limited.equals(limitedWhy))) {
      LOG.warning(config + ": discovery limited: " + limited);
      publish(event(Event.LIMITED).withError(limited));
    }
    limitedWhy = limited;
    noInterfaces = none;
  }

  /** A notification said an interface went down or up (linkDown, linkUp). */
  void linkChanged(InterfaceInfo i, boolean down, String oper) {
    if (stopped) return;
    LOG.info(config + ": " + i.name() + " (ifIndex " + i.ifIndex() + ") " + (down ? "down" : "up") + ", says a notification");
    publish(event(down ? Event.LINK_DOWN : Event.LINK_UP).withLink(i.ifIndex(), i.name(), oper));
  }

  /** sysUpTime went back. */
  void restarted() {
    LOG.info(config + ": agent restarted (sysUpTime went back); rediscovering");
    publish(event(Event.RESTARTED));
  }

  /** A new event of this device, to add to and {@link #publish}. */
  StatusEvent event(Event event) {
    return StatusEvent.of(config.id(), Math.round(MonotonicClock.nowEpochMillis()), event, reachable != null && reachable,
        config.host(), config.port(), config.version().label, config.credentialsLabel());
  }

  /** With the poll statistics of the moment. */
  void publish(StatusEvent ev) {
    publish.accept(ev.withStats(stats.get()));
  }

  /** An interface as status events describe it (docs/EVENTS.md). */
  static StatusEvent.Interface statusInterface(InterfaceInfo i) {
    return new StatusEvent.Interface(i.ifIndex(), i.name(), i.descr(), i.alias(), i.type(), i.speedBps(), i.adminStatus(),
        i.operStatus(), i.hasHcCounters());
  }
}
