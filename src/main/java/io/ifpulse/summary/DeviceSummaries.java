package io.ifpulse.summary;

import java.util.List;

/**
 * Makes a device's {@link DeviceEntry} from what is known of it: the arithmetic of the summary,
 * without I/O, so every case is a table row ({@code DeviceSummariesTest}).
 */
public final class DeviceSummaries {
  private DeviceSummaries() {}

  /**
   * @param interfaces the latest sample's interfaces; null when there is none worth showing (no
   *     sample yet, disabled, no credential, silent for long): rates then unknown
   * @param ifsKnown the interfaces known without a sample (discovery's), used when {@code
   *     interfaces} is null
   * @param ts epoch ms of the latest sample, -1 if none
   */
  public static DeviceEntry of(String id, String host, List<String> tags, DeviceState state, InterfaceColumns interfaces,
      int ifsKnown, long ts, int alerts, int critical, String searchText) {
    if (interfaces == null) {
      return new DeviceEntry(id, host, tags, state, Double.NaN, Double.NaN, Double.NaN, null, ifsKnown, 0, alerts, critical, ts,
          List.of(), List.of(), searchText);
    }
    double in = 0;
    double out = 0;
    boolean anyIn = false;
    boolean anyOut = false;
    int down = 0;
    double maxUtil = Double.NaN;
    String maxUtilIf = null;
    TopSelection byUtil = new TopSelection(DeviceEntry.TOP, TopInterface.BY_UTIL);
    TopSelection byBps = new TopSelection(DeviceEntry.TOP, TopInterface.BY_BPS);
    int n = interfaces.size();
    for (int k = 0; k < n; k++) {
      String oper = interfaces.oper(k);
      if (oper != null && !"up".equals(oper)) down++;
      double i = interfaces.inBps(k);
      double o = interfaces.outBps(k);
      if (!Double.isNaN(i)) {
        in += i;
        anyIn = true;
      }
      if (!Double.isNaN(o)) {
        out += o;
        anyOut = true;
      }
      double util = larger(interfaces.inUtil(k), interfaces.outUtil(k));
      if (!Double.isNaN(util) && (Double.isNaN(maxUtil) || util > maxUtil)) {
        maxUtil = util;
        maxUtilIf = interfaces.name(k);
      }
      if (Double.isNaN(i) && Double.isNaN(o)) continue; // a gap: in no top list
      TopInterface t = new TopInterface(id, interfaces.ifIndex(k), interfaces.name(k), Rounding.significant3(util),
          Rounding.significant3(i), Rounding.significant3(o));
      if (!Double.isNaN(util)) byUtil.offer(t);
      byBps.offer(t);
    }
    return new DeviceEntry(id, host, tags, state, anyIn ? Rounding.significant3(in) : Double.NaN,
        anyOut ? Rounding.significant3(out) : Double.NaN, Rounding.significant3(maxUtil), maxUtilIf, n, down, alerts, critical, ts,
        byUtil.result(), byBps.result(), searchText);
  }

  /** The larger of two values of which either may be NaN (unknown); NaN only if both are. */
  static double larger(double a, double b) {
    if (Double.isNaN(a)) return b;
    if (Double.isNaN(b)) return a;
    return Math.max(a, b);
  }

  /**
   * What search matches for a device: lower case, one item per line, so that a query (which
   * cannot contain a line break) matches within one item, never across two.
   */
  public static String searchText(String id, String host, List<String> tags, Iterable<String> interfaceWords) {
    StringBuilder sb = new StringBuilder(64);
    sb.append(id).append('\n');
    if (host != null) sb.append(host).append('\n');
    if (tags != null) for (String t : tags) sb.append(t).append('\n');
    for (String w : interfaceWords) if (w != null && !w.isEmpty()) sb.append(w.replace('\n', ' ')).append('\n');
    return sb.toString().toLowerCase(java.util.Locale.ROOT);
  }
}
