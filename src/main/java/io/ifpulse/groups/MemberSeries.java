package io.ifpulse.groups;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One member's recent rates as a step function of time: each measured sample holds its rates
 * over the time it covers, {@code (ts - intervalMs, ts]}. A group's window is integrated over it
 * ({@link #integrate}), so members polled at different phases are summed over the same span.
 *
 * <p>Consecutive samples of one interface cover adjoining spans, up to the rounding of {@code ts}
 * (1 ms) and {@code intervalMs} (1 µs): a start up to {@link #JOIN_MS} after the previous end is
 * joined to it, and an overlap is cut off, so a window is never counted twice or left with a hole
 * by rounding alone. A longer hole (a {@code gap} sample, a lost message) stays a hole.
 */
public final class MemberSeries {
  /** Rates carried per step, in this order. */
  public static final int IN_BPS = 0, OUT_BPS = 1, IN_PPS = 2, OUT_PPS = 3, IN_ERRORS = 4, OUT_ERRORS = 5,
      IN_DISCARDS = 6, OUT_DISCARDS = 7, FIELDS = 8;
  /** A hole this short between two samples is rounding, not missing data. */
  static final double JOIN_MS = 50;
  /** Steps kept: a group looks back at most its lag plus a window, a few live intervals. */
  static final int MAX_STEPS = 64;

  private final ArrayDeque<Step> steps = new ArrayDeque<>();
  private long speedBps;

  private record Step(double from, double to, double[] rates) {}

  /**
   * A measured sample of the member.
   *
   * @param rates {@link #FIELDS} values; NaN where the agent has no such counter
   * @return false when the sample is not after the last one (a duplicate or out of order): ignored
   */
  public boolean add(long ts, double intervalMs, double[] rates, long speedBps) {
    this.speedBps = speedBps;
    double from = ts - intervalMs;
    Step last = steps.peekLast();
    if (last != null) {
      if (ts <= last.to) return false;
      if (from < last.to + JOIN_MS) from = last.to;
    }
    steps.addLast(new Step(from, ts, rates.clone()));
    while (steps.size() > MAX_STEPS) steps.removeFirst();
    return true;
  }

  /** The interface's speed in bit/s as its latest sample gave it (0: unknown). */
  public long speedBps() {
    return speedBps;
  }

  /** The end of the latest measured span (epoch ms), or NaN before the first. */
  public double coveredUntil() {
    Step last = steps.peekLast();
    return last == null ? Double.NaN : last.to;
  }

  /** Forgets steps that end before {@code ms}: no window will reach back to them. */
  public void dropBefore(double ms) {
    while (!steps.isEmpty() && steps.peekFirst().to < ms) steps.removeFirst();
  }

  /**
   * The member's mean rates over {@code [from, to]} into {@code out}, if its steps cover the whole
   * span without a hole; else false and {@code out} unchanged.
   */
  public boolean integrate(double from, double to, double[] out) {
    double[] sum = new double[FIELDS];
    double covered = from;
    for (Iterator<Step> it = steps.iterator(); it.hasNext(); ) {
      Step s = it.next();
      if (s.to <= from) continue;
      if (s.from > covered) return false; // a hole inside the window
      double a = Math.max(s.from, from);
      double b = Math.min(s.to, to);
      for (int f = 0; f < FIELDS; f++) sum[f] += s.rates[f] * (b - a);
      covered = b;
      if (covered >= to) break;
    }
    if (covered < to) return false;
    double span = to - from;
    for (int f = 0; f < FIELDS; f++) out[f] = sum[f] / span;
    return true;
  }
}
