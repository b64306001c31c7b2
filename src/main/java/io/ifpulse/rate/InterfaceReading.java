package io.ifpulse.rate;

/**
 * The counters of one interface as one reply delivered them.
 *
 * @param ifIndex the interface
 * @param values counter values indexed by {@link Counter#ordinal()}, unsigned
 * @param widths 32 or 64 per counter, from the ASN.1 type of the reply; 0 where the agent did not
 *     return the counter
 * @param arrivalNanos {@link System#nanoTime()} when the reply arrived
 * @param sysUpTime the agent's sysUpTime (TimeTicks) in the same reply
 * @param discontinuity ifCounterDiscontinuityTime, or -1 where the agent has none
 * @param speedBps the interface speed in bit/s, 0 when unknown
 */
public record InterfaceReading(
    int ifIndex,
    long[] values,
    byte[] widths,
    long arrivalNanos,
    long sysUpTime,
    long discontinuity,
    long speedBps) {

  public boolean has(Counter c) {
    return widths[c.ordinal()] != 0;
  }

  public long value(Counter c) {
    return values[c.ordinal()];
  }

  /** Whether any counter present in both readings differs. */
  boolean countersDifferFrom(InterfaceReading other) {
    for (int i = 0; i < values.length; i++) {
      if (widths[i] != 0 && other.widths[i] != 0 && values[i] != other.values[i]) {
        return true;
      }
    }
    return false;
  }
}
