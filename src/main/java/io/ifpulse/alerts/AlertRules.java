package io.ifpulse.alerts;

import io.ifpulse.config.AlertConfig;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.AlertEvent.Kind;
import io.ifpulse.events.AlertEvent.Severity;
import io.ifpulse.events.AlertEvent.State;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.TrafficSample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert rules as a pure state machine: traffic samples ({@code ifpulse.traffic.<device>}) in,
 * raise and clear events out. Time is the sample's {@code ts}, never a clock, so the same samples
 * always give the same events, wherever and however late they are replayed.
 *
 * <p>Per (device, ifIndex, kind):
 *
 * <ul>
 *   <li>{@code utilisation}, {@code errors}, {@code discards}: raised when the value is at or above
 *       the raise level in every measured sample from the first such sample to one at least
 *       {@code forSeconds} later; cleared the same way below the (lower) clear level for
 *       {@code clearForSeconds}. Between the two levels nothing changes.
 *   <li>{@code oper-down}: raised at once when an interface seen {@code up} reports anything else,
 *       cleared at once when it is {@code up} again.
 * </ul>
 *
 * <p>An interface whose {@code state} is {@code gap} is skipped: no rate is known, and its oper
 * status may be a placeholder for an unanswered request. Skipping it neither restarts nor completes
 * a {@code forSeconds} wait: the first rate after a {@code no-data} gap covers the missed time, so
 * it is the evidence for that time. An interface missing from a sample of a reachable device has
 * left it; its alerts clear with reason {@code removed}. So do those of an ifIndex that now names
 * another interface (agents renumber after a restart).
 *
 * <p>Not thread-safe: one instance per consumer, fed from one event loop.
 */
public final class AlertRules {
  static final double CRITICAL_UTILISATION_PCT = 98;
  private static final String UP = "up";
  private static final String REMOVED = "removed";
  private static final long NONE = Long.MIN_VALUE;

  private final AlertConfig config;
  private final long raiseAfterMs;
  private final long clearAfterMs;
  private final Map<String, Device> devices = new HashMap<>();

  public AlertRules(AlertConfig config) {
    this.config = config;
    this.raiseAfterMs = config.forSeconds() * 1000L;
    this.clearAfterMs = config.clearForSeconds() * 1000L;
  }

  private static final class Device {
    long lastTs = NONE;
    /** Counts the changes a new owner must know; see {@link #version(String)}. */
    long version;
    /** Sorted so that removals come out in a stable order. */
    final Map<Integer, Interface> interfaces = new TreeMap<>();
  }

  private static final class Interface {
    String name;
    /** From the last measured (non-gap) sample. */
    String oper;
    /** ts of the last sample that listed this interface: the ones not listed have left. */
    long seenTs = NONE;
    final Map<Kind, Track> tracks = new EnumMap<>(Kind.class);
  }

  /** One alert, raised or on its way to being raised. */
  private static final class Track {
    boolean raised;
    /** The raise event while raised: what an alert list shows for it. */
    AlertEvent raise;
    /**
     * First sample of the condition now being waited for: the raise condition while not raised,
     * the clear condition while raised; NONE when that condition does not hold.
     */
    long pendingSince = NONE;
    Severity severity;
    Object lastValue;
  }

  /** Feeds one traffic sample; returns the alerts it raised and cleared, in a stable order. */
  public List<AlertEvent> onSample(TrafficSample sample) {
    String device = sample.device();
    long ts = sample.ts();
    Device dev = devices.computeIfAbsent(device, k -> new Device());
    // The bus can deliver a message twice, and seq starts again at 1 when another node takes over
    // polling; ts keeps increasing across both, and a sample not newer than the last says nothing.
    if (ts <= dev.lastTs) return List.of();
    dev.lastTs = ts;

    List<AlertEvent> out = new ArrayList<>();
    int seen = 0; // distinct interfaces of this sample, to skip the search for the ones that left
    List<InterfaceSample> interfaces = sample.interfaces();
    for (int k = 0, count = interfaces.size(); k < count; k++) {
      InterfaceSample f = interfaces.get(k);
      int ifIndex = f.ifIndex();
      String name = f.name();
      Interface itf = dev.interfaces.get(ifIndex);
      if (itf != null && name != null && itf.name != null && !name.equals(itf.name)) {
        clearAll(device, ifIndex, itf, ts, out);
        if (itf.seenTs == ts) seen--; // listed twice in this sample: its replacement counts instead
        itf = null;
      }
      if (itf == null) {
        itf = new Interface();
        dev.interfaces.put(ifIndex, itf);
      }
      if (itf.seenTs != ts) seen++;
      itf.seenTs = ts;
      if (name != null && !name.equals(itf.name)) {
        itf.name = name;
        dev.version++;
      }
      if (f.isGap()) continue;
      measure(device, ifIndex, itf, f, ts, out);
    }
    // An unreachable device's sample says nothing about which interfaces it has.
    if (seen < dev.interfaces.size() && sample.reachable()) {
      for (Iterator<Map.Entry<Integer, Interface>> it = dev.interfaces.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Integer, Interface> e = it.next();
        if (e.getValue().seenTs == ts) continue;
        clearAll(device, e.getKey(), e.getValue(), ts, out);
        it.remove();
        dev.version++;
      }
    }
    return out;
  }

  private void measure(String device, int ifIndex, Interface itf, InterfaceSample f, long ts, List<AlertEvent> out) {
    // A rate the sample does not have is NaN (docs/EVENTS.md: absent is unknown, not 0).
    double util = max(f.inUtil(), f.outUtil());
    if (!Double.isNaN(util)) {
      threshold(device, ifIndex, itf, Kind.UTILISATION, util, config.utilisationPct(), config.utilisationClearPct(), ts, out);
    }
    if (config.errorsPerSecond() > 0) {
      double errors = sum(f.inErrors(), f.outErrors());
      if (!Double.isNaN(errors)) {
        threshold(device, ifIndex, itf, Kind.ERRORS, errors, config.errorsPerSecond(), config.errorsPerSecond() / 2, ts, out);
      }
    }
    if (config.discardsPerSecond() > 0) {
      double discards = sum(f.inDiscards(), f.outDiscards());
      if (!Double.isNaN(discards)) {
        threshold(device, ifIndex, itf, Kind.DISCARDS, discards, config.discardsPerSecond(), config.discardsPerSecond() / 2, ts, out);
      }
    }
    if (config.operStatus() && f.oper() != null) {
      operStatus(device, ifIndex, itf, f.oper(), ts, out);
    }
  }

  private void threshold(String device, int ifIndex, Interface itf, Kind kind, double value, double raiseAt,
      double clearBelow, long ts, List<AlertEvent> out) {
    Track t = itf.tracks.get(kind);
    // The common case, on almost every interface of every sample: nothing raised, nothing pending,
    // and no reason to start waiting. No track is made (it would be dropped again below).
    if (t == null && !(value >= raiseAt)) return;
    if (t == null) {
      t = new Track();
      itf.tracks.put(kind, t);
    }
    t.lastValue = value;
    boolean waitingFor = t.raised ? value < clearBelow : value >= raiseAt;
    if (!waitingFor) {
      if (t.pendingSince != NONE) changed(device);
      t.pendingSince = NONE;
    } else {
      if (t.pendingSince == NONE) {
        t.pendingSince = ts;
        changed(device);
      }
      if (ts - t.pendingSince >= (t.raised ? clearAfterMs : raiseAfterMs)) {
        long since = t.pendingSince;
        t.pendingSince = NONE;
        t.raised = !t.raised;
        changed(device);
        if (t.raised) t.severity = severity(kind, value);
        AlertEvent e = new AlertEvent(device, ifIndex, itf.name, kind, t.raised ? State.RAISED : State.CLEARED, t.severity,
            value, t.raised ? raiseAt : clearBelow, since, ts, null);
        t.raise = t.raised ? e : null;
        out.add(e);
      }
    }
    if (!t.raised && t.pendingSince == NONE) itf.tracks.remove(kind);
  }

  private void operStatus(String device, int ifIndex, Interface itf, String oper, long ts, List<AlertEvent> out) {
    // Samples carry no admin status, but an interface that was up was administratively up: a port
    // that is shut, or never connected, is never seen up and so never raises.
    String before = itf.oper;
    itf.oper = oper;
    if (!oper.equals(before)) changed(device);
    Track t = itf.tracks.get(Kind.OPER_DOWN);
    if (t == null && UP.equals(before) && !UP.equals(oper)) {
      t = new Track();
      t.raised = true;
      t.severity = Severity.CRITICAL;
      t.lastValue = oper;
      itf.tracks.put(Kind.OPER_DOWN, t);
      AlertEvent e = new AlertEvent(device, ifIndex, itf.name, Kind.OPER_DOWN, State.RAISED, t.severity, oper, UP, ts, ts, null);
      t.raise = e;
      out.add(e);
    } else if (t != null && UP.equals(oper)) {
      itf.tracks.remove(Kind.OPER_DOWN);
      out.add(new AlertEvent(device, ifIndex, itf.name, Kind.OPER_DOWN, State.CLEARED, t.severity, oper, UP, ts, ts, null));
    } else if (t != null) {
      t.lastValue = oper;
    }
  }

  /**
   * A notification said an interface's link went down or up (a {@code link-down} / {@code link-up}
   * status event): the {@code oper-down} rule takes the notification's {@code oper} as it takes a
   * sample's, at once, so a device whose polls time out (its samples are gaps) still raises it. The
   * samples rule again from their next measured one: one that says {@code up} clears, one that says
   * the same changes nothing (no second raise). An interface no sample has shown yet, or one whose
   * ifIndex now names another interface, is left to the samples. Does not move the device's
   * sample clock ({@link #lastTs}): samples are ordered among themselves.
   */
  public List<AlertEvent> onLink(String device, int ifIndex, String name, String oper, long ts) {
    if (!config.operStatus() || oper == null) return List.of();
    Device dev = devices.get(device);
    Interface itf = dev == null ? null : dev.interfaces.get(ifIndex);
    if (itf == null || (name != null && itf.name != null && !name.equals(itf.name))) return List.of();
    List<AlertEvent> out = new ArrayList<>(1);
    operStatus(device, ifIndex, itf, oper, ts, out);
    return out;
  }

  private void changed(String device) {
    devices.get(device).version++;
  }

  // ---------------------------------------------------------------- hand-over

  /**
   * Counts the changes to a device's state that another node taking over the device must know: a
   * condition starting or ending, a raise or clear, an oper status, an interface coming, going or
   * renamed. The values every sample moves do not count, so comparing versions tells when the
   * state is worth saving: rarely, not on every sample. -1 for a device never seen.
   */
  public long version(String device) {
    Device dev = devices.get(device);
    return dev == null ? -1 : dev.version;
  }

  /** The {@code ts} of the device's newest sample seen, or {@link Long#MIN_VALUE}. */
  public long lastTs(String device) {
    Device dev = devices.get(device);
    return dev == null ? NONE : dev.lastTs;
  }

  /** The device's state as JSON, for {@link #importState}; null for a device never seen. */
  public JsonObject exportState(String device) {
    Device dev = devices.get(device);
    if (dev == null) return null;
    JsonArray ifs = new JsonArray();
    dev.interfaces.forEach((ifIndex, itf) -> {
      JsonArray tracks = new JsonArray();
      itf.tracks.forEach((kind, t) -> tracks.add(new JsonObject()
          .put("kind", kind.name())
          .put("raised", t.raised)
          .put("pendingSince", t.pendingSince == NONE ? null : t.pendingSince)
          .put("severity", t.severity == null ? null : t.severity.name())
          .put("lastValue", t.lastValue)
          .put("raise", t.raise == null ? null : t.raise.toJson())));
      ifs.add(new JsonObject().put("ifIndex", ifIndex).put("name", itf.name).put("oper", itf.oper).put("tracks", tracks));
    });
    return new JsonObject().put("lastTs", dev.lastTs).put("interfaces", ifs);
  }

  /**
   * Replaces the device's state with one {@link #exportState exported} elsewhere, so a condition
   * that began on another node keeps its start and a raised alert stays raised (and is cleared,
   * not raised again).
   */
  public void importState(String device, JsonObject state) {
    Device dev = new Device();
    dev.lastTs = state.getLong("lastTs", NONE);
    for (Object o : state.getJsonArray("interfaces", new JsonArray())) {
      JsonObject j = (JsonObject) o;
      Interface itf = new Interface();
      itf.name = j.getString("name");
      itf.oper = j.getString("oper");
      for (Object to : j.getJsonArray("tracks", new JsonArray())) {
        JsonObject tj = (JsonObject) to;
        Track t = new Track();
        t.raised = tj.getBoolean("raised", false);
        Long since = tj.getLong("pendingSince");
        t.pendingSince = since == null ? NONE : since;
        String severity = tj.getString("severity");
        t.severity = severity == null ? null : Severity.valueOf(severity);
        t.lastValue = tj.getValue("lastValue");
        t.raise = tj.getJsonObject("raise") == null ? null : AlertEvent.fromJson(tj.getJsonObject("raise"));
        itf.tracks.put(Kind.valueOf(tj.getString("kind")), t);
      }
      dev.interfaces.put(j.getInteger("ifIndex"), itf);
    }
    Device before = devices.put(device, dev);
    dev.version = before == null ? 0 : before.version + 1;
  }

  /** The raise events of the alerts raised in an exported state. */
  public static List<AlertEvent> raisedIn(JsonObject state) {
    List<AlertEvent> out = new ArrayList<>();
    if (state == null) return out;
    for (Object o : state.getJsonArray("interfaces", new JsonArray())) {
      for (Object to : ((JsonObject) o).getJsonArray("tracks", new JsonArray())) {
        JsonObject t = (JsonObject) to;
        if (t.getBoolean("raised", false) && t.getJsonObject("raise") != null) out.add(AlertEvent.fromJson(t.getJsonObject("raise")));
      }
    }
    return out;
  }

  /**
   * Drops a device that was removed from the hub, and returns the clears of its raised alerts
   * ({@code reason: "removed"}, stamped {@code atMs}): nothing will ever measure them again.
   */
  public List<AlertEvent> forget(String device, long atMs) {
    Device dev = devices.remove(device);
    List<AlertEvent> out = new ArrayList<>();
    if (dev != null) dev.interfaces.forEach((ifIndex, itf) -> clearAll(device, ifIndex, itf, atMs, out));
    return out;
  }

  private void clearAll(String device, int ifIndex, Interface itf, long ts, List<AlertEvent> out) {
    itf.tracks.forEach((kind, t) -> {
      if (t.raised) {
        out.add(new AlertEvent(device, ifIndex, itf.name, kind, State.CLEARED, t.severity, t.lastValue,
            clearLevel(kind), ts, ts, REMOVED));
      }
    });
  }

  private Object clearLevel(Kind kind) {
    return switch (kind) {
      case UTILISATION -> config.utilisationClearPct();
      case ERRORS -> config.errorsPerSecond() / 2;
      case DISCARDS -> config.discardsPerSecond() / 2;
      case OPER_DOWN -> UP;
    };
  }

  private static Severity severity(Kind kind, double value) {
    return kind == Kind.UTILISATION && value >= CRITICAL_UTILISATION_PCT ? Severity.CRITICAL : Severity.WARNING;
  }

  private static double max(double a, double b) {
    if (Double.isNaN(a)) return b;
    if (Double.isNaN(b)) return a;
    return Math.max(a, b);
  }

  private static double sum(double a, double b) {
    if (Double.isNaN(a)) return b;
    if (Double.isNaN(b)) return a;
    // Rounded as the sample's own rates are, so 0.1 + 0.2 is reported as 0.3.
    return Math.round((a + b) * 1e4) / 1e4;
  }
}
