package io.ifpulse.history;

import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.InterfaceSample.Gap;
import io.ifpulse.events.InterfaceSample.Rate;
import io.ifpulse.events.InterfaceSample.State;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The interfaces of a device's latest sample, kept column by column in arrays that each new
 * sample overwrites in place.
 *
 * <p>Why not keep the sample itself: the latest one of every device lives for a whole interval,
 * and at 200 devices the samples (then about 1 KB of small objects per interface) survived every
 * young collection of the hub (one every 0.7 s in scenario 3 of docs/BENCHMARKS.md), overflowed
 * the survivor space into the old generation and so brought a full collection of over 100 ms
 * every 35 s; copying them was most of each young pause. A sample's records are smaller, but
 * held for an interval they would still be copied and promoted; columns are a few arrays per
 * device, allocated once. Names and oper strings equal to the ones held are not replaced, so a
 * sample decoded from another node's JSON does not keep its fresh strings alive either.
 */
final class LastInterfaces implements io.ifpulse.summary.InterfaceColumns {
  private int size;
  private int[] ifIndex = new int[0];
  private String[] name = new String[0];
  private String[] oper = new String[0];
  private long[] speedBps = new long[0];
  private State[] state = new State[0];
  private Gap[] gap = new Gap[0];
  private double[] intervalMs = new double[0];
  /** Goes up whenever a name or the number of interfaces changes: what search matches is made again then. */
  private long namesVersion;
  /** By {@link Rate#ordinal()}, then position; NaN where the sample has none. */
  private final double[][] rates = new double[Rate.ALL.length][0];

  /** Replaces what is kept by the interfaces of a new sample. */
  void update(List<InterfaceSample> interfaces) {
    int n = interfaces.size();
    ensure(n);
    if (n < size) {
      // Nothing of an old sample kept alive.
      Arrays.fill(name, n, size, null);
      Arrays.fill(oper, n, size, null);
    }
    if (n != size) namesVersion++;
    size = n;
    // Runs for every interface of every sample: no lambda, no boxing.
    for (int k = 0; k < n; k++) {
      InterfaceSample i = interfaces.get(k);
      ifIndex[k] = i.ifIndex();
      if (!Objects.equals(name[k], i.name())) {
        name[k] = i.name();
        namesVersion++;
      }
      if (!Objects.equals(oper[k], i.oper())) oper[k] = i.oper();
      speedBps[k] = i.speedBps();
      state[k] = i.state();
      gap[k] = i.gap();
      intervalMs[k] = i.intervalMs();
      for (Rate r : Rate.ALL) rates[r.ordinal()][k] = r.of(i);
    }
  }

  private void ensure(int n) {
    if (ifIndex.length >= n) return;
    int cap = Math.max(n, ifIndex.length * 2);
    ifIndex = Arrays.copyOf(ifIndex, cap);
    name = Arrays.copyOf(name, cap);
    oper = Arrays.copyOf(oper, cap);
    speedBps = Arrays.copyOf(speedBps, cap);
    state = Arrays.copyOf(state, cap);
    gap = Arrays.copyOf(gap, cap);
    intervalMs = Arrays.copyOf(intervalMs, cap);
    for (int r = 0; r < rates.length; r++) rates[r] = Arrays.copyOf(rates[r], cap);
  }

  long namesVersion() {
    return namesVersion;
  }

  /** Interfaces in the latest sample. */
  @Override
  public int size() {
    return size;
  }

  @Override
  public int ifIndex(int k) {
    return ifIndex[k];
  }

  @Override
  public String name(int k) {
    return name[k];
  }

  @Override
  public String oper(int k) {
    return oper[k];
  }

  /** 0 when unknown. */
  long speedBps(int k) {
    return speedBps[k];
  }

  boolean isGap(int k) {
    return state[k] == State.GAP;
  }

  /** Rate {@code r} of interface {@code k}; NaN when absent. */
  double rate(Rate r, int k) {
    return rates[r.ordinal()][k];
  }

  @Override
  public double inBps(int k) {
    return rates[Rate.IN_BPS.ordinal()][k];
  }

  @Override
  public double outBps(int k) {
    return rates[Rate.OUT_BPS.ordinal()][k];
  }

  @Override
  public double inUtil(int k) {
    return rates[Rate.IN_UTIL.ordinal()][k];
  }

  @Override
  public double outUtil(int k) {
    return rates[Rate.OUT_UTIL.ordinal()][k];
  }

  /** The sum of a rate over the interfaces that have it. */
  double sum(Rate r) {
    double s = 0;
    double[] column = rates[r.ordinal()];
    for (int k = 0; k < size; k++) if (!Double.isNaN(column[k])) s += column[k];
    return s;
  }

  /** Interface {@code k} as the sample had it (a new record). */
  InterfaceSample iface(int k) {
    double[] v = new double[rates.length];
    for (int r = 0; r < rates.length; r++) v[r] = rates[r][k];
    return new InterfaceSample(ifIndex[k], name[k], oper[k], speedBps[k], state[k], gap[k], intervalMs[k], v[0], v[1], v[2], v[3],
        v[4], v[5], v[6], v[7], v[8], v[9]);
  }
}
