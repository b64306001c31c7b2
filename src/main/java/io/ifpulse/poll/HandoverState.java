package io.ifpulse.poll;

import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * What the node polling a device leaves after each poll for whoever polls it next, and what that
 * node continues from: the discovered interfaces (so it need not discover), the rate engine's
 * anchors (so its first sample is already a rate over the whole hand-over) and the sequence number
 * (so samples count on). The JSON form, as {@link HandoverStore} keeps it, is written and read
 * here only.
 *
 * <p>Anchor times travel as epoch milliseconds: the monotonic clocks of two machines share no
 * origin. Nodes should keep their clocks in NTP sync, since an offset of d ms between two nodes
 * shows as d / interval in the first rate after a hand-over.
 *
 * @param seq the sequence number of the last sample published
 * @param endpoint the agent (host:port) the counters were read from: another agent's state is not
 *     continued from, even under the same device id
 * @param savedAtMs epoch milliseconds when it was saved
 * @param anchors the engine's anchors, with arrival times on this process's {@link System#nanoTime()}
 */
record HandoverState(long seq, String endpoint, long savedAtMs, List<InterfaceInfo> interfaces, List<InterfaceReading> anchors) {
  private static final Logger LOG = Logger.getLogger(HandoverState.class.getName());
  /** Older state is not continued from: the anchors would span too long. */
  static final long MAX_AGE_MS = 10 * 60_000;

  /**
   * The state saved in {@code json}, if the poller of {@code endpoint} can take it over at
   * {@code nowMs}; null if not: no interfaces, saved too long ago (or by a clock ahead of ours),
   * read from another agent, or unreadable.
   *
   * @param device names the device in log lines
   */
  static HandoverState takeOver(JsonObject json, String endpoint, long nowMs, Object device) {
    HandoverState state;
    try {
      state = fromJson(json);
    } catch (RuntimeException e) {
      LOG.warning(device + ": hand-over state unusable, discovering instead: " + e);
      return null;
    }
    long age = nowMs - state.savedAtMs;
    if (age < 0 || age > MAX_AGE_MS || state.interfaces.isEmpty()) return null;
    if (!endpoint.equals(state.endpoint)) {
      // The id now names another agent (changed through the API, or removed and added again):
      // its interfaces and counters would be another device's.
      LOG.info(device + ": hand-over state is for " + (state.endpoint == null ? "an unknown agent" : state.endpoint)
          + ", not this one; discovering");
      return null;
    }
    LOG.info(device + ": taken over with " + state.interfaces.size() + " interfaces and counters from another node ("
        + age + " ms old)");
    return state;
  }

  JsonObject toJson() {
    JsonArray ifs = new JsonArray();
    for (InterfaceInfo i : interfaces) ifs.add(i.toJson().put("disc", i.hasDiscontinuityTime()).put("ifx", i.hasIfXEntry()));
    JsonObject out = new JsonObject();
    for (InterfaceReading a : anchors) {
      JsonArray values = new JsonArray();
      JsonArray widths = new JsonArray();
      for (int i = 0; i < Counter.COUNT; i++) {
        values.add(Long.toUnsignedString(a.values()[i]));
        widths.add(a.widths()[i]);
      }
      out.put(String.valueOf(a.ifIndex()), new JsonObject()
          .put("values", values)
          .put("widths", widths)
          .put("epochMs", MonotonicClock.epochMillis(a.arrivalNanos()))
          .put("sysUpTime", a.sysUpTime())
          .put("discontinuity", a.discontinuity())
          .put("speedBps", a.speedBps()));
    }
    return new JsonObject()
        .put("seq", seq)
        .put("endpoint", endpoint)
        .put("savedAt", savedAtMs)
        .put("interfaces", ifs)
        .put("anchors", out);
  }

  /**
   * Reads a saved state. An anchor without a value and a width for every counter is left out;
   * anything else malformed throws, and then none of the state is used.
   */
  static HandoverState fromJson(JsonObject j) {
    List<InterfaceInfo> interfaces = new ArrayList<>();
    JsonArray ifs = j.getJsonArray("interfaces", new JsonArray());
    for (int i = 0; i < ifs.size(); i++) {
      JsonObject o = ifs.getJsonObject(i);
      interfaces.add(new InterfaceInfo(o.getInteger("ifIndex"), o.getString("name"), o.getString("descr"), o.getString("alias"),
          o.getInteger("type"), o.getLong("speedBps"), o.getString("admin"), o.getString("oper"), o.getBoolean("hc"),
          o.getBoolean("disc"), o.getBoolean("ifx")));
    }
    List<InterfaceReading> anchors = new ArrayList<>();
    JsonObject saved = j.getJsonObject("anchors", new JsonObject());
    for (String key : saved.fieldNames()) {
      JsonObject a = saved.getJsonObject(key);
      JsonArray values = a.getJsonArray("values");
      JsonArray widths = a.getJsonArray("widths");
      if (values == null || widths == null || values.size() != Counter.COUNT || widths.size() != Counter.COUNT) continue;
      long[] v = new long[Counter.COUNT];
      byte[] w = new byte[Counter.COUNT];
      for (int i = 0; i < Counter.COUNT; i++) {
        v[i] = Long.parseUnsignedLong(values.getString(i));
        w[i] = widths.getInteger(i).byteValue();
      }
      anchors.add(new InterfaceReading(Integer.parseInt(key), v, w, MonotonicClock.nanosAt(a.getDouble("epochMs")),
          a.getLong("sysUpTime"), a.getLong("discontinuity"), a.getLong("speedBps")));
    }
    return new HandoverState(j.getLong("seq", 0L), j.getString("endpoint"), j.getLong("savedAt", 0L),
        List.copyOf(interfaces), List.copyOf(anchors));
  }
}
