package io.ifpulse.summary;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The CPU the summary costs a node, by part: building each tick on the history's loop, and cutting
 * and writing it for browsers on the web loop. Thread CPU time, not wall time, so a loop that waits
 * counts nothing; {@code /metrics} shows it ({@code ifpulse_summary_cpu_seconds_total}) and the
 * benchmark reads it.
 */
public final class SummaryCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final LongAdder buildNanos = new LongAdder();
  private final LongAdder deliverNanos = new LongAdder();

  /** This thread's CPU time now, in ns; 0 where the JVM cannot tell. */
  public static long now() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  public void built(long sinceNanos) {
    buildNanos.add(Math.max(0, now() - sinceNanos));
  }

  public void delivered(long sinceNanos) {
    deliverNanos.add(Math.max(0, now() - sinceNanos));
  }

  public double buildSeconds() {
    return buildNanos.sum() / 1e9;
  }

  public double deliverSeconds() {
    return deliverNanos.sum() / 1e9;
  }
}
