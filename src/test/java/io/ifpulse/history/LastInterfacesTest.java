package io.ifpulse.history;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.TrafficMessage;
import io.ifpulse.rate.InterfaceRate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

@Unit
class LastInterfacesTest {

  private static JsonObject rated(int ifIndex, String name, double inBps) {
    return new JsonObject().put("ifIndex", ifIndex).put("name", name).put("oper", "up").put("speedBps", 10_000_000_000L)
        .put("state", "ok").put("intervalMs", 1000.0).put("inBps", inBps).put("outBps", inBps / 2).put("inUtil", 12.5);
  }

  @Test
  void givesBackEveryInterfaceAsTheSampleHadIt() {
    JsonArray ifs = new JsonArray()
        .add(rated(1, "eth0", 1e9))
        .add(new JsonObject().put("ifIndex", 2).put("name", "eth1").put("oper", "down").put("state", "gap").put("gap", "first-poll"))
        .add(rated(3, "eth2", 0).put("future", new JsonObject().put("x", 1))); // a key this class has never heard of
    LastInterfaces last = new LastInterfaces();
    last.update(ifs);

    assertEquals(3, last.size());
    for (int k = 0; k < ifs.size(); k++) assertEquals(ifs.getJsonObject(k), last.iface(k), "interface " + k);
    // The kinds of value come back as they went in: a JSON client sees 1, not 1.0.
    assertInstanceOf(Integer.class, last.iface(0).getValue("ifIndex"));
    assertInstanceOf(Long.class, last.iface(0).getValue("speedBps"));
    assertInstanceOf(Double.class, last.iface(0).getValue("inBps"));
    assertEquals("eth1", last.get(1, "name"));
    assertNull(last.get(1, "inBps"), "a gap has no rate");
    assertEquals(1e9 + 0, last.sum("inBps"));
    assertEquals(0.5e9, last.sum("outBps"));
  }

  @Test
  void aKeyOfEveryInterfaceAtOnce() {
    LastInterfaces last = new LastInterfaces();
    last.update(new JsonArray()
        .add(rated(1, "eth0", 1e9))
        .add(new JsonObject().put("ifIndex", 2).put("name", "eth1").put("state", "gap"))
        .add(new JsonObject().put("ifIndex", 3).put("name", "eth2").put("inBps", 7))); // an integer, in another column
    double[] in = last.numbers("inBps");
    assertEquals(1e9, in[0]);
    assertTrue(Double.isNaN(in[1]), "absent");
    assertEquals(7.0, in[2]);
    assertEquals(3.0, last.numbers("ifIndex")[2]);
    assertArrayEquals(new Object[] {"eth0", "eth1", "eth2"}, last.values("name"));
    assertArrayEquals(new Object[] {"ok", "gap", null}, last.values("state"));
    assertEquals(3, last.numbers("nothing").length);
  }

  @Test
  void aNewSampleLeavesNothingOfTheOldOne() {
    LastInterfaces last = new LastInterfaces();
    last.update(new JsonArray().add(rated(1, "eth0", 5e8)).add(rated(2, "eth1", 7e8)).add(rated(3, "eth2", 9e8)));
    // Fewer interfaces, and the first one lost its rates (a gap) and its speed.
    JsonObject gap = new JsonObject().put("ifIndex", 1).put("name", "eth0").put("oper", "up").put("state", "gap").put("gap", "reset");
    last.update(new JsonArray().add(gap).add(rated(2, "eth1", 1e6)));

    assertEquals(2, last.size());
    assertEquals(gap, last.iface(0));
    assertEquals(rated(2, "eth1", 1e6), last.iface(1));
    assertEquals(1e6, last.sum("inBps"), "only the interfaces of the latest sample count");
  }

  @Test
  void keysInAnotherOrderOrOfAnotherKindAtTheSamePositionAreKeptRight() {
    LastInterfaces last = new LastInterfaces();
    last.update(new JsonArray().add(new JsonObject().put("ifIndex", 1).put("name", "eth0").put("inBps", 5.0).put("x", 1)));
    last.update(new JsonArray().add(new JsonObject().put("ifIndex", 1).put("name", "eth0").put("inBps", 6.0).put("x", 1)));
    // Same position, keys in another order, "x" now a double and "inBps" a string.
    JsonObject moved = new JsonObject().put("x", 2.5).put("inBps", "n/a").put("name", "eth0").put("ifIndex", 1);
    last.update(new JsonArray().add(moved));
    assertEquals(moved, last.iface(0));
    assertInstanceOf(Double.class, last.iface(0).getValue("x"));
    assertEquals(0.0, last.sum("inBps"), "no interface has a numeric inBps now");
    // And back: the first shape again.
    JsonObject back = new JsonObject().put("ifIndex", 1).put("name", "eth0").put("inBps", 7.0).put("x", 3);
    last.update(new JsonArray().add(back));
    assertEquals(back, last.iface(0));
    assertInstanceOf(Integer.class, last.iface(0).getValue("x"));
    assertEquals(7.0, last.sum("inBps"));
  }

  @Test
  void keepsWhatTheHubPublishes() {
    // The real builder of samples: every key it writes comes back.
    InterfaceRate r = new InterfaceRate(7, InterfaceRate.State.OK, null, 1_000_000_000L, 8e8, 4e8, 1000, 500, 0.5, 0, 0, 0.25,
        8.0, 4.0);
    JsonObject iface = TrafficMessage.iface(7, "xe-0/0/1", "up", 10_000_000_000L, r);
    LastInterfaces last = new LastInterfaces();
    last.update(new JsonArray().add(iface));
    assertEquals(iface, last.iface(0));
    assertEquals(iface.fieldNames().size(), last.iface(0).fieldNames().size());
  }
}
