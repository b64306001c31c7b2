package io.ifpulse.rate;

import io.ifpulse.rate.InterfaceRate.Gap;
import io.ifpulse.rate.InterfaceRate.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns successive counter readings of one device into rates. Deterministic: time comes only from
 * the readings' arrival stamps, so every case is a row in a table test.
 *
 * <h2>Agents that cache counters</h2>
 *
 * Most agents refresh their whole interface table at once on a timer (net-snmp about every 3 s,
 * many switches every 5–10 s), so a 1 s poll sees the same values two or three times and then a
 * jump. This engine keeps, per interface, an <em>anchor</em>: the reading that last carried new
 * values. A changed reading is measured against the anchor over the real time between the two
 * replies, which spans the whole cache period; readings with unchanged counters repeat that
 * measurement ({@link State#HELD}) instead of reporting zero. The device-wide view separates the
 * two meanings of "unchanged":
 *
 * <ul>
 *   <li>if other interfaces of the device changed in the same poll, the cache did refresh and this
 *       interface really was idle: its rate is zero, measured from the anchor;
 *   <li>if nothing on the device changed, the cache is stale: the last measurement is held, but
 *       only for 1.5 × the longest recently observed refresh period (capped by {@code maxHold}),
 *       after which the device is taken to be idle.
 * </ul>
 *
 * <p>A first reading, or the reading after a gap, may carry values the agent cached some time
 * before; the first change after it only sets the anchor, and rates start at the second.
 *
 * <h2>Gaps</h2>
 *
 * A restart of the agent, a counter reset or discontinuity, a change of counter width or an
 * implausible rate (above the speed × the plausibility factor, or above
 * {@link #UNKNOWN_SPEED_CEILING_BPS} where the speed is unknown) produces {@link State#GAP} and re-anchors on the current reading, so the next
 * poll measures correctly again. A poll that timed out leaves the anchor in place: the next reply
 * is measured over the whole time since, so no traffic is lost from the long-run average.
 */
public final class DeviceRateEngine {
  private static final int REFRESH_HISTORY = 4;
  /**
   * The ceiling of a plausible rate where the interface's speed is unknown (0, or not a physical
   * speed: loopbacks, tunnels): 1 Tbit/s, faster than any port in service and far slower than a
   * counter that jumps by a Counter64's upper bits. Without it such an interface would publish
   * whatever a broken or hostile agent's counters imply.
   */
  public static final double UNKNOWN_SPEED_CEILING_BPS = 1e12;

  private final double plausibilityFactor;
  private final long maxHoldNanos;
  private final Map<Integer, Track> tracks = new HashMap<>();
  private final long[] refreshIntervals = new long[REFRESH_HISTORY];
  private int refreshCount;
  private boolean anyReading;
  private boolean refreshSeen;
  private long lastRefreshNanos;

  private static final class Track {
    InterfaceReading anchor;
    InterfaceReading last;
    InterfaceRate measured;
    /**
     * Whether the anchor's values are known to be fresh at its arrival. A first reading (or one
     * after a gap) may show values an agent cached seconds earlier; measuring from it would divide
     * several seconds of traffic by less time. So the first change only moves the anchor, and
     * measuring starts from there.
     */
    boolean anchorFresh;
  }

  /**
   * @param plausibilityFactor a rate above {@code speed × factor} is rejected as a glitch
   * @param maxHoldNanos the longest a stale cache is bridged by holding the last measurement
   */
  public DeviceRateEngine(double plausibilityFactor, long maxHoldNanos) {
    if (plausibilityFactor < 1) throw new IllegalArgumentException("plausibilityFactor < 1");
    this.plausibilityFactor = plausibilityFactor;
    this.maxHoldNanos = maxHoldNanos;
  }

  /** One poll's readings (any order, one per interface) to one rate per reading, same order. */
  public List<InterfaceRate> update(List<InterfaceReading> readings) {
    boolean refreshed = false;
    long arrival = Long.MIN_VALUE;
    for (InterfaceReading r : readings) {
      arrival = Math.max(arrival, r.arrivalNanos());
      Track t = tracks.get(r.ifIndex());
      if (t != null && t.last != null && r.countersDifferFrom(t.last)) {
        refreshed = true;
      }
    }
    if (!readings.isEmpty()) {
      if (!anyReading) {
        anyReading = true;
        // Until a refresh is seen, staleness counts from the first reading. That reading is not a
        // refresh itself: the time from it to the first change is no refresh period.
        lastRefreshNanos = arrival;
      } else if (refreshed) {
        if (refreshSeen) refreshIntervals[refreshCount++ % REFRESH_HISTORY] = arrival - lastRefreshNanos;
        refreshSeen = true;
        lastRefreshNanos = arrival;
      }
    }
    boolean staleTooLong = !refreshed && anyReading && arrival - lastRefreshNanos > holdLimitNanos();

    List<InterfaceRate> out = new ArrayList<>(readings.size());
    for (InterfaceReading r : readings) {
      out.add(update(tracks.computeIfAbsent(r.ifIndex(), k -> new Track()), r, refreshed || staleTooLong));
    }
    return out;
  }

  /**
   * The fresh anchors, for another node to continue from: per interface the reading that last
   * brought new values. Their arrival times are this process's {@link System#nanoTime()}, which
   * another machine cannot read: whoever carries them across converts them to wall-clock time.
   */
  public List<InterfaceReading> exportAnchors() {
    List<InterfaceReading> out = new ArrayList<>(tracks.size());
    for (Track t : tracks.values()) {
      if (t.anchor != null && t.anchorFresh) out.add(t.anchor);
    }
    return out;
  }

  /**
   * Continues from anchors another node exported, their arrival times converted to this process's
   * {@link System#nanoTime()}: the next changed reading is measured at once.
   */
  public void importAnchors(List<InterfaceReading> anchors) {
    for (InterfaceReading r : anchors) {
      Track t = tracks.computeIfAbsent(r.ifIndex(), k -> new Track());
      t.anchor = r;
      t.last = r;
      t.measured = null;
      t.anchorFresh = true;
    }
  }

  /** Forgets interfaces that no longer exist (after rediscovery). */
  public void retain(Set<Integer> ifIndexes) {
    tracks.keySet().retainAll(ifIndexes);
  }

  /** The longest time unchanged counters are taken to be a stale cache rather than idleness. */
  public long holdLimitNanos() {
    if (refreshCount == 0) {
      return maxHoldNanos;
    }
    long longest = 0;
    for (int i = 0; i < Math.min(refreshCount, REFRESH_HISTORY); i++) {
      longest = Math.max(longest, refreshIntervals[i]);
    }
    return Math.min(maxHoldNanos, longest + longest / 2);
  }

  private InterfaceRate update(Track t, InterfaceReading r, boolean unchangedMeansIdle) {
    InterfaceReading last = t.last;
    if (last == null) {
      return restart(t, r, Gap.FIRST);
    }
    if (CounterMath.agentRestarted(last.sysUpTime(), r.sysUpTime(), r.arrivalNanos() - last.arrivalNanos())) {
      return restart(t, r, Gap.AGENT_RESTART);
    }
    if (r.discontinuity() >= 0 && last.discontinuity() >= 0 && r.discontinuity() != last.discontinuity()) {
      return restart(t, r, Gap.COUNTER_RESET);
    }
    InterfaceReading a = t.anchor;
    for (int i = 0; i < Counter.COUNT; i++) {
      if (a.widths()[i] != 0 && r.widths()[i] != 0 && a.widths()[i] != r.widths()[i]) {
        return restart(t, r, Gap.WIDTH_CHANGED);
      }
    }
    t.last = r;
    if (!r.countersDifferFrom(a) && !unchangedMeansIdle) {
      return t.measured == null ? InterfaceRate.gap(r.ifIndex(), Gap.FIRST) : t.measured.held();
    }
    long elapsed = r.arrivalNanos() - a.arrivalNanos();
    if (elapsed <= 0) {
      return t.measured == null ? InterfaceRate.gap(r.ifIndex(), Gap.FIRST) : t.measured.held();
    }
    if (!t.anchorFresh) {
      // Counters that changed (or a device that refreshed around an idle interface) are fresh now.
      t.anchor = r;
      t.anchorFresh = true;
      return InterfaceRate.gap(r.ifIndex(), Gap.FIRST);
    }
    long speedBps = r.speedBps();
    if (speedBps > 0 && (wrapsWithin(r, Counter.IN_OCTETS, elapsed, speedBps) || wrapsWithin(r, Counter.OUT_OCTETS, elapsed, speedBps))) {
      return restart(t, r, Gap.AMBIGUOUS_WRAP);
    }
    long[] d = new long[Counter.COUNT];
    for (int i = 0; i < Counter.COUNT; i++) {
      if (a.widths()[i] == 0 || r.widths()[i] == 0) {
        d[i] = -1;
        continue;
      }
      long delta = CounterMath.delta(a.values()[i], r.values()[i], r.widths()[i]);
      if (delta == CounterMath.RESET) {
        return restart(t, r, Gap.COUNTER_RESET);
      }
      d[i] = delta;
    }
    double inBps = bits(d, Counter.IN_OCTETS, elapsed);
    double outBps = bits(d, Counter.OUT_OCTETS, elapsed);
    long speed = r.speedBps();
    double ceiling = speed > 0 ? speed * plausibilityFactor : UNKNOWN_SPEED_CEILING_BPS;
    if (inBps > ceiling || outBps > ceiling) {
      return restart(t, r, Gap.IMPLAUSIBLE);
    }
    InterfaceRate rate =
        new InterfaceRate(
            r.ifIndex(),
            State.OK,
            null,
            elapsed,
            inBps,
            outBps,
            packets(d, Counter.IN_UCAST, Counter.IN_MCAST, Counter.IN_BCAST, elapsed),
            packets(d, Counter.OUT_UCAST, Counter.OUT_MCAST, Counter.OUT_BCAST, elapsed),
            perSecond(d, Counter.IN_ERRORS, elapsed),
            perSecond(d, Counter.OUT_ERRORS, elapsed),
            perSecond(d, Counter.IN_DISCARDS, elapsed),
            perSecond(d, Counter.OUT_DISCARDS, elapsed),
            speed > 0 ? inBps * 100.0 / speed : Double.NaN,
            speed > 0 ? outBps * 100.0 / speed : Double.NaN);
    t.anchor = r;
    t.measured = rate;
    return rate;
  }

  /** Whether a 32-bit octet counter could pass 2^32 within the interval at line rate. */
  private static boolean wrapsWithin(InterfaceReading r, Counter c, long elapsedNanos, long speedBps) {
    return r.widths()[c.ordinal()] == 32 && speedBps / 8.0 * elapsedNanos / 1e9 >= CounterMath.TWO_POW_32;
  }

  private static InterfaceRate restart(Track t, InterfaceReading r, Gap why) {
    t.anchor = r;
    t.last = r;
    t.measured = null;
    t.anchorFresh = false;
    return InterfaceRate.gap(r.ifIndex(), why);
  }

  private static double perSecond(long[] d, Counter c, long elapsed) {
    long v = d[c.ordinal()];
    return v < 0 ? Double.NaN : CounterMath.perSecond(v, elapsed);
  }

  private static double bits(long[] d, Counter c, long elapsed) {
    return perSecond(d, c, elapsed) * 8;
  }

  /** Unicast plus whatever multicast and broadcast counters the agent has. */
  private static double packets(long[] d, Counter ucast, Counter mcast, Counter bcast, long elapsed) {
    long u = d[ucast.ordinal()];
    if (u < 0) return Double.NaN;
    // Summed as doubles: three Counter64 deltas of an agent whose counters jumped can pass 2^63,
    // and a long sum would wrap to a negative packet rate.
    double sum = (double) u + Math.max(0, d[mcast.ordinal()]) + Math.max(0, d[bcast.ordinal()]);
    return sum * 1e9 / elapsed;
  }
}
