package io.ifpulse.rate;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.rate.InterfaceRate.Gap;
import io.ifpulse.rate.InterfaceRate.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per case the rate engine must get right. Each row is a sequence of polls of a device;
 * each poll lists interface readings and the outcome expected for each of them.
 */
@Unit
class DeviceRateEngineTest {
  private static final long S = 1_000_000_000L;
  private static final long GBIT = 1_000_000_000L;
  private static final long MAX_HOLD = 30 * S;

  /** A reading of the octet counters (and optionally more) of one interface. */
  record R(int ifIndex, double atSeconds, long uptimeTicks, long inOctets, long outOctets, int width,
      long speed, long discontinuity, long[] extra, Expect expect) {}

  /** Expected outcome: state, gap reason, and in/out bit/s (NaN = not checked / absent). */
  record Expect(State state, Gap gap, double inBps, double outBps) {}

  static Expect ok(double inBps, double outBps) {
    return new Expect(State.OK, null, inBps, outBps);
  }

  static Expect held(double inBps, double outBps) {
    return new Expect(State.HELD, null, inBps, outBps);
  }

  static Expect gap(Gap why) {
    return new Expect(State.GAP, why, Double.NaN, Double.NaN);
  }

  static R hc(int ifIndex, double at, long in, long out, Expect e) {
    return new R(ifIndex, at, ticks(at), in, out, 64, GBIT, -1, null, e);
  }

  static R c32(int ifIndex, double at, long in, long out, Expect e) {
    return new R(ifIndex, at, ticks(at), in, out, 32, GBIT, -1, null, e);
  }

  static long ticks(double seconds) {
    return 1_000_000 + Math.round(seconds * 100);
  }

  record Case(String name, List<List<R>> polls) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A case, preceded by a priming poll one second earlier with every counter 1,000 lower: the
   * engine takes the first change after a first reading only as a fresh anchor (the first reading
   * may show values an agent cached earlier), so each row's own first poll is that change.
   */
  @SafeVarargs
  static Case unprimed(String name, List<R>... polls) {
    return new Case(name, Arrays.asList(polls));
  }

  @SafeVarargs
  static Case tc(String name, List<R>... polls) {
    List<R> prime = new ArrayList<>();
    for (R r : polls[0]) {
      long mask = r.width() == 32 ? 0xFFFF_FFFFL : -1L;
      prime.add(new R(r.ifIndex(), r.atSeconds() - 1, r.uptimeTicks() - 100, (r.inOctets() - 1000) & mask,
          (r.outOctets() - 1000) & mask, r.width(), r.speed(), r.discontinuity(), r.extra(), gap(Gap.FIRST)));
    }
    List<List<R>> all = new ArrayList<>();
    all.add(prime);
    all.addAll(Arrays.asList(polls));
    return new Case(name, all);
  }

  static List<R> poll(R... readings) {
    return List.of(readings);
  }

  static final long MB = 125_000_000L; // octets per second at 1 Gbit/s

  static Stream<Case> cases() {
    long w = CounterMath.TWO_POW_32;
    return Stream.of(
        tc("first reading and the first change are gaps, then the rate; octets x 8 = bits",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, MB / 2, MB / 4, ok(500e6, 250e6)))),
        tc("elapsed time is the real time between replies, not the nominal interval",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1.25, MB / 2, 0, ok(400e6, 0)))),
        tc("Counter32 wrap is counted modulo 2^32",
            poll(c32(1, 0, w - 1000, w - 10, gap(Gap.FIRST))),
            poll(c32(1, 1, 9000, 90, ok(80_000, 800)))),
        tc("10 Gbit/s on Counter32 wraps every 3.4 s and is still measured at 1 s polls",
            poll(new R(1, 0, ticks(0), w - 100_000_000L, 0, 32, 10 * GBIT, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 1, ticks(1), (w - 100_000_000L + 1_000_000_000L) % w, 0, 32, 10 * GBIT, -1, null, ok(8e9, 0))),
            poll(new R(1, 2, ticks(2), (w - 100_000_000L + 2_000_000_000L) % w, 0, 32, 10 * GBIT, -1, null, ok(8e9, 0)))),
        tc("10 Gbit/s on Counter32 polled after 4 s: it may have wrapped twice, so no rate",
            poll(new R(1, 0, ticks(0), 1000, 0, 32, 10 * GBIT, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 1, ticks(1), 1000 + 500_000_000L, 0, 32, 10 * GBIT, -1, null, ok(4e9, 0))),
            poll(new R(1, 5, ticks(5), (1000 + 2_500_000_000L) % w, 0, 32, 10 * GBIT, -1, null, gap(Gap.AMBIGUOUS_WRAP)))),
        tc("Counter64 going backwards is a reset: a gap, then correct rates",
            poll(hc(1, 0, 5_000_000, 5_000_000, gap(Gap.FIRST))),
            poll(hc(1, 1, 100, 100, gap(Gap.COUNTER_RESET))),
            poll(hc(1, 2, 100 + MB / 10, 100, gap(Gap.FIRST))),
            poll(hc(1, 3, 100 + 2 * MB / 10, 100, ok(100e6, 0)))),
        tc("sysUpTime going backwards is an agent restart even when Counter32 looks like a wrap",
            poll(c32(1, 0, 3_000_000_000L, 0, gap(Gap.FIRST))),
            poll(new R(1, 1, 50, 1000, 0, 32, GBIT, -1, null, gap(Gap.AGENT_RESTART))),
            poll(new R(1, 2, 150, 1000 + MB / 100, 0, 32, GBIT, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 3, 250, 1000 + 2 * MB / 100, 0, 32, GBIT, -1, null, ok(10e6, 0)))),
        tc("sysUpTime wrapping after 497 days is not a restart",
            poll(new R(1, 0, w - 50, 0, 0, 64, GBIT, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 1, 50, MB / 1000, 0, 64, GBIT, -1, null, ok(1e6, 0)))),
        tc("a changed ifCounterDiscontinuityTime is a reset",
            poll(new R(1, 0, ticks(0), 0, 0, 64, GBIT, 0, null, gap(Gap.FIRST))),
            poll(new R(1, 1, ticks(1), MB, 0, 64, GBIT, 0, null, ok(1e9, 0))),
            poll(new R(1, 2, ticks(2), MB + 10, 0, 64, GBIT, 12345, null, gap(Gap.COUNTER_RESET))),
            poll(new R(1, 3, ticks(3), MB + 10 + MB / 2, 0, 64, GBIT, 12345, null, gap(Gap.FIRST))),
            poll(new R(1, 4, ticks(4), MB + 10 + MB, 0, 64, GBIT, 12345, null, ok(500e6, 0)))),
        tc("a rate twice the interface speed is implausible: a gap, never a spike",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, 2 * MB, 0, gap(Gap.IMPLAUSIBLE))),
            poll(hc(1, 2, 2 * MB + MB / 2, 0, gap(Gap.FIRST))),
            poll(hc(1, 3, 3 * MB, 0, ok(500e6, 0)))),
        tc("a counter that jumps far beyond the link speed (hostile agent) is implausible, then measured again",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, MB / 10 + 1_000_000_000_000L, 0, gap(Gap.IMPLAUSIBLE))),
            poll(hc(1, 2, 2 * MB / 10 + 1_000_000_000_000L, 0, gap(Gap.FIRST))),
            poll(hc(1, 3, 3 * MB / 10 + 1_000_000_000_000L, 0, ok(100e6, 0)))),
        tc("speed unknown: up to the fixed ceiling of 1 Tbit/s is a rate",
            poll(new R(1, 0, ticks(0), 0, 0, 64, 0, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 1, ticks(1), 100 * MB, 0, 64, 0, -1, null, ok(100e9, 0))),
            poll(new R(1, 2, ticks(2), 200 * MB, 1000 * MB, 64, 0, -1, null, ok(100e9, 1e12)))),
        tc("speed unknown: a jump beyond the fixed ceiling is implausible, never a spike",
            poll(new R(1, 0, ticks(0), 0, 0, 64, 0, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 1, ticks(1), MB + 1_000_000_000_000L, 0, 64, 0, -1, null, gap(Gap.IMPLAUSIBLE))),
            poll(new R(1, 1.5, ticks(1.5), 2 * MB + 1_000_000_000_000L, 0, 64, 0, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 2.5, ticks(2.5), 3 * MB + 1_000_000_000_000L, 0, 64, 0, -1, null, ok(1e9, 0)))),
        tc("a rate slightly above speed (timing jitter) is still accepted",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, MB + MB / 10, 0, ok(1.1e9, 0)))),
        tc("unknown speed: no plausibility limit, no utilisation",
            poll(new R(1, 0, ticks(0), 0, 0, 64, 0, -1, null, gap(Gap.FIRST))),
            poll(new R(1, 1, ticks(1), 10 * MB, 0, 64, 0, -1, null, ok(10e9, 0)))),
        tc("a counter width change is a gap",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(c32(1, 1, 10, 10, gap(Gap.WIDTH_CHANGED))),
            poll(c32(1, 2, 10 + MB, 10, gap(Gap.FIRST))),
            poll(c32(1, 3, 10 + 2 * MB, 10, ok(1e9, 0)))),
        tc("caching agent refreshing every 3 s, polled every 1 s: a steady line, not 0, 0, 3x",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 2, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 3, 3 * MB / 10, 3 * MB / 20, ok(100e6, 50e6))),
            poll(hc(1, 4, 3 * MB / 10, 3 * MB / 20, held(100e6, 50e6))),
            poll(hc(1, 5, 3 * MB / 10, 3 * MB / 20, held(100e6, 50e6))),
            poll(hc(1, 6, 6 * MB / 10, 6 * MB / 20, ok(100e6, 50e6))),
            poll(hc(1, 7, 6 * MB / 10, 6 * MB / 20, held(100e6, 50e6))),
            poll(hc(1, 8, 6 * MB / 10, 6 * MB / 20, held(100e6, 50e6))),
            poll(hc(1, 9, 9 * MB / 10, 9 * MB / 20, ok(100e6, 50e6)))),
        unprimed("caching agent, first reading taken 2 s after a refresh: the first change is not measured from it",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, 3 * MB / 10, 0, gap(Gap.FIRST))),
            poll(hc(1, 2, 3 * MB / 10, 0, gap(Gap.FIRST))),
            poll(hc(1, 3, 3 * MB / 10, 0, gap(Gap.FIRST))),
            poll(hc(1, 4, 6 * MB / 10, 0, ok(100e6, 0)))),
        tc("caching agent: an idle interface reads 0 when the rest of the device refreshed",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST)), hc(2, 0, 777, 777, gap(Gap.FIRST))),
            poll(hc(1, 1, 0, 0, gap(Gap.FIRST)), hc(2, 1, 777, 777, gap(Gap.FIRST))),
            poll(hc(1, 2, MB / 5, 0, ok(100e6, 0)), hc(2, 2, 777, 777, ok(0, 0))),
            poll(hc(1, 3, MB / 5, 0, held(100e6, 0)), hc(2, 3, 777, 777, held(0, 0))),
            poll(hc(1, 4, 2 * MB / 5, 0, ok(100e6, 0)), hc(2, 4, 777, 777, ok(0, 0)))),
        tc("traffic that stops: held for 1.5 x the refresh period, then 0 over the whole stale time",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 2, MB / 4, 0, ok(125e6, 0))),
            poll(hc(1, 4, MB / 2, 0, ok(125e6, 0))),
            poll(hc(1, 5, MB / 2, 0, held(125e6, 0))),
            poll(hc(1, 6, MB / 2, 0, held(125e6, 0))),
            poll(hc(1, 7, MB / 2, 0, held(125e6, 0))),
            poll(hc(1, 8, MB / 2, 0, ok(0, 0)))),
        tc("a timed-out poll (no reading) is bridged: the next rate covers the whole time",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, MB / 10, 0, ok(100e6, 0))),
            poll(hc(1, 3, 3 * MB / 10, 0, ok(100e6, 0)))),
        tc("interfaces of one poll each use their own reply's arrival time",
            poll(hc(1, 0, 0, 0, gap(Gap.FIRST)), hc(2, 0.5, 0, 0, gap(Gap.FIRST))),
            poll(hc(1, 1, MB / 10, 0, ok(100e6, 0)), hc(2, 2.5, MB / 10, 0, ok(50e6, 0)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ratesFollowTheTable(Case c) {
    DeviceRateEngine engine = new DeviceRateEngine(1.5, MAX_HOLD);
    int pollNo = 0;
    for (List<R> poll : c.polls()) {
      List<InterfaceReading> readings = new ArrayList<>();
      for (R r : poll) {
        readings.add(reading(r));
      }
      List<InterfaceRate> rates = engine.update(readings);
      for (int i = 0; i < poll.size(); i++) {
        Expect e = poll.get(i).expect();
        InterfaceRate got = rates.get(i);
        String where = c.name() + ", poll " + pollNo + ", ifIndex " + poll.get(i).ifIndex() + ": " + got;
        assertEquals(e.state(), got.state(), where);
        assertEquals(e.gap(), got.gap(), where);
        assertClose(e.inBps(), got.inBps(), where + " (in)");
        assertClose(e.outBps(), got.outBps(), where + " (out)");
        if (got.state() == State.GAP) {
          assertTrue(Double.isNaN(got.inBps()) && Double.isNaN(got.outBps()), "a gap carries no number: " + where);
        } else {
          assertTrue(got.inBps() >= 0 && got.outBps() >= 0, "never negative: " + where);
        }
      }
      pollNo++;
    }
  }

  /**
   * Anchors leave an engine only once they are known to be fresh (a first reading may show values
   * an agent cached earlier), and an engine that takes them measures the next change at once.
   */
  @org.junit.jupiter.api.Test
  void freshAnchorsCarryTheMeasurementToAnotherEngine() {
    long mb = 1_000_000;
    DeviceRateEngine first = new DeviceRateEngine(1.5, MAX_HOLD);
    first.update(List.of(reading(hc(1, 0, 0, 0, null))));
    assertTrue(first.exportAnchors().isEmpty(), "a first reading is no fresh anchor");
    first.update(List.of(reading(hc(1, 1, mb, mb, null))));
    first.update(List.of(reading(hc(1, 2, 2 * mb, 2 * mb, null))));
    List<InterfaceReading> anchors = first.exportAnchors();
    assertEquals(1, anchors.size());
    assertEquals(2 * mb, anchors.get(0).value(Counter.IN_OCTETS));

    DeviceRateEngine next = new DeviceRateEngine(1.5, MAX_HOLD);
    next.importAnchors(anchors);
    InterfaceRate r = next.update(List.of(reading(hc(1, 3, 3 * mb, 3 * mb, null)))).get(0);
    assertEquals(State.OK, r.state());
    assertClose(8e6, r.inBps(), "one second after the anchor");
    assertEquals(1, next.exportAnchors().size());
  }

  static InterfaceReading reading(R r) {
    long[] values = new long[Counter.COUNT];
    byte[] widths = new byte[Counter.COUNT];
    values[Counter.IN_OCTETS.ordinal()] = r.inOctets();
    values[Counter.OUT_OCTETS.ordinal()] = r.outOctets();
    widths[Counter.IN_OCTETS.ordinal()] = (byte) r.width();
    widths[Counter.OUT_OCTETS.ordinal()] = (byte) r.width();
    if (r.extra() != null) {
      for (int i = 2; i < Counter.COUNT; i++) {
        if (r.extra()[i] >= 0) {
          values[i] = r.extra()[i];
          widths[i] = (byte) (Counter.of(i).hcColumn != null ? r.width() : 32);
        }
      }
    }
    return new InterfaceReading(r.ifIndex(), values, widths, Math.round(r.atSeconds() * S),
        r.uptimeTicks(), r.discontinuity(), r.speed());
  }

  static void assertClose(double expected, double actual, String where) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), where + ": expected no value");
      return;
    }
    assertEquals(expected, actual, Math.max(1e-6, Math.abs(expected) * 1e-9), where);
  }
}
