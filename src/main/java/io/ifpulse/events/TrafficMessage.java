package io.ifpulse.events;

import io.ifpulse.rate.InterfaceRate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Builds the JSON messages of {@code ifpulse.traffic.<device>} (shape documented in
 * docs/EVENTS.md). A value the agent cannot provide is left out rather than written as 0 or NaN:
 * absent means unknown.
 */
public final class TrafficMessage {
  // Built once: these run for every interface of every sample.
  private static final String[] STATE_NAMES = names(InterfaceRate.State.values());
  private static final String[] GAP_NAMES = names(InterfaceRate.Gap.values());
  private static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  private TrafficMessage() {}

  public static JsonObject sample(String device, long seq, long tsMs, double pollMs, long intervalMs, boolean reachable,
      JsonArray interfaces) {
    return new JsonObject()
        .put("device", device)
        .put("seq", seq)
        .put("ts", tsMs)
        .put("pollMs", round(pollMs, 3))
        .put("intervalMs", intervalMs)
        .put("reachable", reachable)
        .put("interfaces", interfaces);
  }

  /** One interface of a sample. */
  public static JsonObject iface(int ifIndex, String name, String oper, long speedBps, InterfaceRate r) {
    // Up to 16 keys: sized so the map never grows (a default map rehashes at its 13th key).
    JsonObject j = new JsonObject(new java.util.LinkedHashMap<>(24)).put("ifIndex", ifIndex).put("name", name).put("oper", oper);
    if (speedBps > 0) j.put("speedBps", speedBps);
    j.put("state", STATE_NAMES[r.state().ordinal()]);
    if (r.state() == InterfaceRate.State.GAP) {
      return j.put("gap", gapName(r.gap()));
    }
    j.put("intervalMs", round(r.intervalNanos() / 1e6, 3));
    put(j, "inBps", r.inBps(), 1);
    put(j, "outBps", r.outBps(), 1);
    put(j, "inPps", r.inPps(), 3);
    put(j, "outPps", r.outPps(), 3);
    put(j, "inErrors", r.inErrorsPs(), 4);
    put(j, "outErrors", r.outErrorsPs(), 4);
    put(j, "inDiscards", r.inDiscardsPs(), 4);
    put(j, "outDiscards", r.outDiscardsPs(), 4);
    put(j, "inUtil", r.inUtilPct(), 4);
    put(j, "outUtil", r.outUtilPct(), 4);
    return j;
  }

  public static String gapName(InterfaceRate.Gap gap) {
    return GAP_NAMES[gap.ordinal()];
  }

  private static String[] names(Enum<?>[] values) {
    String[] out = new String[values.length];
    for (Enum<?> v : values) out[v.ordinal()] = v.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return out;
  }

  private static void put(JsonObject j, String key, double v, int decimals) {
    if (!Double.isNaN(v) && !Double.isInfinite(v)) j.put(key, round(v, decimals));
  }

  static double round(double v, int decimals) {
    double f = POW10[decimals];
    return Math.round(v * f) / f;
  }
}
