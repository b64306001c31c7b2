package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ReadGroup;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request planner in tables: how interfaces are packed into GETs for a reply budget, how
 * requests shrink after tooBig and after large timeouts, and how a counter falls back from its
 * 64-bit column per interface.
 */
@Unit
class RequestPlannerTest {
  /** A community of six characters ("public"): 46 bytes of a reply are not varbinds. */
  static final int V2C = 40 + 6;
  static final int V3 = 180;
  static final Set<ReadGroup> ALL = ReadGroup.ALL;

  /** What an agent has for an interface: HC counters, an ifXTable row, ifCounterDiscontinuityTime. */
  record Kind(boolean hc, boolean ifx, boolean disc) {}

  static final Kind MODERN = new Kind(true, true, true);
  static final Kind COUNTER32 = new Kind(false, true, true);
  static final Kind V1_ERA = new Kind(false, false, false);

  record Packing(String name, int interfaces, int firstIfIndex, Kind kind, Set<ReadGroup> read, int maxReplyBytes,
      int overhead, List<Integer> perRequest) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Packing> packings() {
    return Stream.of(
        // 14 varbinds of 330 bytes per interface (8 HC of 26, 4 ifTable Counter32 of 21, status 17,
        // discontinuity 21); 1,400 - 46 - 18 (sysUpTime) = 1,336 bytes hold 4 of them.
        new Packing("40 interfaces, every column, v2c: 10 requests of 4", 40, 1, MODERN, ALL, 1400, V2C, repeat(4, 10)),
        new Packing("octets only: 52 bytes an interface, 25 a request", 40, 1, MODERN, Set.of(ReadGroup.OCTETS), 1400, V2C,
            List.of(25, 15)),
        new Packing("v3's larger header leaves room for 3", 10, 1, MODERN, ALL, 1400, V3, List.of(3, 3, 3, 1)),
        new Packing("an ifIndex of 128 or more takes a second OID byte: 344 bytes, 3 a request", 7, 1000, MODERN, ALL, 1400,
            V2C, List.of(3, 3, 1)),
        new Packing("32-bit counters are smaller: 294 bytes, 4 a request", 9, 1, COUNTER32, ALL, 1400, V2C, List.of(4, 4, 1)),
        new Packing("a v1-era agent has no ifXTable columns: 185 bytes, 7 a request", 15, 1, V1_ERA, ALL, 1400, V2C,
            List.of(7, 7, 1)),
        new Packing("the smallest budget (484 bytes) still asks for whole interfaces, one a request", 3, 1, MODERN, ALL, 484,
            V2C, List.of(1, 1, 1)),
        new Packing("an interface larger than the budget gets a request of its own", 2, 1, MODERN, ALL, 300, V2C,
            List.of(1, 1)),
        new Packing("no interfaces, no requests", 0, 1, MODERN, ALL, 1400, V2C, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packings")
  void packs(Packing p) {
    RequestPlanner planner = new RequestPlanner(p.maxReplyBytes(), p.overhead());
    planner.setInterfaces(interfaces(p.interfaces(), p.firstIfIndex(), p.kind(), p.read()));
    List<PlannedGet> gets = planner.requests();
    assertEquals(p.perRequest(), gets.stream().map(g -> g.interfaces.size()).toList(), p.name());
    assertEquals(gets.size(), planner.requestsPerPoll());
    int first = 0;
    for (PlannedGet g : gets) {
      assertEquals(first, g.first, "each request knows where its interfaces are in the device's list");
      first += g.interfaces.size();
      int bytes = g.interfaces.stream().mapToInt(PolledInterface::replyBytes).sum();
      assertTrue(g.interfaces.size() == 1 || bytes <= p.maxReplyBytes() - p.overhead() - 18, p.name() + ": " + bytes + " bytes");
    }
  }

  @Test
  void aRequestIsLaidOutAsSysUpTimeThenEachInterfaceInCounterOrder() {
    RequestPlanner planner = new RequestPlanner(1400, V2C);
    planner.setInterfaces(interfaces(2, 5, MODERN, ALL));
    PlannedGet g = planner.requests().get(0);
    assertEquals(1 + 2 * 14, g.size());
    assertEquals(g.size(), g.request.size());
    assertEquals(PlannedGet.UPTIME, g.field(0));
    assertArrayEquals(RequestPlanner.SYS_UPTIME, g.oid(0));
    for (int k = 0; k < 2; k++) {
      int base = 1 + 14 * k;
      for (Counter c : Counter.values()) {
        assertEquals(c.ordinal(), g.field(base + c.ordinal()));
        assertEquals(k, g.owner(base + c.ordinal()));
      }
      assertEquals(PlannedGet.OPER, g.field(base + 12));
      assertEquals(PlannedGet.DISCONTINUITY, g.field(base + 13));
    }
    assertArrayEquals(PolledInterface.oid("1.3.6.1.2.1.31.1.1.1.6.5"), g.oid(1), "ifHCInOctets of ifIndex 5");
    assertArrayEquals(PolledInterface.oid("1.3.6.1.2.1.2.2.1.14.6"), g.oid(15 + Counter.IN_ERRORS.ordinal()), "ifInErrors of 6");
    assertArrayEquals(PolledInterface.oid("1.3.6.1.2.1.2.2.1.8.6"), g.oid(15 + 12), "ifOperStatus of 6");
    assertArrayEquals(PolledInterface.oid("1.3.6.1.2.1.31.1.1.1.19.6"), g.oid(15 + 13), "ifCounterDiscontinuityTime of 6");
  }

  @Test
  void tooBigSplitsTheRequestAndHalvesTheCap() {
    RequestPlanner planner = new RequestPlanner(1400, V2C);
    planner.setInterfaces(interfaces(40, 1, MODERN, ALL));
    PlannedGet g = planner.requests().get(2); // interfaces 8-11, 57 varbinds
    assertTrue(planner.tooBig(g));
    assertEquals(28, planner.maxVarbinds());
    assertEquals(1, planner.shrinks());
    assertEquals(0, planner.requestsPerPoll(), "packed again at the next poll");
    List<PlannedGet> halves = planner.split(g);
    assertEquals(List.of(2, 2), halves.stream().map(h -> h.interfaces.size()).toList());
    assertEquals(List.of(8, 10), halves.stream().map(h -> h.first).toList());
    assertEquals(List.of(29, 29), halves.stream().map(PlannedGet::size).toList());
    // 1 + 14 + 14 = 29 > 28: one interface a request from now on.
    assertEquals(40, planner.requests().size());

    // tooBig again, of a 15-varbind request: 7, below one interface, which still goes whole.
    assertTrue(planner.tooBig(planner.requests().get(0)));
    assertEquals(7, planner.maxVarbinds());
    assertEquals(40, planner.requests().size());
    // A late tooBig of a request planned before the last shrink does not widen anything.
    assertFalse(planner.tooBig(g));
    assertEquals(7, planner.maxVarbinds());
    assertEquals(2, planner.shrinks());
  }

  @Test
  void shrinkingStopsAtFourVarbinds() {
    RequestPlanner planner = new RequestPlanner(1400, V2C);
    planner.setInterfaces(interfaces(4, 1, MODERN, Set.of(ReadGroup.OCTETS)));
    PlannedGet g = planner.requests().get(0); // 1 + 4 x 2 = 9 varbinds
    assertTrue(planner.tooBig(g));
    assertEquals(4, planner.maxVarbinds());
    assertFalse(planner.tooBig(planner.requests().get(0)), "already at the floor");
    assertEquals(List.of(1, 1, 1, 1), planner.requests().stream().map(r -> r.interfaces.size()).toList());
  }

  record Timeouts(String name, List<Integer> timedOutSizes, boolean answered, int expectedReturn, int expectedCap) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Timeouts> timeouts() {
    int none = Integer.MAX_VALUE;
    return Stream.of(
        new Timeouts("a large request timed out while others were answered: half of it", List.of(57), true, 57, 28),
        new Timeouts("the largest of those that timed out counts", List.of(29, 57, 43), true, 57, 28),
        new Timeouts("all timed out: the agent is away, not the path", List.of(57, 57), false, 0, none),
        new Timeouts("small requests (8 varbinds or fewer) timing out say nothing of size", List.of(8, 5), true, 0, none),
        new Timeouts("nothing timed out", List.of(), true, 0, none));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timeouts")
  void shrinksAfterLargeTimeouts(Timeouts t) {
    RequestPlanner planner = new RequestPlanner(1400, V2C);
    for (int size : t.timedOutSizes()) planner.timedOut(sized(size));
    assertEquals(t.expectedReturn(), planner.pollFinished(t.answered()), t.name());
    assertEquals(t.expectedCap(), planner.maxVarbinds(), t.name());
    assertEquals(0, planner.pollFinished(true), "judged once per poll, then forgotten");
  }

  record Fallback(String name, Kind kind, Counter counter, int times, String expectedOid, boolean expectedHc) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Fallback> fallbacks() {
    return Stream.of(
        new Fallback("HC in-octets missing: ifInOctets", MODERN, Counter.IN_OCTETS, 1, "1.3.6.1.2.1.2.2.1.10.3", false),
        new Fallback("and ifInOctets missing too: dropped", MODERN, Counter.IN_OCTETS, 2, null, false),
        new Fallback("HC multicast missing: ifInMulticastPkts of ifXTable", MODERN, Counter.IN_MCAST, 1,
            "1.3.6.1.2.1.31.1.1.1.2.3", false),
        new Fallback("errors have no 64-bit column: dropped", MODERN, Counter.OUT_ERRORS, 1, null, false),
        new Fallback("a 32-bit counter missing: dropped", COUNTER32, Counter.OUT_UCAST, 1, null, false),
        new Fallback("untouched", MODERN, Counter.OUT_OCTETS, 0, "1.3.6.1.2.1.31.1.1.1.10.3", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fallbacks")
  void fallsBackPerInterfaceAndCounter(Fallback f) {
    RequestPlanner planner = new RequestPlanner(1400, V2C);
    List<PolledInterface> ifs = interfaces(3, 2, f.kind(), ALL);
    planner.setInterfaces(ifs);
    planner.requests();
    PolledInterface p = ifs.get(1); // ifIndex 3
    int before = p.varbinds();
    for (int i = 0; i < f.times(); i++) planner.noInstance(p, f.counter().ordinal());
    int c = f.counter().ordinal();
    if (f.expectedOid() == null) {
      assertNull(p.counterOids[c], f.name());
      assertEquals(before - 1, p.varbinds(), "one varbind fewer");
    } else {
      assertArrayEquals(PolledInterface.oid(f.expectedOid()), p.counterOids[c], f.name());
      assertEquals(before, p.varbinds());
    }
    assertEquals(f.expectedHc(), p.usingHc[c], f.name());
    if (f.times() > 0) assertEquals(0, planner.requestsPerPoll(), "the next poll asks for the new columns");
    for (PolledInterface other : List.of(ifs.get(0), ifs.get(2))) {
      assertEquals(f.kind().hc() && f.counter().hcColumn != null, other.usingHc[c], "other interfaces keep theirs");
      assertTrue(other.counterOids[c] != null, "other interfaces keep theirs");
    }
  }

  @Test
  void aRediscoveredInterfaceKeepsWhatItLearned() {
    PolledInterface p = interfaces(1, 4, MODERN, ALL).get(0);
    p.columnMissing(Counter.IN_OCTETS.ordinal());
    PolledInterface again = p.refreshed(info(4, MODERN), ALL);
    assertFalse(again.usingHc[Counter.IN_OCTETS.ordinal()]);
    assertArrayEquals(PolledInterface.oid("1.3.6.1.2.1.2.2.1.10.4"), again.counterOids[Counter.IN_OCTETS.ordinal()]);
    assertTrue(again.usingHc[Counter.OUT_OCTETS.ordinal()]);
  }

  @ParameterizedTest(name = "OID {0}: {1} bytes")
  @CsvSource({
    "1.3.6.1.2.1.1.3.0,           18",
    "1.3.6.1.2.1.31.1.1.1.6.127,  21",
    "1.3.6.1.2.1.31.1.1.1.6.128,  22",
    "1.3.6.1.2.1.31.1.1.1.6.16383, 22",
    "1.3.6.1.2.1.31.1.1.1.6.16384, 23",
    "1.3.6.1.2.1.31.1.1.1.6.2147483647, 25",
    "1.3.6.1.2.1.31.1.1.1.6.4294967295, 25",
  })
  void berSizeOfAVarbindWithASixByteValue(String oid, int bytes) {
    assertEquals(bytes, PolledInterface.varbindBytes(PolledInterface.oid(oid), 6));
  }

  // ---- helpers

  static InterfaceInfo info(int ifIndex, Kind k) {
    return new InterfaceInfo(ifIndex, "eth" + ifIndex, "eth" + ifIndex, "", 6, 1_000_000_000L, "up", "up", k.hc(), k.disc(), k.ifx());
  }

  static List<PolledInterface> interfaces(int n, int firstIfIndex, Kind k, Set<ReadGroup> read) {
    List<PolledInterface> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new PolledInterface(info(firstIfIndex + i, k), read));
    return out;
  }

  /** A request of exactly {@code varbinds} varbinds: sysUpTime and octets-only interfaces (2 each), or one more. */
  static PlannedGet sized(int varbinds) {
    List<PolledInterface> ifs = new ArrayList<>(interfaces((varbinds - 1) / 2, 1, MODERN, Set.of(ReadGroup.OCTETS)));
    // ifOperStatus alone, where the agent has no discontinuity time: one varbind.
    if ((varbinds - 1) % 2 == 1) ifs.add(new PolledInterface(info(999, new Kind(true, true, false)), Set.of(ReadGroup.STATUS)));
    PlannedGet g = new PlannedGet(ifs, 0);
    assertEquals(varbinds, g.size());
    return g;
  }

  static List<Integer> repeat(int value, int times) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < times; i++) out.add(value);
    return out;
  }
}
