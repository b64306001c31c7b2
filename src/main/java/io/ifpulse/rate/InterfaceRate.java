package io.ifpulse.rate;

/**
 * What the rate engine concludes about one interface at one poll.
 *
 * <p>Rates are per second; bit rates are octets × 8. A rate the agent cannot provide (for example
 * multicast packets on a device without ifXTable) is {@link Double#NaN}. For a {@link State#GAP}
 * every rate is NaN and {@link #gap} says why.
 *
 * @param intervalNanos the real time the rates cover: from the reply that last carried new counter
 *     values to the one that carries these. For {@link State#HELD} it is the interval of the held
 *     measurement.
 */
public record InterfaceRate(
    int ifIndex,
    State state,
    Gap gap,
    long intervalNanos,
    double inBps,
    double outBps,
    double inPps,
    double outPps,
    double inErrorsPs,
    double outErrorsPs,
    double inDiscardsPs,
    double outDiscardsPs,
    double inUtilPct,
    double outUtilPct) {

  public enum State {
    /** Rates measured from counters that changed since the last measurement (or a real idle). */
    OK,
    /**
     * The agent's counter cache has not refreshed since the last measurement: the rates repeat
     * that measurement instead of dropping to zero.
     */
    HELD,
    /** No rate can be known for this poll; see {@link Gap}. Never published as zero. */
    GAP
  }

  public enum Gap {
    /** First reading of the interface (or after rediscovery): nothing to compare with yet. */
    FIRST,
    /** The agent restarted (sysUpTime went backwards). */
    AGENT_RESTART,
    /** ifCounterDiscontinuityTime changed, or a Counter64 went backwards. */
    COUNTER_RESET,
    /** The counter type changed between Counter32 and Counter64. */
    WIDTH_CHANGED,
    /** The computed rate was well above the interface speed: a glitch, not traffic. */
    IMPLAUSIBLE,
    /**
     * A Counter32 octet counter could have wrapped more than once in the interval at the
     * interface's speed, so the delta is unknown (the poll came too late, e.g. after timeouts).
     */
    AMBIGUOUS_WRAP,
    /** The poll produced no reading for this interface (timeout, error, missing columns). */
    NO_DATA
  }

  /** A gap: nothing measured, for the reason given. */
  public static InterfaceRate gap(int ifIndex, Gap why) {
    double n = Double.NaN;
    return new InterfaceRate(ifIndex, State.GAP, why, 0, n, n, n, n, n, n, n, n, n, n);
  }

  InterfaceRate held() {
    return new InterfaceRate(
        ifIndex, State.HELD, null, intervalNanos, inBps, outBps, inPps, outPps, inErrorsPs,
        outErrorsPs, inDiscardsPs, outDiscardsPs, inUtilPct, outUtilPct);
  }
}
