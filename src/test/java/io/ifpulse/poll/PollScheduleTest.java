package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ReadGroup;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The poll schedule on a clock the test moves. Times in the rows are wall-clock seconds; the
 * monotonic clock runs 0.4 s behind the wall clock, so a grid taken from the wrong one shows. With
 * one slot per live interval every device's phase is 0: slots fall on whole multiples of the
 * spacing.
 */
@Unit
class PollScheduleTest {
  private static final long WALL_AHEAD_NANOS = 400_000_000L;
  private static final long MAX = Long.MAX_VALUE;

  /** A clock the test sets; wall time is the monotonic reading plus a fixed offset. */
  static final class Clock {
    long nanos;

    void atWall(double seconds) {
      nanos = Math.round(seconds * 1e9) - WALL_AHEAD_NANOS;
    }

    static double wall(long nanos) {
      return (nanos + WALL_AHEAD_NANOS) / 1e9;
    }

    PollSchedule schedule(String device, long intervalMs, long liveMs, long slotMs) {
      return new PollSchedule(device, intervalMs, liveMs, slotMs, () -> nanos, n -> (n + WALL_AHEAD_NANOS) / 1e6);
    }
  }

  /** One thing that happens to the schedule at a wall-clock time, and what it must answer. */
  sealed interface Step permits Next, Interval {}

  /** The poll due at {@code at} ran: the next one is due at {@code due}. */
  record Next(double at, boolean fromNow, double due) implements Step {}

  /** The interval is changed at {@code at}; true when the grid changed. */
  record Interval(double at, long ms, boolean changed) implements Step {}

  static Next next(double at, double due) {
    return new Next(at, false, due);
  }

  static Next fromNow(double at, double due) {
    return new Next(at, true, due);
  }

  static Interval interval(double at, long ms, boolean changed) {
    return new Interval(at, ms, changed);
  }

  /** @param missed the slots the schedule must have counted as missed after the steps */
  record Case(String name, long intervalMs, int warmUp, long missed, List<Step> steps) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case tc(String name, long intervalMs, int warmUp, Step... steps) {
    return new Case(name, intervalMs, warmUp, 0, List.of(steps));
  }

  static Case missing(long missed, String name, long intervalMs, int warmUp, Step... steps) {
    return new Case(name, intervalMs, warmUp, missed, List.of(steps));
  }

  static Stream<Case> cases() {
    return Stream.of(
        tc("after discovery: three polls one live interval apart, then the base grid", 10_000, 3,
            fromNow(10.3, 11), next(11.05, 12), next(12.05, 13), next(13.05, 20), next(20.05, 30), next(30.05, 40)),
        tc("the move to the base grid keeps half an interval after the last poll", 10_000, 3,
            fromNow(16.2, 17), next(17.05, 18), next(18.05, 19), next(19.05, 30), next(30.05, 40)),
        tc("after a hand-over: one live poll, whose anchors already measure", 10_000, 1,
            fromNow(10.3, 11), next(11.05, 20), next(20.05, 30)),
        missing(2, "slots missed while the hub was busy are skipped, not queued, and counted", 10_000, 1,
            fromNow(10.3, 11), next(11.05, 20), next(20.05, 30), next(55.2, 60), next(60.05, 70)),
        missing(1, "a poll that starts just past the next slot has missed that one", 1000, 1,
            fromNow(10.3, 11), next(11.05, 12), next(13.2, 14), next(14.05, 15)),
        tc("a poll that starts late within its interval skips nothing", 10_000, 1,
            fromNow(10.3, 11), next(11.05, 20), next(29.9, 30), next(30.05, 40)),
        // A new interval moves the pending poll, and the half-interval rule measures from that
        // pending due time: the live slot after the next one, the base slot after the next one.
        tc("watched: onto the live lattice", 10_000, 1,
            fromNow(10.3, 11), next(11.05, 20), next(20.05, 30), interval(25.3, 1000, true), fromNow(25.3, 27),
            next(27.05, 28), next(28.05, 29)),
        tc("unwatched: back onto the base grid", 10_000, 1,
            fromNow(10.3, 11), next(11.05, 20), interval(18.5, 1000, true), fromNow(18.5, 20), next(20.05, 21),
            next(21.05, 22), next(22.05, 23), next(23.05, 24), next(24.05, 25), next(25.05, 26), next(26.05, 27),
            next(27.05, 28), next(28.05, 29), interval(28.5, 10_000, true), fromNow(28.5, 40), next(40.05, 50)),
        tc("the same interval again changes nothing", 10_000, 1,
            fromNow(10.3, 11), interval(10.5, 10_000, false), next(11.05, 20)),
        tc("a live interval on a 10 s base: polls every second from the start", 1000, 3,
            fromNow(10.3, 11), next(11.05, 12), next(12.05, 13), next(13.05, 14), next(14.05, 15)),
        tc("a slot that is now is a whole interval away", 10_000, 1,
            fromNow(11.0, 12), next(12.05, 20)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void schedules(Case c) {
    Clock clock = new Clock();
    PollSchedule s = clock.schedule("sw-1", c.intervalMs(), 1000, 1000);
    s.warmUp(c.warmUp());
    List<String> got = new ArrayList<>();
    List<String> want = new ArrayList<>();
    for (Step step : c.steps()) {
      if (step instanceof Next n) {
        clock.atWall(n.at());
        want.add(String.format("%.2f", n.due()));
        got.add(String.format("%.2f", Clock.wall(s.next(n.fromNow()))));
      } else if (step instanceof Interval i) {
        clock.atWall(i.at());
        want.add(i.ms() + " ms " + i.changed());
        got.add(i.ms() + " ms " + s.setInterval(i.ms(), MAX));
      }
    }
    want.add("missed " + c.missed());
    got.add("missed " + s.missedSlots());
    assertEquals(want, got, c.name());
  }

  @Test
  void slotsSitAtTheDevicesPhaseAndBaseSlotsAreLiveSlots() {
    long live = 1_000_000_000L;
    long slot = 25_000_000L;
    long phase = PollPhase.phaseNanos("core-sw1", live, slot);
    Clock clock = new Clock();
    PollSchedule s = clock.schedule("core-sw1", 10_000, 1000, 25);
    clock.atWall(100.0123);
    long previous = 0;
    for (int i = 0; i < 8; i++) {
      long due = s.next(i == 0);
      long wallNanos = due + WALL_AHEAD_NANOS;
      long spacing = i < 3 ? live : 10 * live;
      assertEquals(phase, Math.floorMod(wallNanos, spacing), "poll " + i + " at its phase on a grid of " + spacing);
      assertTrue(due > clock.nanos && (previous == 0 || due > previous));
      previous = due;
      clock.nanos = due + 3_000_000; // the poll ran a little after its slot
    }
  }

  @Test
  void theWrapCapShortensTheIntervalAndTheRequestIsKept() {
    PollSchedule s = new Clock().schedule("sw-1", 10_000, 1000, 25);
    assertFalse(s.setInterval(10_000, MAX), "unchanged");
    assertTrue(s.setInterval(10_000, 2748));
    assertEquals(2748, s.intervalMs());
    assertEquals(10_000, s.requestedMs());
    assertTrue(s.setInterval(1000, 2748), "live is below the cap");
    assertEquals(1000, s.intervalMs());
    assertFalse(s.setInterval(1000, MAX));
    assertTrue(s.setInterval(50, MAX));
    assertEquals(100, s.intervalMs(), "never below 100 ms");
  }

  record Port(long speedBps, int ifType, boolean hcIn, boolean hcOut) {}

  record Cap(String name, List<Port> ports, long capMs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Cap> caps() {
    long tenGig = 10_000_000_000L;
    return Stream.of(
        new Cap("10 Gbit/s on Counter32 wraps every 3.4 s: 80 % of it", List.of(new Port(tenGig, 6, false, false)), 2748),
        new Cap("1 Gbit/s on Counter32 wraps every 34 s", List.of(new Port(1_000_000_000L, 6, false, false)), 27_487),
        new Cap("HC counters do not wrap in any interval", List.of(new Port(tenGig, 6, true, true)), MAX),
        new Cap("one direction fell back to 32 bits", List.of(new Port(tenGig, 6, true, false)), 2748),
        new Cap("a loopback's nominal speed means nothing", List.of(new Port(tenGig, 24, false, false)), MAX),
        new Cap("speed unknown", List.of(new Port(0, 6, false, false)), MAX),
        new Cap("the fastest 32-bit port decides", List.of(new Port(1_000_000_000L, 6, false, false),
            new Port(tenGig, 6, true, true), new Port(tenGig, 6, false, false)), 2748),
        new Cap("no interfaces", List.of(), MAX));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caps")
  void wrapCap(Cap c) {
    List<PolledInterface> ifs = new ArrayList<>();
    int ifIndex = 1;
    for (Port p : c.ports()) {
      boolean hc = p.hcIn() || p.hcOut();
      PolledInterface i = new PolledInterface(
          new InterfaceInfo(ifIndex++, "p" + ifIndex, "", "", p.ifType(), p.speedBps(), "up", "up", hc, true, true), ReadGroup.ALL);
      if (hc && !p.hcIn()) i.columnMissing(Counter.IN_OCTETS.ordinal());
      if (hc && !p.hcOut()) i.columnMissing(Counter.OUT_OCTETS.ordinal());
      ifs.add(i);
    }
    assertEquals(c.capMs(), PollSchedule.wrapCapMs(ifs), c.name());
  }
}
