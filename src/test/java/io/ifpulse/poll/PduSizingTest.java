package io.ifpulse.poll;

import io.ifpulse.events.Addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The poller packs counters into as few requests as fit a 1,400-byte reply, and asks for less when
 * an agent answers tooBig or when large requests time out while small ones get through.
 */
class PduSizingTest {

  @Test
  void packsSplitsOnTooBigAndShrinksAfterLargeTimeouts() throws Exception {
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 300, "retries": 0},
         "devices": [
           {"id": "packed", "sim": {"model": "steady", "interfaces": 40}},
           {"id": "small-mtu", "sim": {"model": "steady", "interfaces": 10}},
           {"id": "blackhole", "sim": {"model": "steady", "interfaces": 10}}]}""")) {
      sim.device("small-mtu").setMaxMessageSize(700);
      sim.device("blackhole").setDropRequestsAbove(40);
      try (PollerHarness h = sim.poll(256)) {
        for (String id : List.of("packed", "small-mtu", "blackhole")) h.awaitSamples(id, 6, Duration.ofSeconds(30));
        JsonObject stats = h.vertx().eventBus().<JsonObject>request(Addresses.POLLER_STATS, null).await().body();

        // 40 interfaces x 14 counters: the replies of 10 requests of 4 interfaces fit 1,400 bytes.
        JsonObject packed = stats.getJsonObject("packed");
        assertEquals(10, packed.getInteger("requestsPerPoll"), "packed: " + packed);
        assertEquals(0, packed.getInteger("pduShrinks"));

        JsonObject small = stats.getJsonObject("small-mtu");
        assertTrue(small.getInteger("pduShrinks") >= 1, "tooBig made requests smaller: " + small);
        assertTrue(small.getInteger("requestsPerPoll") > 3, small.toString());

        JsonObject hole = stats.getJsonObject("blackhole");
        assertTrue(hole.getInteger("pduShrinks") >= 1, "large timeouts made requests smaller: " + hole);
        assertTrue(hole.getLong("timeouts") >= 1, hole.toString());

        for (String id : List.of("packed", "small-mtu", "blackhole")) {
          List<JsonObject> samples = h.samples(id);
          JsonObject last = samples.get(samples.size() - 1);
          assertTrue(last.getBoolean("reachable"), id);
          for (Object o : last.getJsonArray("interfaces")) {
            assertEquals("ok", ((JsonObject) o).getString("state"), id + ": every interface measured: " + o);
          }
        }
        // Every sim request of the packed device is one of the 10 per poll (plus discovery).
        long polls = packed.getLong("polls");
        long requests = sim.device("packed").requests();
        assertTrue(requests <= polls * 10 + 20, "no extra requests: " + requests + " for " + polls + " polls");
      }
    }
  }

  /** A device asked only for octets reads two varbinds per interface, and publishes bit rates only. */
  @Test
  void readOnlyOctets() throws Exception {
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 1000},
         "devices": [{"id": "octets", "read": ["octets"], "sim": {"model": "steady", "interfaces": 40}}]}""")) {
      try (PollerHarness h = sim.poll(256)) {
        h.awaitSamples("octets", 4, Duration.ofSeconds(30));
        JsonObject before = h.vertx().eventBus().<JsonObject>request(Addresses.POLLER_STATS, null).await().body()
            .getJsonObject("octets");
        long varbindsBefore = sim.device("octets").varbinds();
        h.awaitSamples("octets", h.samples("octets").size() + 3, Duration.ofSeconds(30));
        JsonObject after = h.vertx().eventBus().<JsonObject>request(Addresses.POLLER_STATS, null).await().body()
            .getJsonObject("octets");
        long varbinds = sim.device("octets").varbinds() - varbindsBefore;
        long polls = after.getLong("polls") - before.getLong("polls");
        // 80 counters of 26 bytes do not fit one 1,400-byte reply: two requests, each with sysUpTime.
        assertEquals(2, after.getInteger("requestsPerPoll"), after.toString());
        assertTrue(polls >= 2, "polled meanwhile: " + polls);
        assertEquals(82 * polls, varbinds, "varbinds answered for " + polls + " polls");

        List<JsonObject> samples = h.samples("octets");
        for (Object o : samples.get(samples.size() - 1).getJsonArray("interfaces")) {
          JsonObject i = (JsonObject) o;
          assertEquals("ok", i.getString("state"), i.toString());
          assertTrue(i.getDouble("inBps") > 0 && i.getDouble("outBps") > 0, i.toString());
          assertTrue(!i.containsKey("inPps") && !i.containsKey("inErrors"), "nothing that was not read: " + i);
          assertEquals("unknown", i.getString("oper"), i.toString());
        }
      }
    }
  }
}
