package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.testing.HubUnderTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An interface filter from a REST body meets an agent's ifDescr chosen to make a backtracking
 * regex run for ever: {@code ^(a|aa)+$} against 200 a's and a '!' (java.util.regex tries a number
 * of splits that grows like the Fibonacci numbers). The hub's filters are RE2/J's, linear in the
 * text: the device is discovered (nothing matches), and the other device keeps its schedule.
 * What RE2 cannot match in linear time is refused with 400, naming the field.
 */
class RegexFilterTest {
  @Test
  void aReDoSFilterOnAHostileDescrCostsLinearTime() throws Exception {
    String evil = "a".repeat(200) + "!";
    try (HubUnderTest h = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "calm", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "agent", "enabled": false, "sim": {"model": "steady", "interfaces": 4, "hostile": {"descr": "%s"}}}]}"""
        .formatted(evil), Map.of())) {
      List<TrafficSample> calm = new CopyOnWriteArrayList<>();
      List<StatusEvent> status = new CopyOnWriteArrayList<>();
      h.hub().vertx().eventBus().consumer(Addresses.traffic("calm"), m -> calm.add(EventJson.traffic(m.body())));
      h.hub().vertx().eventBus().consumer(Addresses.status("redos"), m -> status.add(EventJson.status(m.body())));
      int port = h.hub().simulator().port("agent");

      HttpResponse<String> refused = h.send("POST", "/api/devices", new JsonObject().put("id", "backref").put("host", "127.0.0.1")
          .put("port", port).put("credentials", "lab").put("interfaces", new JsonObject().put("includeName", new JsonArray().add("(a)\\1")))
          .encode());
      assertEquals(400, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("interfaces.includeName"), refused.body());
      assertTrue(refused.body().contains("linear time"), refused.body());

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calm.size() >= 2);
      int before = calm.size();
      HttpResponse<String> created = h.send("POST", "/api/devices", new JsonObject().put("id", "redos").put("host", "127.0.0.1")
          .put("port", port).put("credentials", "lab").put("intervalMs", 1000)
          .put("interfaces", new JsonObject().put("includeDescr", new JsonArray().add("^(a|aa)+$"))).encode());
      assertEquals(201, created.statusCode(), created.body());

      // Discovered, the filter run on every interface's ifDescr, and nothing kept.
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> status.stream().anyMatch(s -> s.event() == StatusEvent.Event.DISCOVERED));
      StatusEvent discovered = status.stream().filter(s -> s.event() == StatusEvent.Event.DISCOVERED).findFirst().orElseThrow();
      assertEquals(4, discovered.discovered(), discovered.toString());
      assertEquals(0, discovered.interfaces().size(), discovered.toString());

      // The calm device went on being polled meanwhile and after (loose bound: a shared machine;
      // a backtracking regex would hold the loop for far longer than any of it).
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calm.size() >= before + 4);
      for (int k = before; k < calm.size(); k++) {
        assertEquals(calm.get(k - 1).seq() + 1, calm.get(k).seq());
        long gap = calm.get(k).ts() - calm.get(k - 1).ts();
        assertTrue(gap > 500 && gap < 3000, "calm polled on schedule: " + gap + " ms");
      }
    }
  }
}
