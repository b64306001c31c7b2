package io.ifpulse.rate;

/**
 * Arithmetic on SNMP counters, with the width taken from the ASN.1 type of the reply.
 *
 * <p>A Counter32 that decreases has wrapped (RFC 2578: it wraps at 2^32), so the delta is taken
 * modulo 2^32. A Counter64 never wraps in practice (centuries at 400 Gbit/s), so a decrease means
 * the counter was reset and the delta is unknown. More than one Counter32 wrap inside one interval
 * cannot be seen from the values; the plausibility check against the interface speed catches the
 * cases where it matters.
 */
public final class CounterMath {
  /** Returned by {@link #delta} when the counter went backwards and no delta can be known. */
  public static final long RESET = -1;

  public static final long TWO_POW_32 = 1L << 32;

  private CounterMath() {}

  /**
   * The increase of a counter between two readings of the same width, or {@link #RESET}.
   *
   * @param width 32 or 64
   */
  public static long delta(long previous, long current, int width) {
    if (width == 32) {
      return (current - previous) & 0xFFFF_FFFFL;
    }
    if (Long.compareUnsigned(current, previous) < 0) {
      return RESET;
    }
    long d = current - previous;
    // An unsigned delta above 2^63 would be a counter jump nobody can explain: treat as reset.
    return d < 0 ? RESET : d;
  }

  /**
   * Whether sysUpTime (TimeTicks, hundredths of a second, unsigned 32-bit) moving from {@code
   * previous} to {@code current} over {@code elapsedNanos} means the agent restarted. sysUpTime
   * itself wraps after 497 days; a decrease that lands where the wrap would put it is not a restart.
   */
  public static boolean agentRestarted(long previous, long current, long elapsedNanos) {
    if (current >= previous) {
      return false;
    }
    long elapsedTicks = elapsedNanos / 10_000_000L;
    long expected = (previous + elapsedTicks) % TWO_POW_32;
    // Allow a minute of disagreement between the agent's clock and ours around the wrap.
    long tolerance = 6_000;
    boolean crossedWrap = previous + elapsedTicks + tolerance >= TWO_POW_32;
    return !(crossedWrap && Math.abs(current - expected) <= tolerance);
  }

  /** Per-second rate of a delta over an elapsed time in nanoseconds. */
  public static double perSecond(long delta, long elapsedNanos) {
    return delta * 1e9 / elapsedNanos;
  }
}
