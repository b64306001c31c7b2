package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.testing.HubUnderTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An agent whose replies leave from another UDP port than the one it was asked on: each reply
 * matches a request id, but not the agent's address and port, so none is read as the agent's
 * answer. They are counted on the device, which is unreachable and says why; the others are
 * polled as usual.
 */
class ForeignRepliesTest {
  @Test
  void repliesFromAnotherPortAreCountedAndIgnored() throws Exception {
    try (HubUnderTest h = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "calm", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "sly", "timeoutMs": 300, "retries": 1,
                      "sim": {"model": "steady", "interfaces": 2, "hostile": {"otherPort": true}}}]}""", Map.of())) {
      List<TrafficSample> sly = new CopyOnWriteArrayList<>();
      h.hub().vertx().eventBus().consumer(Addresses.traffic("sly"), m -> sly.add(EventJson.traffic(m.body())));

      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
        JsonObject d = h.json("/api/devices/sly").getJsonObject("device");
        return Boolean.FALSE.equals(d.getBoolean("reachable")) && d.getJsonObject("stats") != null
            && d.getJsonObject("stats").getLong("foreignReplies", 0L) >= 2;
      });
      JsonObject d = h.json("/api/devices/sly").getJsonObject("device");
      JsonObject stats = d.getJsonObject("stats");
      assertEquals(0, stats.getLong("responses"), "no reply taken as the agent's: " + d.encode());
      assertTrue(stats.getString("lastError").startsWith("reply from 127.0.0.1/"), d.encode());
      assertTrue(d.getString("error").contains("another address"), d.encode());
      assertTrue(h.hub().simulator().device("sly").varbinds() > 0, "the agent did answer, from its other port");
      assertTrue(sly.stream().noneMatch(TrafficSample::reachable), "nothing read from the foreign replies");

      JsonObject calm = h.json("/api/devices/calm").getJsonObject("device");
      assertEquals(true, calm.getBoolean("reachable"), calm.encode());
      assertEquals(0, calm.getJsonObject("stats").getLong("foreignReplies"), calm.encode());
    }
  }
}
