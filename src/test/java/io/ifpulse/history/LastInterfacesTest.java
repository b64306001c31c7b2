package io.ifpulse.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.InterfaceSample.Rate;
import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.testing.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class LastInterfacesTest {

  private static InterfaceSample rated(int ifIndex, String name, double inBps) {
    InterfaceRate r = new InterfaceRate(ifIndex, InterfaceRate.State.OK, null, 1_000_000_000L, inBps, inBps / 2, 1000, 500, 0.5, 0,
        0, 0.25, 12.5, Double.NaN);
    return InterfaceSample.of(ifIndex, name, "up", 10_000_000_000L, r);
  }

  private static InterfaceSample gap(int ifIndex, String name) {
    return InterfaceSample.of(ifIndex, name, "down", 0, InterfaceRate.gap(ifIndex, InterfaceRate.Gap.COUNTER_RESET));
  }

  @Test
  void givesBackEveryInterfaceAsTheSampleHadIt() {
    List<InterfaceSample> ifs = List.of(rated(1, "eth0", 1e9), gap(2, "eth1"), rated(3, "eth2", 0));
    LastInterfaces last = new LastInterfaces();
    last.update(ifs);

    assertEquals(3, last.size());
    for (int k = 0; k < ifs.size(); k++) assertEquals(ifs.get(k), last.iface(k), "interface " + k);
    assertEquals("eth1", last.name(1));
    assertTrue(last.isGap(1));
    assertTrue(Double.isNaN(last.rate(Rate.IN_BPS, 1)), "a gap has no rate");
    assertTrue(Double.isNaN(last.rate(Rate.OUT_UTIL, 0)), "absent stays absent");
    assertEquals(1e9, last.sum(Rate.IN_BPS));
    assertEquals(0.5e9, last.sum(Rate.OUT_BPS));
    assertEquals(0.0, last.sum(Rate.OUT_UTIL), "no interface has it");
  }

  @Test
  void aNewSampleLeavesNothingOfTheOldOne() {
    LastInterfaces last = new LastInterfaces();
    last.update(List.of(rated(1, "eth0", 5e8), rated(2, "eth1", 7e8), rated(3, "eth2", 9e8)));
    // Fewer interfaces, and the first one lost its rates (a gap) and its speed.
    last.update(List.of(gap(1, "eth0"), rated(2, "eth1", 1e6)));

    assertEquals(2, last.size());
    assertEquals(gap(1, "eth0"), last.iface(0));
    assertEquals(0, last.speedBps(0));
    assertEquals(rated(2, "eth1", 1e6), last.iface(1));
    assertEquals(1e6, last.sum(Rate.IN_BPS), "only the interfaces of the latest sample count");
  }

  @Test
  void keepsTheNamesItHoldsWhenANewSampleSpellsThemAgain() {
    LastInterfaces last = new LastInterfaces();
    String held = "eth0";
    last.update(List.of(rated(1, held, 1)));
    // As a sample decoded from another node's JSON: equal strings, new instances.
    last.update(List.of(rated(1, new String("eth0"), 2)));
    assertSame(held, last.name(0));
    last.update(List.of(rated(1, "eth9", 3)));
    assertEquals("eth9", last.name(0));
    last.update(List.of(InterfaceSample.of(1, null, "up", 0, InterfaceRate.gap(1, InterfaceRate.Gap.NO_DATA))));
    assertNull(last.name(0));
  }

  /** What search matches is made again from the names only when they change, not on every sample. */
  @Test
  void namesVersionMovesOnlyWhenANameOrTheCountChanges() {
    LastInterfaces last = new LastInterfaces();
    last.update(List.of(rated(1, "eth0", 1), rated(2, "eth1", 1)));
    long v = last.namesVersion();
    last.update(List.of(rated(1, new String("eth0"), 5), rated(2, "eth1", 7)));
    assertEquals(v, last.namesVersion(), "new rates, same names");
    last.update(List.of(rated(1, "eth0", 5), rated(2, "uplink", 7)));
    assertTrue(last.namesVersion() > v, "a renamed interface");
    long w = last.namesVersion();
    last.update(List.of(rated(1, "eth0", 5)));
    assertTrue(last.namesVersion() > w, "one interface fewer");
  }
}
