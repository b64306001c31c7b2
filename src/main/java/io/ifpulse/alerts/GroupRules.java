package io.ifpulse.alerts;

import io.ifpulse.config.AlertConfig;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.AlertEvent.Kind;
import io.ifpulse.events.AlertEvent.Severity;
import io.ifpulse.events.AlertEvent.State;
import io.ifpulse.events.GroupSample;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code utilisation} alert of interface groups as a pure state machine: group samples
 * ({@code ifpulse.group.<name>}) in, raise and clear events out. The rule is the interface's
 * ({@link AlertRules}): the larger of {@code inUtil} and {@code outUtil} at or above the raise
 * level in every sample from the first such one to one at least {@code forSeconds} later raises;
 * below the clear level for {@code clearForSeconds} clears; in between nothing changes. The levels
 * are the group's own ({@link GroupConfig#alerts()}) or the global ones.
 *
 * <p>A {@code partial} sample is skipped like an interface's gap: it neither raises nor clears, nor
 * starts or ends a wait. Its totals lack the missing members' share, so a member that falls silent
 * would otherwise clear an alert by lowering the total. A sample without a utilisation (a member
 * without a speed) is skipped too. Time is the sample's {@code ts}, never a clock.
 *
 * <p>Not thread-safe: one instance per consumer, fed from one event loop.
 */
public final class GroupRules {
  static final String REMOVED = "removed";
  private static final long NONE = Long.MIN_VALUE;

  private final AlertConfig global;
  private final Map<String, AlertConfig> thresholds = new HashMap<>();
  private final Map<String, Track> groups = new HashMap<>();

  public GroupRules(AlertConfig global, List<GroupConfig> configs) {
    this.global = global;
    for (GroupConfig g : configs) thresholds.put(g.name(), g.alertsOr(global));
  }

  /** A group created or changed at run time: its levels apply from its next sample. */
  public void configure(GroupConfig g) {
    thresholds.put(g.name(), g.alertsOr(global));
  }

  /** One group's utilisation alert, raised or on its way to being raised. */
  private static final class Track {
    long lastTs = NONE;
    /** Counts the changes a new owner must know (as {@link AlertRules#version}). */
    long version;
    boolean raised;
    AlertEvent raise;
    /** First sample of the condition now being waited for; NONE when it does not hold. */
    long pendingSince = NONE;
    Severity severity;
    double lastValue = Double.NaN;
  }

  private AlertConfig config(String group) {
    return thresholds.getOrDefault(group, global);
  }

  /** Feeds one group sample; returns the raise or clear it completed, if any. */
  public List<AlertEvent> onSample(GroupSample s) {
    Track t = groups.computeIfAbsent(s.group(), g -> new Track());
    // A duplicate, or the old computing node's last word after a move: ts says nothing new.
    if (s.ts() <= t.lastTs) return List.of();
    t.lastTs = s.ts();
    if (s.partial()) return List.of();
    double util = max(s.inUtil(), s.outUtil());
    if (Double.isNaN(util)) return List.of();
    AlertConfig c = config(s.group());
    t.lastValue = util;
    boolean waitingFor = t.raised ? util < c.utilisationClearPct() : util >= c.utilisationPct();
    if (!waitingFor) {
      if (t.pendingSince != NONE) t.version++;
      t.pendingSince = NONE;
      return List.of();
    }
    if (t.pendingSince == NONE) {
      t.pendingSince = s.ts();
      t.version++;
    }
    if (s.ts() - t.pendingSince < (t.raised ? c.clearForSeconds() : c.forSeconds()) * 1000L) return List.of();
    long since = t.pendingSince;
    t.pendingSince = NONE;
    t.raised = !t.raised;
    t.version++;
    if (t.raised) t.severity = util >= AlertRules.CRITICAL_UTILISATION_PCT ? Severity.CRITICAL : Severity.WARNING;
    AlertEvent e = AlertEvent.ofGroup(s.group(), Kind.UTILISATION, t.raised ? State.RAISED : State.CLEARED, t.severity, util,
        t.raised ? c.utilisationPct() : c.utilisationClearPct(), since, s.ts(), null);
    t.raise = t.raised ? e : null;
    return List.of(e);
  }

  /**
   * A group that left the hub: its raised alert is cleared ({@code reason: "removed"}, stamped
   * {@code atMs}) and its state forgotten.
   */
  public List<AlertEvent> forget(String group, long atMs) {
    Track t = groups.remove(group);
    AlertConfig c = config(group);
    thresholds.remove(group);
    if (t == null || !t.raised) return List.of();
    return List.of(removedClear(t.raise, c.utilisationClearPct(), atMs));
  }

  /** The clear, with reason {@code removed}, of the alert {@code raise} raised. */
  static AlertEvent removedClear(AlertEvent raise, double clearPct, long atMs) {
    return AlertEvent.ofGroup(raise.group(), raise.kind(), State.CLEARED, raise.severity(), raise.value(), clearPct, atMs, atMs,
        REMOVED);
  }

  /**
   * Drops a group's state without a word: another node computes it now and goes on from the
   * state this one saved (the alert stays raised, and that node clears it).
   */
  public void handedOver(String group) {
    groups.remove(group);
  }

  /** Whether this instance holds any state of the group. */
  public boolean knows(String group) {
    return groups.containsKey(group);
  }

  /** As {@link AlertRules#version}: changes worth saving for the next node; -1 for a group never seen. */
  public long version(String group) {
    Track t = groups.get(group);
    return t == null ? -1 : t.version;
  }

  /** The {@code ts} of the group's newest sample seen, or {@link Long#MIN_VALUE}. */
  public long lastTs(String group) {
    Track t = groups.get(group);
    return t == null ? NONE : t.lastTs;
  }

  /** The group's state as JSON, for {@link #importState}; null for a group never seen. */
  public JsonObject exportState(String group) {
    Track t = groups.get(group);
    if (t == null) return null;
    return new JsonObject().put("lastTs", t.lastTs).put("raised", t.raised)
        .put("pendingSince", t.pendingSince == NONE ? null : t.pendingSince)
        .put("severity", t.severity == null ? null : t.severity.name())
        .put("lastValue", Double.isNaN(t.lastValue) ? null : t.lastValue)
        .put("raise", t.raise == null ? null : t.raise.toJson());
  }

  /** Replaces the group's state with one {@link #exportState exported} elsewhere. */
  public void importState(String group, JsonObject state) {
    Track t = new Track();
    t.lastTs = state.getLong("lastTs", NONE);
    t.raised = state.getBoolean("raised", false);
    Long since = state.getLong("pendingSince");
    t.pendingSince = since == null ? NONE : since;
    String severity = state.getString("severity");
    t.severity = severity == null ? null : Severity.valueOf(severity);
    Double last = state.getDouble("lastValue");
    t.lastValue = last == null ? Double.NaN : last;
    JsonObject raise = state.getJsonObject("raise");
    t.raise = raise == null ? null : AlertEvent.fromJson(raise);
    if (t.raised && t.raise == null) t.raised = false; // nothing to clear it with: start over
    Track before = groups.put(group, t);
    t.version = before == null ? 0 : before.version + 1;
  }

  /** The raise event of the alert raised in an exported state, if any. */
  public static List<AlertEvent> raisedIn(JsonObject state) {
    List<AlertEvent> out = new ArrayList<>();
    if (state != null && state.getBoolean("raised", false) && state.getJsonObject("raise") != null) {
      out.add(AlertEvent.fromJson(state.getJsonObject("raise")));
    }
    return out;
  }

  private static double max(double a, double b) {
    if (Double.isNaN(a)) return b;
    if (Double.isNaN(b)) return a;
    return Math.max(a, b);
  }
}
