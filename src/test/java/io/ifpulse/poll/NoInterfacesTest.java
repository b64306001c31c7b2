package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.sim.SimDevice;
import io.ifpulse.testing.HubUnderTest;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A filter that keeps none of the agent's interfaces is the device's state ({@code
 * no-interfaces}), and the agent is asked again only on the discovery schedule: not a walk of its
 * tables at every tick of a one-second interval, as before.
 */
class NoInterfacesTest {
  @Test
  void aFilterThatKeepsNothingIsAStateRediscoveredOnScheduleOnly() throws Exception {
    try (HubUnderTest h = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "agent", "enabled": false, "sim": {"model": "steady", "interfaces": 3}}]}""", Map.of())) {
      SimDevice agent = h.hub().simulator().device("agent");
      List<StatusEvent> status = new CopyOnWriteArrayList<>();
      // When the discovery that found nothing ended, and what the agent had been asked by then.
      long[] first = new long[2];
      h.hub().vertx().eventBus().consumer(Addresses.status("empty"), m -> {
        StatusEvent e = EventJson.status(m.body());
        if (e.event() == StatusEvent.Event.NO_INTERFACES && first[0] == 0) {
          first[0] = System.nanoTime();
          first[1] = agent.requests();
        }
        status.add(e);
      });

      // Added once the test listens, so it sees the first discovery end.
      HttpResponse<String> created = h.send("POST", "/api/devices", new JsonObject().put("id", "empty").put("host", "127.0.0.1")
          .put("port", h.hub().simulator().port("agent")).put("credentials", "lab").put("discoveryIntervalS", 10)
          .put("interfaces", new JsonObject().put("includeName", "^nothing-is-called-this$")).encode());
      assertEquals(201, created.statusCode(), created.body());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "no-interfaces".equals(device(h).getString("state")));
      JsonObject d = device(h);
      assertTrue(d.getString("stateReason").contains("keeps none of the 3 interfaces"), d.encode());
      assertEquals(0, d.getInteger("interfaces"), d.encode());

      // Ticks every second and asks nothing: the next walk is due ten seconds after the first.
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> first[0] != 0 && agent.requests() > first[1]);
      long quietMs = (System.nanoTime() - first[0]) / 1_000_000;
      assertTrue(quietMs > 8_000, "the agent was asked again after " + quietMs + " ms, before its discovery was due; " + status);
      // The second discovery found the same nothing, and said nothing: the state holds.
      long[] last = {-1};
      Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        long r = agent.requests();
        boolean settled = r == last[0];
        last[0] = r;
        return settled;
      });
      assertEquals(1, status.stream().filter(s -> s.event() == StatusEvent.Event.NO_INTERFACES).count(), status.toString());
      assertEquals("no-interfaces", device(h).getString("state"));
    }
  }

  private static JsonObject device(HubUnderTest h) throws Exception {
    return h.json("/api/devices/empty").getJsonObject("device");
  }
}
