package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.testing.HubUnderTest;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Agents whose replies go wrong in every way the simulator knows (wrong types, reordered varbinds,
 * a GET answered as a GETNEXT, duplicate and late replies, a GETBULK that never advances, tooBig
 * for everything, counters that jump, widths that flip), beside a calm device, on one real hub:
 * each hostile device's state or a counted reason says what went wrong, no published rate is ever
 * above its interface's speed, the calm device keeps its schedule and the heap stays bounded.
 */
class HostileRepliesTest {
  @Test
  void eachHostileAgentSaysWhyAndNeverSpikes() throws Exception {
    try (HubUnderTest h = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 500, "retries": 1},
         "credentials": {"lab": {"community": "public"}},
         "devices": [
           {"id": "calm", "sim": {"model": "steady", "interfaces": 2}},
           {"id": "types", "sim": {"model": "steady", "interfaces": 2, "hostile": {"wrongTypes": true}}},
           {"id": "shuffled", "sim": {"model": "steady", "interfaces": 2, "hostile": {"reorder": true}}},
           {"id": "next", "sim": {"model": "steady", "interfaces": 2, "hostile": {"getAsNext": true}}},
           {"id": "twice", "sim": {"model": "steady", "interfaces": 2, "hostile": {"duplicate": true}}},
           {"id": "late", "sim": {"model": "steady", "interfaces": 2, "hostile": {"lateMs": 1500}}},
           {"id": "stuck", "sim": {"model": "steady", "interfaces": 2, "hostile": {"bulkStuck": true}}},
           {"id": "toobig", "sim": {"model": "steady", "interfaces": 2, "hostile": {"tooBig": true}}},
           {"id": "jumpy", "sim": {"model": "steady", "interfaces": 2, "hostile": {"jumpEverySeconds": 3}}},
           {"id": "flip", "sim": {"model": "steady", "interfaces": 2, "hostile": {"flipWidths": true}}}]}""", Map.of())) {
      Map<String, List<TrafficSample>> samples = new ConcurrentHashMap<>();
      for (String id : List.of("calm", "types", "shuffled", "next", "twice", "late", "stuck", "toobig", "jumpy", "flip")) {
        List<TrafficSample> list = new CopyOnWriteArrayList<>();
        samples.put(id, list);
        h.hub().vertx().eventBus().consumer(Addresses.traffic(id), m -> list.add(EventJson.traffic(m.body())));
      }

      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertEquals(List.of(), missing(devices(h), pollerStats(h), samples)));
      Map<String, JsonObject> d = devices(h);
      Map<String, JsonObject> p = pollerStats(h);

      // Nothing read from garbage: the devices whose every reply is spoilt publish no rate at all.
      for (String id : List.of("types", "shuffled", "next", "flip", "stuck", "toobig")) {
        assertEquals(0, ok(samples.get(id)), id + " published a rate read from garbage");
      }
      // The agents that cannot be walked say why, as the device's state.
      for (String id : List.of("stuck", "toobig")) {
        assertEquals(false, d.get(id).getBoolean("reachable"), d.get(id).encode());
        assertTrue(d.get(id).getString("error").startsWith("discovery failed"), d.get(id).encode());
      }
      // Duplicates and late replies cost retries, not rates: the late ones are not taken for the retry's answer.
      assertTrue(stat(p, "late", "timeouts") == 0 || stat(p, "late", "retries") > stat(p, "late", "timeouts"), p.get("late").encode());

      // No published rate is ever above its interface's speed, whatever the counters did.
      List<String> spikes = new ArrayList<>();
      for (Map.Entry<String, List<TrafficSample>> e : samples.entrySet()) {
        for (TrafficSample s : e.getValue()) {
          for (InterfaceSample i : s.interfaces()) {
            if (i.state() != InterfaceSample.State.GAP && (i.inBps() > i.speedBps() || i.outBps() > i.speedBps())) {
              spikes.add(e.getKey() + " " + i);
            }
          }
        }
      }
      assertTrue(spikes.isEmpty(), "rates above speed: " + spikes);

      // The calm device went on being polled on its schedule, every poll answered.
      List<TrafficSample> calm = samples.get("calm");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> calm.size() >= 8);
      for (int k = 1; k < calm.size(); k++) {
        assertEquals(calm.get(k - 1).seq() + 1, calm.get(k).seq());
        long gap = calm.get(k).ts() - calm.get(k - 1).ts();
        assertTrue(gap > 500 && gap < 5000, "calm polled on its schedule beside the hostile agents: " + gap + " ms");
        assertTrue(calm.get(k).reachable());
      }
      JsonObject calmStats = p.get("calm");
      assertEquals(0, calmStats.getLong("timeouts"), calmStats.encode());
      for (String kind : calmStats.getJsonObject("replyErrors").fieldNames()) {
        if (!kind.startsWith("no-such")) assertEquals(0, calmStats.getJsonObject("replyErrors").getLong(kind), calmStats.encode());
      }

      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      assertTrue(used < 300L << 20, "heap after GC: " + (used >> 20) + " MB");
    }
  }

  /** What each hostile device has not shown yet; empty when all have. */
  private static List<String> missing(Map<String, JsonObject> d, Map<String, JsonObject> p, Map<String, List<TrafficSample>> samples) {
    List<String> out = new ArrayList<>();
    if (errors(p, "types", "wrong-type") < 4) out.add("types: " + p.get("types"));
    if (errors(p, "shuffled", "reordered") < 4) out.add("shuffled: " + p.get("shuffled"));
    if (errors(p, "next", "foreign-oid") < 4) out.add("next: " + p.get("next"));
    if (gaps(p, "jumpy", "implausible") < 2 || ok(samples.get("jumpy")) < 2) out.add("jumpy: " + p.get("jumpy"));
    if (gaps(p, "flip", "width-changed") < 4) out.add("flip: " + p.get("flip"));
    if (stat(p, "late", "retries") < 3 || ok(samples.get("late")) < 5) out.add("late: " + p.get("late"));
    if (ok(samples.get("twice")) < 5) out.add("twice: " + p.get("twice"));
    if (!String.valueOf(d.get("stuck").getString("error")).contains("out of order")) out.add("stuck: " + d.get("stuck"));
    if (!String.valueOf(d.get("toobig").getString("error")).contains("during a walk")) out.add("toobig: " + d.get("toobig"));
    return out;
  }

  /** Interface samples that carry a rate (ok or held). */
  private static long ok(List<TrafficSample> samples) {
    return samples.stream().flatMap(s -> s.interfaces().stream()).filter(i -> i.state() != InterfaceSample.State.GAP).count();
  }

  private static long stat(Map<String, JsonObject> p, String id, String key) {
    JsonObject stats = p.get(id);
    return stats == null ? 0 : stats.getLong(key, 0L);
  }

  private static long errors(Map<String, JsonObject> p, String id, String kind) {
    JsonObject stats = p.get(id);
    return stats == null || stats.getJsonObject("replyErrors") == null ? 0 : stats.getJsonObject("replyErrors").getLong(kind, 0L);
  }

  private static long gaps(Map<String, JsonObject> p, String id, String reason) {
    JsonObject stats = p.get(id);
    return stats == null || stats.getJsonObject("gaps") == null ? 0 : stats.getJsonObject("gaps").getLong(reason, 0L);
  }

  /** The poller's current statistics of every device it polls (docs/EVENTS.md, "Poll statistics"). */
  private static Map<String, JsonObject> pollerStats(HubUnderTest h) {
    JsonObject all = h.hub().vertx().eventBus().<JsonObject>request(Addresses.POLLER_STATS, null).await().body();
    Map<String, JsonObject> out = new HashMap<>();
    for (String id : all.fieldNames()) {
      if (all.getValue(id) instanceof JsonObject j) out.put(id, j);
    }
    return out;
  }

  private static Map<String, JsonObject> devices(HubUnderTest h) throws Exception {
    Map<String, JsonObject> out = new HashMap<>();
    for (Object o : h.json("/api/devices").getJsonArray("devices")) out.put(((JsonObject) o).getString("id"), (JsonObject) o);
    return out;
  }
}
