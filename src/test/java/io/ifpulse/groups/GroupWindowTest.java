package io.ifpulse.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.GroupSample;
import io.ifpulse.testing.Unit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per case: members' samples as (ts, intervalMs, inBps) steps, the window [9000, 10000],
 * and the group's in-bit/s and missing members. Out is a fixed 0.5 × in, so every row checks both.
 */
@Unit
class GroupWindowTest {
  private static final MemberRef A = new MemberRef("a", 1, "eth0");
  private static final MemberRef B = new MemberRef("b", 2, "eth1");
  private static final long GBIT = 1_000_000_000L;

  /** A member's samples: {ts, intervalMs, inBps} each. */
  private static MemberSeries series(long speed, double[]... samples) {
    MemberSeries s = new MemberSeries();
    for (double[] x : samples) {
      double[] rates = new double[MemberSeries.FIELDS];
      rates[MemberSeries.IN_BPS] = x[2];
      rates[MemberSeries.OUT_BPS] = x[2] / 2;
      rates[MemberSeries.IN_PPS] = x[2] / 8000;
      s.add((long) x[0], x[1], rates, speed);
    }
    return s;
  }

  private static double[] at(double ts, double intervalMs, double inBps) {
    return new double[] {ts, intervalMs, inBps};
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("steady members on different phases sum exactly",
            series(GBIT, at(8300, 1000, 100e6), at(9300, 1000, 100e6), at(10300, 1000, 100e6)),
            series(GBIT, at(8850, 1000, 50e6), at(9850, 1000, 50e6), at(10850, 1000, 50e6)),
            150e6, List.of()),
        Arguments.of("a rate that changes inside the window is weighted by the time it held",
            // a: 100 M over (8300, 9300], 200 M over (9300, 10300]: 0.3 s × 100 + 0.7 s × 200 = 170
            series(GBIT, at(9300, 1000, 100e6), at(10300, 1000, 200e6)),
            series(GBIT, at(10500, 2000, 10e6)),
            180e6, List.of()),
        Arguments.of("a member not yet past the window's end is missing, and the total is the other one's",
            series(GBIT, at(9300, 1000, 100e6), at(10300, 1000, 100e6)),
            series(GBIT, at(8850, 1000, 50e6), at(9850, 1000, 50e6)),
            100e6, List.of("b/eth1")),
        Arguments.of("a hole inside the window (a gap, a lost sample) makes the member missing",
            series(GBIT, at(9300, 1000, 100e6), at(10600, 800, 100e6)),
            series(GBIT, at(10850, 2000, 50e6)),
            50e6, List.of("a/eth0")),
        Arguments.of("a hole of rounding size is joined, an overlap cut",
            series(GBIT, at(9300, 1000, 100e6), at(10300, 990, 100e6)),
            series(GBIT, at(9800, 1000, 50e6), at(10800, 1010, 50e6)),
            150e6, List.of()),
        Arguments.of("a duplicate sample changes nothing",
            series(GBIT, at(9300, 1000, 100e6), at(10300, 1000, 100e6), at(10300, 1000, 900e6)),
            series(GBIT, at(9800, 1000, 50e6), at(10800, 1000, 50e6)),
            150e6, List.of()),
        Arguments.of("no member counted: no total, not a total of 0",
            series(GBIT, at(9300, 1000, 100e6)),
            null,
            Double.NaN, List.of("a/eth0", "b/eth1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sums(String what, MemberSeries a, MemberSeries b, double inBps, List<String> missing) {
    Map<MemberRef, MemberSeries> series = new LinkedHashMap<>();
    series.put(A, a);
    if (b != null) series.put(B, b);
    GroupSample s = GroupWindow.compute("g", 7, List.of(A, B), List.of(), series, 10_000, 1000, 2500);
    assertEquals(inBps, s.inBps(), 1e-3 * (Double.isNaN(inBps) ? 1 : inBps));
    assertEquals(inBps / 2, s.outBps(), 1e-3 * (Double.isNaN(inBps) ? 1 : inBps));
    assertEquals(missing, s.missing());
    assertEquals(!missing.isEmpty(), s.partial());
    assertEquals(2, s.members());
    assertEquals(10_000, s.ts());
    assertEquals(2 - missing.size(), s.stack().size());
    if (missing.isEmpty()) {
      assertEquals(2 * GBIT, s.speedBps());
      assertEquals(inBps / (2 * GBIT) * 100, s.inUtil(), 1e-3);
    }
  }

  @org.junit.jupiter.api.Test
  void aMemberWithoutSpeedLeavesUtilisationUnknownAndAMissingCounterLeavesItsSumUnknown() {
    MemberSeries a = series(GBIT, at(9300, 1000, 100e6), at(10300, 1000, 100e6));
    MemberSeries b = new MemberSeries();
    double[] rates = new double[MemberSeries.FIELDS];
    Arrays.fill(rates, 1);
    rates[MemberSeries.IN_PPS] = Double.NaN; // a v1 agent: no multicast counters, so no full pps
    b.add(9500, 1000, rates, 0);
    b.add(10500, 1000, rates, 0);
    GroupSample s = GroupWindow.compute("g", 1, List.of(A, B), List.of(), Map.of(A, a, B, b), 10_000, 1000, 2500);
    assertFalse(s.partial());
    assertEquals(100e6 + 1, s.inBps(), 1e-6);
    assertTrue(Double.isNaN(s.inUtil()));
    assertEquals(0, s.speedBps());
    assertTrue(Double.isNaN(s.inPps()));
    assertEquals(1, s.inErrors(), 1e-9); // a has no errors, b one a second
  }

  @org.junit.jupiter.api.Test
  void undiscoveredDevicesMakeTheSamplePartial() {
    MemberSeries a = series(GBIT, at(9300, 1000, 100e6), at(10300, 1000, 100e6));
    GroupSample s = GroupWindow.compute("g", 1, List.of(A), List.of("core-3"), Map.of(A, a), 10_000, 1000, 2500);
    assertEquals(List.of("core-3/*"), s.missing());
    assertEquals(100e6, s.inBps(), 1e-6);
  }
}
