package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.ReadGroup;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a rediscovery changes: interfaces are matched by ifIndex and name, so a renumbering agent
 * never lends one port's counters to another.
 */
@Unit
class InterfaceChangesTest {
  /** "ifIndex:name", or "ifIndex:name:32" for an interface without HC counters. */
  record Row(String name, List<String> before, List<String> discovered, Set<Integer> same, List<Integer> added,
      List<Integer> removed, boolean any) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("the first discovery adds everything", List.of(), List.of("1:eth0", "2:eth1"), Set.of(), List.of(1, 2), List.of(),
            true),
        new Row("nothing changed", List.of("1:eth0", "2:eth1"), List.of("1:eth0", "2:eth1"), Set.of(1, 2), List.of(), List.of(),
            false),
        new Row("an interface came", List.of("1:eth0"), List.of("1:eth0", "2:eth1"), Set.of(1), List.of(2), List.of(), true),
        new Row("an interface went", List.of("1:eth0", "2:eth1"), List.of("2:eth1"), Set.of(2), List.of(), List.of(1), true),
        new Row("renumbered after a restart: both ifIndexes name other ports now", List.of("1:eth0", "2:eth1"),
            List.of("1:eth1", "2:eth0"), Set.of(), List.of(1, 2), List.of(), true),
        new Row("an interface lost its HC counters: the same port, its columns chosen again", List.of("1:eth0"),
            List.of("1:eth0:32"), Set.of(1), List.of(), List.of(), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void changes(Row row) {
    List<PolledInterface> before = polled(row.before());
    for (PolledInterface p : before) if (p.usingHc[0]) p.columnMissing(Counter.OUT_OCTETS.ordinal()); // something learned
    InterfaceChanges c = InterfaceChanges.of(before, infos(row.discovered()), ReadGroup.ALL);
    assertEquals(row.same(), new TreeSet<>(c.same()), "same");
    assertEquals(row.added(), c.added(), "added");
    assertEquals(row.removed(), c.removed(), "removed");
    assertEquals(row.any(), c.any());
    assertEquals(infos(row.discovered()), c.polled().stream().map(p -> p.info).toList(), "polled as discovered");
    for (PolledInterface p : c.polled()) {
      boolean kept = row.same().contains(p.info.ifIndex()) && p.info.hasHcCounters();
      assertEquals(!kept && p.info.hasHcCounters(), p.usingHc[Counter.OUT_OCTETS.ordinal()],
          p.info + ": the same port keeps its learned columns, any other starts afresh");
    }
  }

  static List<InterfaceInfo> infos(List<String> specs) {
    List<InterfaceInfo> out = new ArrayList<>();
    for (String s : specs) {
      String[] f = s.split(":");
      boolean hc = f.length < 3;
      out.add(new InterfaceInfo(Integer.parseInt(f[0]), f[1], f[1], "", 6, 1_000_000_000L, "up", "up", hc, true, true));
    }
    return out;
  }

  static List<PolledInterface> polled(List<String> specs) {
    return infos(specs).stream().map(i -> new PolledInterface(i, ReadGroup.ALL)).toList();
  }
}
