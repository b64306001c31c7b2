package io.ifpulse.poll;

/**
 * Where in time a device's polls sit: pure arithmetic, so the scheduling rules can be tested in a
 * table and every node of a cluster computes the same slots for a device.
 *
 * <p>A device's phase is an offset within its live interval, chosen by a hash of its id. Phases
 * are whole multiples of a slot: devices that share a slot are polled in the same timer wake-up and
 * their replies arrive together, so one pass of the event loop serves several devices. With
 * 1 ms slots (the grain of Vert.x timers) devices spread as finely as timers allow; with slots as
 * long as the live interval every device is polled at the same instant.
 */
final class PollPhase {
  private PollPhase() {}

  /**
   * The phase of {@code deviceId}, in nanoseconds from a whole multiple of the interval.
   *
   * @param liveNanos the live interval: phases lie in {@code [0, liveNanos)}
   * @param slotNanos the slot width; at least 1 ms is sensible, timers have no finer grain
   */
  static long phaseNanos(String deviceId, long liveNanos, long slotNanos) {
    if (liveNanos <= 0 || slotNanos <= 0) throw new IllegalArgumentException("live " + liveNanos + ", slot " + slotNanos);
    long slots = Math.max(1, liveNanos / slotNanos);
    return pick(deviceId, slots) * slotNanos;
  }

  /**
   * Time from {@code epochNanos} to the next instant at {@code phase} past a whole multiple of
   * {@code spacing} in wall-clock time; a full spacing, never zero, when that instant is now.
   */
  static long delayNanos(long epochNanos, long phase, long spacing) {
    long delay = Math.floorMod(phase - epochNanos, spacing);
    return delay == 0 ? spacing : delay;
  }

  /** One of {@code n} slots for an id: its hash, mixed (MurmurHash3's finaliser) so ids that differ
   * only in their last characters still land far apart. */
  private static long pick(String id, long n) {
    long h = id.hashCode();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return Long.remainderUnsigned(h, n);
  }
}
