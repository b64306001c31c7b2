package io.ifpulse.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Diffing, the problems-first order, top-N selection and the cut per scope. */
@Unit
class SummaryArithmeticTest {
  private static DeviceEntry entry(String id, DeviceState state, double in, int ifDown, int alerts, int critical, String... tags) {
    TopInterface t = new TopInterface(id, 1, "eth0", in / 1e7, in, 0);
    return new DeviceEntry(id, "h-" + id, List.of(tags), state, in, 0, in / 1e7, "eth0", 1, ifDown, alerts, critical, 1000,
        List.of(t), List.of(t), id);
  }

  @Test
  void changedFieldsAreExactlyTheDifferentOnes() {
    DeviceEntry a = entry("r1", DeviceState.UP, 100, 0, 0, 0);
    assertEquals(DeviceEntry.ALL_FIELDS, a.changedSince(null));
    assertEquals(0, a.changedSince(entry("r1", DeviceState.UP, 100, 0, 0, 0)));
    DeviceEntry b = entry("r1", DeviceState.UNREACHABLE, 200, 1, 0, 0, "x");
    assertEquals(DeviceEntry.STATE | DeviceEntry.IN_BPS | DeviceEntry.MAX_UTIL | DeviceEntry.IF_DOWN | DeviceEntry.TAGS, b.changedSince(a));
    DeviceEntry unknown = new DeviceEntry("r1", "h-r1", List.of(), DeviceState.UP, Double.NaN, 0, Double.NaN, null, 1, 0, 0, 0, 1000,
        List.of(), List.of(), "r1");
    DeviceEntry stillUnknown = new DeviceEntry("r1", "h-r1", List.of(), DeviceState.UP, Double.NaN, 0, Double.NaN, null, 1, 0, 0, 0, 1000,
        List.of(), List.of(), "r1");
    assertEquals(0, stillUnknown.changedSince(unknown), "unknown then and unknown now is no change");
    JsonObject j = unknown.toJson(unknown.changedSince(a));
    assertEquals(Set.of("id", "inBps", "maxUtil", "maxUtilIf"), j.fieldNames());
    assertNull(j.getValue("inBps"));
  }

  @Test
  void problemsFirst() {
    List<DeviceEntry> es = new ArrayList<>(List.of(
        entry("up-b", DeviceState.UP, 1, 0, 0, 0),
        entry("up-a", DeviceState.UP, 1, 0, 0, 0),
        entry("disabled", DeviceState.DISABLED, 0, 0, 0, 0),
        entry("nodata", DeviceState.NO_DATA, 0, 0, 0, 0),
        entry("ifdown", DeviceState.UP, 1, 2, 0, 0),
        entry("warning", DeviceState.UP, 1, 0, 1, 0),
        entry("critical", DeviceState.UP, 1, 3, 2, 1),
        entry("nocred", DeviceState.NO_CREDENTIALS, 0, 0, 0, 0),
        entry("unreach-b", DeviceState.UNREACHABLE, 0, 0, 0, 0),
        entry("unreach-a", DeviceState.UNREACHABLE, 0, 5, 3, 3)));
    es.sort(ProblemsFirst.ORDER);
    assertEquals(List.of("unreach-a", "unreach-b", "nocred", "critical", "warning", "ifdown", "nodata", "disabled", "up-a", "up-b"),
        es.stream().map(DeviceEntry::id).toList());
  }

  @Test
  void topSelectionKeepsTheBestInOrderWithTiesById() {
    TopSelection s = new TopSelection(3, TopInterface.BY_BPS);
    for (String d : List.of("d", "b", "a", "c", "e")) s.offer(new TopInterface(d, 1, "x", Double.NaN, d.equals("e") ? 9 : 5, 0));
    s.offer(new TopInterface("z", 1, "x", Double.NaN, 1, 0));
    assertEquals(List.of("e", "a", "b"), s.result().stream().map(TopInterface::device).toList());
    assertEquals(List.of(), new TopSelection(0, TopInterface.BY_UTIL).result());
  }

  @Test
  void aTickCarriesOnlyChangesAndNoneIsMadeWhenNothingChanged() {
    SummaryBuilder b = new SummaryBuilder("e1");
    DeviceEntry r1 = entry("r1", DeviceState.UP, 100, 0, 0, 0);
    DeviceEntry r2 = entry("r2", DeviceState.UP, 200, 0, 0, 0);
    SummaryTick t1 = b.tick(1, List.of(r1, r2));
    assertEquals(1, t1.seq());
    assertEquals(2, t1.changes().size());
    assertNull(b.tick(2, List.of(r1, r2)), "nothing changed");
    assertNull(b.tick(3, List.of(entry("r1", DeviceState.UP, 100, 0, 0, 0), r2)), "an equal entry is no change");
    SummaryTick t2 = b.tick(4, List.of(entry("r1", DeviceState.UNREACHABLE, 100, 0, 0, 0)));
    assertEquals(2, t2.seq(), "seq goes up by one per tick made");
    assertEquals(1, t2.changes().size());
    assertEquals(DeviceEntry.STATE, t2.changes().get(0).fields());
    assertEquals(List.of("r2"), t2.removed().stream().map(DeviceEntry::id).toList());
    assertEquals(1, t2.fleet().unreachable());
    assertEquals(1, t2.fleet().devices());
    assertEquals(t2, b.latest());
  }

  @Test
  void aScopeSeesItsDevicesAloneAndFleetAndTopOnlyWhenTheyChanged() {
    SummaryBuilder b = new SummaryBuilder("e1");
    ScopedSummary gold = new ScopedSummary((id, tags) -> tags.contains("gold"));
    ScopedSummary all = new ScopedSummary(null);
    DeviceEntry a = entry("a", DeviceState.UP, 100, 0, 0, 0, "gold");
    DeviceEntry x = entry("x", DeviceState.UP, 9e9, 0, 1, 1);
    JsonObject m1 = gold.message(b.tick(1, List.of(a, x)));
    assertFalse(m1.encode().contains("\"x\""), m1.encode());
    assertEquals(1, m1.getJsonObject("fleet").getInteger("devices"));
    assertEquals(0, m1.getJsonObject("fleet").getJsonObject("alerts").getInteger("critical"));
    assertEquals("a", m1.getJsonObject("top").getJsonArray("bps").getJsonObject(0).getString("device"));
    assertTrue(all.message(b.latest()).encode().contains("\"x\""));

    // Only x changes: the gold scope gets an empty message without fleet or top.
    SummaryTick t2 = b.tick(2, List.of(a, entry("x", DeviceState.UNREACHABLE, 9e9, 0, 1, 1)));
    JsonObject m2 = gold.message(t2);
    assertEquals(Set.of("epoch", "seq", "ts", "devices", "removed"), m2.fieldNames());
    assertTrue(m2.getJsonArray("devices").isEmpty());
    assertTrue(all.message(t2).containsKey("fleet"));

    // x gains the gold tag: new to the scope, so all of it; then loses it: removed from the scope.
    JsonObject m3 = gold.message(b.tick(3, List.of(a, entry("x", DeviceState.UNREACHABLE, 9e9, 0, 1, 1, "gold"))));
    JsonObject xIn = m3.getJsonArray("devices").getJsonObject(0);
    assertEquals(new TreeSet<>(Set.of("id", "host", "tags", "state", "inBps", "outBps", "maxUtil", "maxUtilIf", "ifs", "ifDown",
        "alerts", "critical", "ts")), new TreeSet<>(xIn.fieldNames()));
    JsonObject m4 = gold.message(b.tick(4, List.of(a, entry("x", DeviceState.UNREACHABLE, 9e9, 0, 1, 1))));
    assertEquals(List.of("x"), m4.getJsonArray("removed").getList());
    assertEquals(1, m4.getJsonObject("fleet").getInteger("devices"));

    JsonObject snap = ScopedSummary.snapshot(b.latest(), (id, tags) -> tags.contains("gold"));
    assertEquals(1, snap.getJsonArray("devices").size());
    assertEquals(4, snap.getLong("seq"));
    assertEquals(List.of("a"), ScopedSummary.search(b.latest(), (id, tags) -> tags.contains("gold"), "A").getList());
  }
}
