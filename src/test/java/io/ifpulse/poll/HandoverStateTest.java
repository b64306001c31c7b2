package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import io.ifpulse.rate.DeviceRateEngine;
import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.testing.Unit;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-over state and its JSON form, the one shape every node of a cluster writes and reads:
 * what is kept, that it reads back whole, that state in the shape written so far still reads, and
 * which state a new owner refuses.
 */
@Unit
class HandoverStateTest {
  static final long NOW_MS = 1_800_000_000_000L;
  static final String ENDPOINT = "10.0.0.7:161";

  /** A state as a node wrote it: two interfaces, one anchor (the second interface had none fresh). */
  static JsonObject saved() {
    JsonArray values = new JsonArray();
    JsonArray widths = new JsonArray();
    for (int i = 0; i < Counter.COUNT; i++) {
      values.add(i == 0 ? "18446744073709551615" : String.valueOf(1000 + i));
      widths.add(i < 8 ? 64 : 32);
    }
    return new JsonObject()
        .put("seq", 4711)
        .put("endpoint", ENDPOINT)
        .put("savedAt", NOW_MS - 2000)
        .put("interfaces", new JsonArray()
            .add(new JsonObject().put("ifIndex", 3).put("name", "Gi0/3").put("descr", "GigabitEthernet0/3").put("alias", "uplink")
                .put("type", 6).put("speedBps", 1_000_000_000L).put("admin", "up").put("oper", "up").put("hc", true)
                .put("disc", true).put("ifx", true))
            .add(new JsonObject().put("ifIndex", 4).put("name", "Gi0/4").put("descr", "GigabitEthernet0/4").put("alias", "")
                .put("type", 6).put("speedBps", 0L).put("admin", "up").put("oper", "down").put("hc", false)
                .put("disc", false).put("ifx", false)))
        .put("anchors", new JsonObject().put("3", new JsonObject()
            .put("values", values)
            .put("widths", widths)
            .put("epochMs", NOW_MS - 2500.25)
            .put("sysUpTime", 123_456L)
            .put("discontinuity", 77L)
            .put("speedBps", 1_000_000_000L)));
  }

  @Test
  void readsTheShapeNodesWriteAndWritesItBackTheSame() {
    HandoverState s = HandoverState.fromJson(saved());
    assertEquals(4711, s.seq());
    assertEquals(ENDPOINT, s.endpoint());
    assertEquals(NOW_MS - 2000, s.savedAtMs());
    assertEquals(new InterfaceInfo(3, "Gi0/3", "GigabitEthernet0/3", "uplink", 6, 1_000_000_000L, "up", "up", true, true, true),
        s.interfaces().get(0));
    assertEquals(new InterfaceInfo(4, "Gi0/4", "GigabitEthernet0/4", "", 6, 0, "up", "down", false, false, false),
        s.interfaces().get(1));
    InterfaceReading a = s.anchors().get(0);
    assertEquals(3, a.ifIndex());
    assertEquals(-1L, a.values()[0], "unsigned 64-bit, as text");
    assertEquals(1011, a.values()[11]);
    assertEquals(64, a.widths()[7]);
    assertEquals(32, a.widths()[8]);
    assertEquals(MonotonicClock.nanosAt(NOW_MS - 2500.25), a.arrivalNanos(), "wall-clock time to this process's nanoTime");
    assertEquals(123_456L, a.sysUpTime());
    assertEquals(77L, a.discontinuity());
    assertEquals(1_000_000_000L, a.speedBps());

    JsonObject again = s.toJson();
    assertEquals(List.of("seq", "endpoint", "savedAt", "interfaces", "anchors"), List.copyOf(again.fieldNames()));
    assertEquals(saved().getJsonArray("interfaces"), again.getJsonArray("interfaces"));
    JsonObject anchor = again.getJsonObject("anchors").getJsonObject("3");
    assertEquals(List.of("values", "widths", "epochMs", "sysUpTime", "discontinuity", "speedBps"), List.copyOf(anchor.fieldNames()));
    JsonObject before = saved().getJsonObject("anchors").getJsonObject("3");
    for (String k : List.of("values", "widths", "sysUpTime", "discontinuity", "speedBps")) {
      assertEquals(before.getValue(k), anchor.getValue(k), k);
    }
    assertEquals(before.getDouble("epochMs"), anchor.getDouble("epochMs"), 0.001, "within a microsecond");
  }

  @Test
  void anEnginesAnchorsTravelToAnotherEngine() {
    DeviceRateEngine old = new DeviceRateEngine(1.5, 30_000_000_000L);
    long t0 = MonotonicClock.nanos();
    for (int poll = 0; poll < 3; poll++) old.update(List.of(reading(t0, poll, 1_000_000L * poll)));
    HandoverState state = new HandoverState(9, ENDPOINT, NOW_MS, List.of(), old.exportAnchors());
    HandoverState read = HandoverState.fromJson(new JsonObject(state.toJson().encode()));
    DeviceRateEngine next = new DeviceRateEngine(1.5, 30_000_000_000L);
    next.importAnchors(read.anchors());
    // 1,000,000 octets a second since the last anchor: 8 Mbit/s at once, no warm-up.
    InterfaceRate r = next.update(List.of(reading(t0, 3, 3_000_000L))).get(0);
    assertEquals(InterfaceRate.State.OK, r.state());
    // The time travels as wall-clock milliseconds in a double: exact to about a microsecond.
    assertEquals(8_000_000, r.inBps(), 8);
  }

  record Refusal(String name, UnaryOperator<JsonObject> change, boolean taken) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("the same agent, two seconds ago", j -> j, true),
        new Refusal("saved ten minutes ago to the millisecond", j -> j.put("savedAt", NOW_MS - 600_000), true),
        new Refusal("older: the anchors would span too long", j -> j.put("savedAt", NOW_MS - 600_001), false),
        new Refusal("saved in the future: another node's clock is ahead", j -> j.put("savedAt", NOW_MS + 1), false),
        new Refusal("without a time", j -> { j.remove("savedAt"); return j; }, false),
        new Refusal("another agent under the same id", j -> j.put("endpoint", "10.0.0.8:161"), false),
        new Refusal("no agent named", j -> { j.remove("endpoint"); return j; }, false),
        new Refusal("no interfaces", j -> j.put("interfaces", new JsonArray()), false),
        new Refusal("an interface that is not an object", j -> j.put("interfaces", new JsonArray().add("Gi0/3")), false),
        new Refusal("an interface without its flags", j -> { j.getJsonArray("interfaces").getJsonObject(0).remove("ifx"); return j; },
            false),
        new Refusal("a counter value that is not a number", j -> {
          j.getJsonObject("anchors").getJsonObject("3").getJsonArray("values").set(2, "lots");
          return j;
        }, false),
        new Refusal("a sequence number as text", j -> j.put("seq", "4711"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void takesOverOnlyFreshStateOfTheSameAgent(Refusal r) {
    HandoverState s = HandoverState.takeOver(r.change().apply(saved()), ENDPOINT, NOW_MS, "device test");
    if (r.taken()) assertNotNull(s, r.name());
    else assertNull(s, r.name());
  }

  @Test
  void anAnchorWithoutEveryCounterIsLeftOutAndTheRestTaken() {
    JsonObject j = saved();
    JsonObject short11 = j.getJsonObject("anchors").getJsonObject("3").copy();
    short11.getJsonArray("values").remove(11);
    j.getJsonObject("anchors").put("4", short11);
    HandoverState s = HandoverState.takeOver(j, ENDPOINT, NOW_MS, "device test");
    assertNotNull(s);
    assertEquals(List.of(3), s.anchors().stream().map(InterfaceReading::ifIndex).toList());
    assertArrayEquals(new byte[] {64, 64, 64, 64, 64, 64, 64, 64, 32, 32, 32, 32}, s.anchors().get(0).widths());
    assertTrue(s.interfaces().size() == 2);
  }

  /** ifIndex 3, {@code seconds} after {@code t0}. */
  static InterfaceReading reading(long t0, int seconds, long octets) {
    long[] v = new long[Counter.COUNT];
    byte[] w = new byte[Counter.COUNT];
    v[Counter.IN_OCTETS.ordinal()] = octets;
    v[Counter.OUT_OCTETS.ordinal()] = octets / 2;
    w[Counter.IN_OCTETS.ordinal()] = 64;
    w[Counter.OUT_OCTETS.ordinal()] = 64;
    return new InterfaceReading(3, v, w, t0 + seconds * 1_000_000_000L, 1000 + 100L * seconds, -1, 1_000_000_000L);
  }
}
