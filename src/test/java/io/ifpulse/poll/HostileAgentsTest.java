package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.testing.HubUnderTest;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Agents that answer with more than any device should have: a million interfaces, 60 KB strings.
 * Each costs the hub a bounded amount (maxInterfaces rows, 255-byte strings, a byte budget per
 * discovery), its device says why in its state ({@code limited}), and the other devices keep
 * their schedule.
 */
class HostileAgentsTest {
  @Test
  void hostileAgentsAreCutToTheirBoundsAndSayWhy() throws Exception {
    try (HubUnderTest h = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000},
         "credentials": {"lab": {"community": "public"}},
         "devices": [
           {"id": "calm", "sim": {"model": "steady", "interfaces": 2}},
           {"id": "many", "intervalMs": 10000, "read": ["octets"],
            "sim": {"model": "steady", "interfaces": 1, "hostile": {"interfaces": 1000000}}},
           {"id": "long", "sim": {"model": "steady", "interfaces": 30, "hostile": {"stringBytes": 60000}}},
           {"id": "flood", "maxInterfaces": 100,
            "sim": {"model": "steady", "interfaces": 100, "hostile": {"stringBytes": 60000}}}]}""", Map.of())) {
      List<TrafficSample> calm = new CopyOnWriteArrayList<>();
      h.hub().vertx().eventBus().consumer(Addresses.traffic("calm"), m -> calm.add(EventJson.traffic(m.body())));

      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
        Map<String, JsonObject> d = devices(h);
        return d.values().stream().allMatch(j -> j.getLong("lastTs") != null) && "limited".equals(d.get("many").getString("state"))
            && "limited".equals(d.get("long").getString("state")) && "limited".equals(d.get("flood").getString("state"));
      });
      Map<String, JsonObject> d = devices(h);

      JsonObject many = d.get("many");
      assertEquals(10_000, many.getInteger("interfaces"), many.encode());
      assertTrue(many.getString("stateReason").contains("more than 10000 interfaces"), many.encode());
      assertEquals(1, many.getJsonObject("stats").getJsonObject("limits").getLong("interfaces"), many.encode());

      JsonObject longStrings = d.get("long");
      assertEquals(30, longStrings.getInteger("interfaces"), longStrings.encode());
      assertTrue(longStrings.getString("stateReason").contains("60 strings longer than 255 bytes cut"), longStrings.encode());
      assertEquals(60, longStrings.getJsonObject("stats").getJsonObject("limits").getLong("strings"), longStrings.encode());
      for (Object o : h.json("/api/devices/long").getJsonArray("interfaces")) {
        JsonObject i = (JsonObject) o;
        assertEquals(255, i.getString("descr").length(), "descr cut to 255 characters");
        assertTrue(i.getString("descr").startsWith("ifpulse sim long eth"), i.getString("descr"));
      }

      JsonObject flood = d.get("flood");
      assertTrue(flood.getString("stateReason").contains("discovery stopped after"), flood.encode());
      assertEquals(1, flood.getJsonObject("stats").getJsonObject("limits").getLong("bytes"), flood.encode());
      assertTrue(flood.getInteger("interfaces") < 100, "the budget ended the walk early: " + flood.encode());

      // Meanwhile the calm device went on being polled, every poll answered. The bound is loose on
      // purpose (this machine is shared, and a collection of a full young generation stops every
      // thread): it tells bounded interference from an agent that holds the hub for the length of
      // a million-row walk. Latency under load is the benchmarks' business.
      // On a quiet machine the hostile discoveries end within a few of calm's polls: take at least
      // five samples, which span them from the start.
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> calm.size() >= 5);
      for (int k = 1; k < calm.size(); k++) {
        assertEquals(calm.get(k - 1).seq() + 1, calm.get(k).seq());
        long gap = calm.get(k).ts() - calm.get(k - 1).ts();
        // Only the upper bound tells a held hub; a poll that ran late on a loaded machine makes the
        // next gap short (its ts is when the agent answered), which is no interference.
        assertTrue(gap > 0 && gap < 5000, "calm polled on its schedule while the others were discovered: " + gap + " ms");
        assertTrue(calm.get(k).reachable());
      }

      // The heap holds what the bounds allow (10,000 interfaces, strings of 255 bytes), not what the
      // agents sent (a million rows, 60 KB strings).
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      assertTrue(used < 300L << 20, "heap after GC: " + (used >> 20) + " MB");
    }
  }

  private static Map<String, JsonObject> devices(HubUnderTest h) throws Exception {
    Map<String, JsonObject> out = new java.util.HashMap<>();
    for (Object o : h.json("/api/devices").getJsonArray("devices")) out.put(((JsonObject) o).getString("id"), (JsonObject) o);
    return out;
  }
}
