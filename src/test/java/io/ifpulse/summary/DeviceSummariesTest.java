package io.ifpulse.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Unit
class DeviceSummariesTest {
  private static final double N = Double.NaN;

  /** An interface of a sample: name, oper, in, out, inUtil, outUtil. */
  record If(String name, String oper, double in, double out, double inUtil, double outUtil) {}

  static InterfaceColumns columns(If... ifs) {
    return new InterfaceColumns() {
      public int size() { return ifs.length; }
      public int ifIndex(int k) { return k + 1; }
      public String name(int k) { return ifs[k].name; }
      public String oper(int k) { return ifs[k].oper; }
      public double inBps(int k) { return ifs[k].in; }
      public double outBps(int k) { return ifs[k].out; }
      public double inUtil(int k) { return ifs[k].inUtil; }
      public double outUtil(int k) { return ifs[k].outUtil; }
    };
  }

  static DeviceEntry of(If... ifs) {
    return DeviceSummaries.of("r1", "10.0.0.1", List.of("core"), DeviceState.UP, columns(ifs), 0, 1000, 0, 0, "r1");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, interfaces, inBps, outBps, maxUtil, maxUtilIf, ifDown
        Arguments.of("no interfaces", new If[] {}, N, N, N, null, 0),
        Arguments.of("sums rounded to 3 digits", new If[] {new If("a", "up", 1_234_567, 10, 1.5, 2.25), new If("b", "up", 1_000, 20, 3, 0)},
            1_240_000d, 30d, 3d, "b", 0),
        Arguments.of("a gap counts nothing", new If[] {new If("a", "up", N, N, N, N), new If("b", "up", 5, 6, N, N)}, 5d, 6d, N, null, 0),
        Arguments.of("all gaps: totals unknown", new If[] {new If("a", "up", N, N, N, N)}, N, N, N, null, 0),
        Arguments.of("one direction known", new If[] {new If("a", "up", 7, N, N, 40.04)}, 7d, N, 40d, "a", 0),
        Arguments.of("the larger direction is the utilisation", new If[] {new If("a", "up", 1, 1, 10, 90.123), new If("b", "up", 1, 1, 80, 5)},
            2d, 2d, 90.1d, "a", 0),
        Arguments.of("down and unknown oper", new If[] {new If("a", "down", 0, 0, 0, 0), new If("b", "lowerLayerDown", 0, 0, 0, 0),
            new If("c", null, 0, 0, 0, 0), new If("d", "up", 0, 0, 0, 0)}, 0d, 0d, 0d, "a", 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void entryFromASample(String name, If[] ifs, double in, double out, double maxUtil, String maxUtilIf, int ifDown) {
    DeviceEntry e = of(ifs);
    assertEquals(in, e.inBps());
    assertEquals(out, e.outBps());
    assertEquals(maxUtil, e.maxUtil());
    assertEquals(maxUtilIf, e.maxUtilIf());
    assertEquals(ifDown, e.ifDown());
    assertEquals(ifs.length, e.ifs());
  }

  @Test
  void withoutASampleRatesAreUnknownAndNullInJson() {
    DeviceEntry e = DeviceSummaries.of("r1", "h", List.of(), DeviceState.NO_DATA, null, 12, -1, 1, 1, "r1");
    assertEquals(12, e.ifs());
    var j = e.toJson(DeviceEntry.ALL_FIELDS);
    assertTrue(j.containsKey("inBps") && j.getValue("inBps") == null, j.encode());
    assertNull(j.getValue("ts"));
    assertNull(j.getValue("maxUtil"));
    assertEquals("no-data", j.getString("state"));
  }

  @Test
  void ownTopListsHoldTenBusiestFirstAndLeaveGapsOut() {
    List<If> ifs = new ArrayList<>();
    for (int i = 0; i < 30; i++) ifs.add(new If("p" + i, "up", i * 100, 0, i, N));
    ifs.add(new If("gap", "up", N, N, N, N));
    ifs.add(new If("nospeed", "up", 1e9, 0, N, N));
    DeviceEntry e = of(ifs.toArray(If[]::new));
    assertEquals(10, e.topUtil().size());
    assertEquals("p29", e.topUtil().get(0).name());
    assertEquals("p20", e.topUtil().get(9).name());
    assertEquals("nospeed", e.topBps().get(0).name(), "by bit/s an interface of unknown speed counts");
    assertTrue(e.topUtil().stream().noneMatch(t -> t.name().equals("nospeed") || t.name().equals("gap")));
  }

  @Test
  void searchTextIsLowerCaseOneItemPerLine() {
    String t = DeviceSummaries.searchText("Core-1", "Router.Example", List.of("DC1"), List.of("Ge-0/0/1", "Uplink to\nISP"));
    assertEquals("core-1\nrouter.example\ndc1\nge-0/0/1\nuplink to isp\n", t);
  }
}
