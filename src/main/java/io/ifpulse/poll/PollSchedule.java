package io.ifpulse.poll;

import io.ifpulse.rate.Counter;
import io.ifpulse.rate.CounterMath;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.LongToDoubleFunction;

/**
 * When one device is polled: arithmetic on an injected clock, so every rule is a row in a table
 * test and no timer has to run.
 *
 * <ul>
 *   <li>Polls sit on slots of a grid of the interval, at the device's phase ({@link PollPhase}) in
 *       wall-clock time: devices that share a slot are polled in one timer wake-up, every node of
 *       a cluster computes the same slots, and base slots are a subset of live slots, so switching
 *       between them keeps the phase against an agent that refreshes its counter cache on its own
 *       timer.
 *   <li>Right after discovery, three polls one live interval apart (a first reading, a first
 *       change, a measurement) so rates appear within seconds, then onto the base grid; one after
 *       a hand-over, whose anchors already measure.
 *   <li>A move to another grid (a new interval, the end of the warm-up) keeps at least half an
 *       interval after the last poll: a slot just after it would measure over a few milliseconds,
 *       where timing noise is a large share.
 *   <li>Due times are a fixed grid, so polls do not drift; slots missed while the hub was busy
 *       are skipped, not queued, and counted ({@link #missedSlots}): a hub too loaded for its
 *       devices shows as fewer polls than slots, never as samples bunched up after a stall.
 *   <li>An interval long enough for a 32-bit octet counter to wrap twice at line rate is shortened
 *       ({@link #wrapCapMs}).
 * </ul>
 */
final class PollSchedule {
  private static final long MIN_INTERVAL_MS = 100;

  private final String deviceId;
  private final long liveNanos;
  private final long slotNanos;
  private final LongSupplier nanos;
  private final LongToDoubleFunction epochMillis;
  private long requestedMs;
  private long intervalNanos;
  private long nextDueNanos;
  private int warmupPolls = 3;
  private boolean realign;
  /** Slots of the grid that passed without a poll because the timer fired too late for them. */
  private long missedSlots;

  /**
   * @param nanos the monotonic clock ({@link System#nanoTime()})
   * @param epochMillis wall-clock epoch milliseconds, with their fraction, at a reading of
   *     {@code nanos}: one reading converted, not a second clock read a moment later, so the
   *     devices of one slot get the very same deadline
   */
  PollSchedule(String deviceId, long intervalMs, long liveIntervalMs, long slotMs, LongSupplier nanos,
      LongToDoubleFunction epochMillis) {
    this.deviceId = deviceId;
    this.liveNanos = liveIntervalMs * 1_000_000L;
    this.slotNanos = slotMs * 1_000_000L;
    this.nanos = nanos;
    this.epochMillis = epochMillis;
    this.requestedMs = intervalMs;
    this.intervalNanos = intervalMs * 1_000_000L;
  }

  /** The interval in force. */
  long intervalMs() {
    return intervalNanos / 1_000_000L;
  }

  /** The interval asked for (base or live), before the wrap cap. */
  long requestedMs() {
    return requestedMs;
  }

  /**
   * Asks for an interval, shortened to {@code wrapCapMs}; true when the interval in force changed,
   * and with it the grid: the pending poll should move to the next slot of the new one.
   */
  boolean setInterval(long requestedMs, long wrapCapMs) {
    this.requestedMs = requestedMs;
    long n = Math.max(MIN_INTERVAL_MS, Math.min(requestedMs, wrapCapMs)) * 1_000_000L;
    if (n == intervalNanos) return false;
    intervalNanos = n;
    return true;
  }

  /** The next {@code polls} polls come one live interval apart. */
  void warmUp(int polls) {
    warmupPolls = polls;
  }

  /**
   * The due time of the next poll, in {@code nanos}' terms.
   *
   * @param fromNow the next slot from now on the current grid, rather than the slot after the last
   *     due time (after a start, a failed registration, a new interval)
   */
  long next(boolean fromNow) {
    long now = nanos.getAsLong();
    if (warmupPolls > 0) {
      nextDueNanos = now + delayNanos(now, Math.min(liveNanos, intervalNanos));
      warmupPolls--;
      realign = warmupPolls == 0;
    } else if (fromNow || realign) {
      long previous = nextDueNanos;
      nextDueNanos = now + delayNanos(now, intervalNanos);
      realign = false;
      if (previous != 0 && nextDueNanos - previous < intervalNanos / 2) nextDueNanos += intervalNanos;
    } else {
      nextDueNanos += intervalNanos;
      if (nextDueNanos < now) {
        long missed = (now - nextDueNanos) / intervalNanos + 1;
        nextDueNanos += missed * intervalNanos;
        missedSlots += missed;
      }
    }
    return nextDueNanos;
  }

  /** Slots skipped so far because the hub reached them too late (see the class comment). */
  long missedSlots() {
    return missedSlots;
  }

  /** Time from {@code now} to this device's next slot on a grid of {@code spacing}. */
  private long delayNanos(long now, long spacing) {
    long live = Math.min(liveNanos, spacing);
    long phase = PollPhase.phaseNanos(deviceId, live, Math.min(slotNanos, live));
    return PollPhase.delayNanos(Math.round(epochMillis.applyAsDouble(now) * 1e6), phase, spacing);
  }

  /**
   * The longest interval at which no polled interface that counts octets in 32 bits can wrap twice
   * at line rate: at 10 Gbit/s a Counter32 wraps every 3.4 s, and a poll every 10 s could not tell
   * one wrap from three. Polls come at 80 % of the wrap time at the latest.
   */
  static long wrapCapMs(List<PolledInterface> interfaces) {
    long cap = Long.MAX_VALUE;
    for (PolledInterface p : interfaces) {
      long speed = p.info.speedIsPhysical() ? p.info.speedBps() : 0;
      boolean octets32 = !p.usingHc[Counter.IN_OCTETS.ordinal()] || !p.usingHc[Counter.OUT_OCTETS.ordinal()];
      if (speed > 0 && octets32) cap = Math.min(cap, (long) (CounterMath.TWO_POW_32 * 8.0 / speed * 1000 * 0.8));
    }
    return cap;
  }
}
