package io.ifpulse.time;

/**
 * Wall-clock milliseconds derived from {@link System#nanoTime()} and one fixed anchor taken when
 * the class loads. Differences between two values are exact elapsed time (no NTP steps), while the
 * values themselves are close enough to the wall clock for display. Every timestamp the hub
 * publishes, and every time the simulator uses for its traffic models, goes through here, so tests
 * can compare a sample's time with a model's ground truth.
 */
public final class MonotonicClock {
  private static final long ANCHOR_NANOS = System.nanoTime();
  private static final long ANCHOR_EPOCH_MS = System.currentTimeMillis();

  private MonotonicClock() {}

  public static long nanos() {
    return System.nanoTime();
  }

  /** Epoch milliseconds, with sub-millisecond precision, for a {@link System#nanoTime()} value. */
  public static double epochMillis(long nanos) {
    return ANCHOR_EPOCH_MS + (nanos - ANCHOR_NANOS) / 1e6;
  }

  public static double nowEpochMillis() {
    return epochMillis(System.nanoTime());
  }

  /** The {@link System#nanoTime()} value that corresponds to an epoch time from {@link #epochMillis}. */
  public static long nanosAt(double epochMillis) {
    return ANCHOR_NANOS + Math.round((epochMillis - ANCHOR_EPOCH_MS) * 1e6);
  }
}
