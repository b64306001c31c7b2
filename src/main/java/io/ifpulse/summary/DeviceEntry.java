package io.ifpulse.summary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One device in the summary (docs/EVENTS.md, "ifpulse.summary"): what the overview shows of it,
 * rounded as sent, so that two entries are equal exactly when their JSON is. Immutable; shared
 * between the history, which makes it, and the web side, which sends it.
 *
 * @param state its state now
 * @param inBps device total, 3 significant digits; NaN when no interface has a rate
 * @param maxUtil % of its busiest interface with a known speed, 3 significant digits; NaN if none
 * @param maxUtilIf that interface's name; null if none
 * @param ifs interfaces polled
 * @param ifDown interfaces whose ifOperStatus is not up
 * @param alerts active alerts
 * @param critical active critical alerts
 * @param ts epoch ms of its latest sample; -1 before the first
 * @param topUtil its own interfaces, busiest by utilisation first, at most {@link #TOP}
 * @param topBps the same by in + out bit/s
 * @param searchText id, host, tags, interface names and aliases, lower case, one per line: what
 *     search matches (not sent)
 */
public record DeviceEntry(String id, String host, List<String> tags, DeviceState state, double inBps, double outBps,
    double maxUtil, String maxUtilIf, int ifs, int ifDown, int alerts, int critical, long ts, List<TopInterface> topUtil,
    List<TopInterface> topBps, String searchText) {

  /** Entries of each top list. */
  public static final int TOP = 10;

  // One bit per field that a delta may carry.
  public static final int HOST = 1;
  public static final int TAGS = 1 << 1;
  public static final int STATE = 1 << 2;
  public static final int IN_BPS = 1 << 3;
  public static final int OUT_BPS = 1 << 4;
  public static final int MAX_UTIL = 1 << 5;
  public static final int MAX_UTIL_IF = 1 << 6;
  public static final int IFS = 1 << 7;
  public static final int IF_DOWN = 1 << 8;
  public static final int ALERTS = 1 << 9;
  public static final int CRITICAL = 1 << 10;
  public static final int TS = 1 << 11;
  public static final int ALL_FIELDS = (1 << 12) - 1;

  public DeviceEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    tags = tags == null ? List.of() : List.copyOf(tags);
    topUtil = topUtil == null ? List.of() : topUtil;
    topBps = topBps == null ? List.of() : topBps;
  }

  /** The fields that differ from {@code previous} (every field when there is none), as bits. */
  public int changedSince(DeviceEntry previous) {
    if (previous == null) return ALL_FIELDS;
    int m = 0;
    if (!Objects.equals(host, previous.host)) m |= HOST;
    if (!tags.equals(previous.tags)) m |= TAGS;
    if (state != previous.state) m |= STATE;
    if (!same(inBps, previous.inBps)) m |= IN_BPS;
    if (!same(outBps, previous.outBps)) m |= OUT_BPS;
    if (!same(maxUtil, previous.maxUtil)) m |= MAX_UTIL;
    if (!Objects.equals(maxUtilIf, previous.maxUtilIf)) m |= MAX_UTIL_IF;
    if (ifs != previous.ifs) m |= IFS;
    if (ifDown != previous.ifDown) m |= IF_DOWN;
    if (alerts != previous.alerts) m |= ALERTS;
    if (critical != previous.critical) m |= CRITICAL;
    if (ts != previous.ts) m |= TS;
    return m;
  }

  /** The entry as JSON with {@code id} and the fields of {@code fields}; an unknown value is null. */
  public JsonObject toJson(int fields) {
    JsonObject j = new JsonObject().put("id", id);
    if ((fields & HOST) != 0) j.put("host", host);
    if ((fields & TAGS) != 0) j.put("tags", new JsonArray(tags));
    if ((fields & STATE) != 0) j.put("state", state.label);
    if ((fields & IN_BPS) != 0) j.put("inBps", number(inBps));
    if ((fields & OUT_BPS) != 0) j.put("outBps", number(outBps));
    if ((fields & MAX_UTIL) != 0) j.put("maxUtil", number(maxUtil));
    if ((fields & MAX_UTIL_IF) != 0) j.put("maxUtilIf", maxUtilIf);
    if ((fields & IFS) != 0) j.put("ifs", ifs);
    if ((fields & IF_DOWN) != 0) j.put("ifDown", ifDown);
    if ((fields & ALERTS) != 0) j.put("alerts", alerts);
    if ((fields & CRITICAL) != 0) j.put("critical", critical);
    if ((fields & TS) != 0) j.put("ts", ts < 0 ? null : ts);
    return j;
  }

  static Object number(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static boolean same(double a, double b) {
    return Double.compare(a, b) == 0; // NaN equals NaN: unknown then and now is no change
  }
}
