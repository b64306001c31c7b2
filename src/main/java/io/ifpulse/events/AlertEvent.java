package io.ifpulse.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One raise or clear of an alert, as published on {@code ifpulse.alerts} (shape in
 * docs/EVENTS.md). An alert is identified by device, ifIndex and kind; its raise and its clear
 * carry the same {@link #id()}. Published as the record itself, like {@link TrafficSample}; other
 * nodes and browsers receive its JSON.
 *
 * @param name the interface name at the time of the event
 * @param severity decided when the alert is raised; its clear repeats it, so the pair matches
 * @param value what was measured: a {@link Double} (%, errors/s, discards/s) or, for
 *     {@code oper-down}, the ifOperStatus {@link String}
 * @param threshold what the value was compared with: the raise level for a raise, the clear level
 *     for a clear, {@code "up"} for {@code oper-down}
 * @param since epoch ms of the first sample in which this event's condition held (the raise
 *     condition for a raise, the clear condition for a clear)
 * @param ts epoch ms of the sample that completed the condition
 * @param reason null for a measured change; {@code "removed"} for a clear because the interface
 *     left the device (or its ifIndex now names another interface), or the device (or the group)
 *     left the hub
 * @param group for an alert of an interface group: the group's name, and then {@code device} is
 *     null, {@code ifIndex} 0 and {@code name} the group's name; null for an interface's alert.
 *     Exactly one of {@code device} and {@code group} is set.
 */
public record AlertEvent(
    String device,
    int ifIndex,
    String name,
    Kind kind,
    State state,
    Severity severity,
    Object value,
    Object threshold,
    long since,
    long ts,
    String reason,
    String group) {

  public enum Kind {
    UTILISATION("utilisation"),
    ERRORS("errors"),
    DISCARDS("discards"),
    OPER_DOWN("oper-down");

    public final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  public enum State {
    RAISED("raised"),
    CLEARED("cleared");

    public final String label;

    State(String label) {
      this.label = label;
    }
  }

  public enum Severity {
    WARNING("warning"),
    CRITICAL("critical");

    public final String label;

    Severity(String label) {
      this.label = label;
    }
  }

  public AlertEvent {
    if ((device == null) == (group == null)) {
      throw new IllegalArgumentException("an alert is of a device or of a group: device " + device + ", group " + group);
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(severity, "severity");
  }

  /** An interface's alert. */
  public AlertEvent(String device, int ifIndex, String name, Kind kind, State state, Severity severity, Object value,
      Object threshold, long since, long ts, String reason) {
    this(device, ifIndex, name, kind, state, severity, value, threshold, since, ts, reason, null);
  }

  /** A group's alert: no device, ifIndex 0, the group's name as its name. */
  public static AlertEvent ofGroup(String group, Kind kind, State state, Severity severity, Object value, Object threshold,
      long since, long ts, String reason) {
    return new AlertEvent(null, 0, group, kind, state, severity, value, threshold, since, ts, reason, group);
  }

  public static String id(String device, int ifIndex, Kind kind) {
    return device + "/" + ifIndex + "/" + kind.label;
  }

  /**
   * A group alert's id. The prefix keeps it apart from any device's: a device id may hold a colon
   * but a device alert's id has three parts, this one two.
   */
  public static String groupId(String group, Kind kind) {
    return "group:" + group + "/" + kind.label;
  }

  public String id() {
    return group != null ? groupId(group, kind) : id(device, ifIndex, kind);
  }

  /** As JSON (docs/EVENTS.md), by the one encoder: {@link EventJson}. */
  public JsonObject toJson() {
    return EventJson.toJson(this);
  }

  /** From the documented JSON, by the one decoder: {@link EventJson}. */
  public static AlertEvent fromJson(JsonObject json) {
    return EventJson.alert(json);
  }

  /** For the log: one line a person can act on. */
  @Override
  public String toString() {
    String what;
    if (reason != null) what = (group != null ? "group " : "interface ") + reason;
    else if (kind == Kind.OPER_DOWN) what = "ifOperStatus " + value;
    else what = value + (kind == Kind.UTILISATION ? " %" : "/s") + (state == State.RAISED ? " >= " : " < ") + threshold;
    return id() + " (" + name + ") " + state.label + " " + severity.label + ": " + what + ", since "
        + Instant.ofEpochMilli(since);
  }
}
