package io.ifpulse.testing;

import io.vertx.core.json.JsonObject;

/**
 * How far a correct poller's rate may lie from the simulator's model.
 *
 * <p>An agent reads its counters at some instant inside the poll's round trip, and the poller
 * takes the middle of the round trip as that instant (docs/ARCHITECTURE.md, Timing). It cannot see
 * where inside the round trip the read happened, so each end of a rate's interval may be off by up
 * to the duration of its poll ({@code pollMs} in the sample, which holds every request's round
 * trip), and the rate by the sum of both over the interval. On a loaded 2-core machine that is
 * where a rate goes wrong when everything else is right: an agent thread paused for 25 ms between
 * reading and replying moves one stamp by 25 ms, and a 2 s rate by 1.3 %. The base covers the
 * arithmetic and the millisecond grain of the stamps; the round-trip part is what the samples
 * themselves report, so a rate off by more than both is the poller's error.
 */
public final class RateTolerance {
  private RateTolerance() {
  }

  /**
   * The largest relative error allowed for a rate of {@code sample} over {@code intervalMs}, whose
   * interval began at the reading of {@code previous} (the device's sample just before it).
   */
  public static double allowed(double base, JsonObject previous, JsonObject sample, double intervalMs) {
    return allowed(base, pollMs(previous), pollMs(sample), intervalMs);
  }

  /**
   * The same from the two polls' durations. A caller whose agent adds a known constant delay may
   * take it off both: a constant offset between reading and reply cancels in the interval.
   */
  public static double allowed(double base, double openingPollMs, double closingPollMs, double intervalMs) {
    return base + (Math.max(0, openingPollMs) + Math.max(0, closingPollMs)) / intervalMs;
  }

  public static double pollMs(JsonObject sample) {
    Double ms = sample.getDouble("pollMs");
    if (ms == null || ms.isNaN() || ms < 0) throw new IllegalArgumentException("sample without a poll duration: " + sample.encode());
    return ms;
  }
}
