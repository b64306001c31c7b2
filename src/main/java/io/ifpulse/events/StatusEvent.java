package io.ifpulse.events;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A change of a device's state, as published on {@code ifpulse.status.<deviceId>}
 * (docs/EVENTS.md): never one per poll. Published as the record itself, like {@link
 * TrafficSample}; other nodes and browsers receive its JSON.
 *
 * @param reachable the device's state after the event
 * @param version the SNMP version's label; null on a node without the device's credential (the
 *     JSON then leaves it out)
 * @param credentials the credential's name, or {@code (inline)}; never a secret
 * @param error with {@link Event#UNREACHABLE}, {@link Event#UNRESOLVABLE}, {@link Event#LIMITED} and
 *     {@link Event#NO_INTERFACES}: what went wrong, or why; else null
 * @param interfaces with {@link Event#DISCOVERED} and {@link Event#INTERFACES_CHANGED}: the polled
 *     interfaces; else null
 * @param discovered with {@code interfaces}: how many the agent has before filtering
 * @param added with {@link Event#INTERFACES_CHANGED}: the ifIndexes added; else null
 * @param removed with {@link Event#INTERFACES_CHANGED}: the ifIndexes removed; else null
 * @param stats the device's poll statistics (docs/EVENTS.md, "Poll statistics"), shared: read,
 *     don't change; null when the node that says it does not poll the device
 * @param ifIndex with {@link Event#LINK_DOWN} and {@link Event#LINK_UP}: the interface; else 0
 * @param ifName with those: its name; else null
 * @param oper with those: its ifOperStatus as the notification says it; else null
 */
public record StatusEvent(String device, long ts, Event event, boolean reachable, String host, int port, String version,
    String credentials, String error, List<Interface> interfaces, int discovered, List<Integer> added, List<Integer> removed,
    JsonObject stats, int ifIndex, String ifName, String oper) {

  public StatusEvent {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(event, "event");
  }

  public enum Event {
    DISCOVERED("discovered"),
    INTERFACES_CHANGED("interfaces-changed"),
    RESTARTED("restarted"),
    UNREACHABLE("unreachable"),
    REACHABLE("reachable"),
    NO_CREDENTIALS("no-credentials"),
    UNRESOLVABLE("unresolvable"),
    LIMITED("limited"),
    NO_INTERFACES("no-interfaces"),
    LINK_DOWN("link-down"),
    LINK_UP("link-up");

    public final String label;

    Event(String label) {
      this.label = label;
    }
  }

  /**
   * One interface as discovery found it.
   *
   * @param type the ifType number
   * @param speedBps 0 when unknown
   * @param hc whether it has 64-bit (HC) counters
   */
  public record Interface(int ifIndex, String name, String descr, String alias, int type, long speedBps, String admin, String oper,
      boolean hc) {

    /** As JSON, by the one encoder: {@link EventJson}. */
    public JsonObject toJson() {
      return EventJson.toJson(this);
    }
  }

  /** A plain event: no error, interfaces or statistics yet ({@code with...} adds them). */
  public static StatusEvent of(String device, long ts, Event event, boolean reachable, String host, int port, String version,
      String credentials) {
    return new StatusEvent(device, ts, event, reachable, host, port, version, credentials, null, null, 0, null, null, null, 0, null, null);
  }

  public StatusEvent withError(String why) {
    return new StatusEvent(device, ts, event, reachable, host, port, version, credentials, why, interfaces, discovered, added, removed,
        stats, ifIndex, ifName, oper);
  }

  public StatusEvent withInterfaces(List<Interface> polled, int all) {
    return new StatusEvent(device, ts, event, reachable, host, port, version, credentials, error, List.copyOf(polled), all, added,
        removed, stats, ifIndex, ifName, oper);
  }

  public StatusEvent withChanges(List<Integer> addedIndexes, List<Integer> removedIndexes) {
    return new StatusEvent(device, ts, event, reachable, host, port, version, credentials, error, interfaces, discovered,
        List.copyOf(addedIndexes), List.copyOf(removedIndexes), stats, ifIndex, ifName, oper);
  }

  public StatusEvent withStats(JsonObject pollStats) {
    return new StatusEvent(device, ts, event, reachable, host, port, version, credentials, error, interfaces, discovered, added,
        removed, pollStats, ifIndex, ifName, oper);
  }

  /** A link-state change of one interface, as a notification said it ({@link Event#LINK_DOWN}, {@link Event#LINK_UP}). */
  public StatusEvent withLink(int index, String name, String operStatus) {
    return new StatusEvent(device, ts, event, reachable, host, port, version, credentials, error, interfaces, discovered, added,
        removed, stats, index, name, operStatus);
  }

  /** As JSON (docs/EVENTS.md), by the one encoder: {@link EventJson}. */
  public JsonObject toJson() {
    return EventJson.toJson(this);
  }

  /** From the documented JSON, by the one decoder: {@link EventJson}. */
  public static StatusEvent fromJson(JsonObject json) {
    return EventJson.status(json);
  }
}
