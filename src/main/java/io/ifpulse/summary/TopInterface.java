package io.ifpulse.summary;

import java.util.Comparator;

/**
 * One interface of a top list: its utilisation (the larger of in and out, %, NaN when the speed is
 * unknown) and its rates, rounded as the summary sends them.
 */
public record TopInterface(String device, int ifIndex, String name, double util, double inBps, double outBps) {

  /** Busiest first by utilisation; ties by device, then ifIndex, so every node lists the same. */
  public static final Comparator<TopInterface> BY_UTIL = Comparator.comparingDouble(TopInterface::util).reversed()
      .thenComparing(TopInterface::device).thenComparingInt(TopInterface::ifIndex);

  /** Busiest first by in + out bit/s; ties as above. */
  public static final Comparator<TopInterface> BY_BPS = Comparator.comparingDouble(TopInterface::bps).reversed()
      .thenComparing(TopInterface::device).thenComparingInt(TopInterface::ifIndex);

  /** In + out bit/s, a missing direction counting 0. */
  public double bps() {
    return (Double.isNaN(inBps) ? 0 : inBps) + (Double.isNaN(outBps) ? 0 : outBps);
  }
}
