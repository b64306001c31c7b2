package io.ifpulse.alerts;

import io.ifpulse.events.EventJson;
import io.ifpulse.events.Addresses;
import io.ifpulse.config.AlertConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * End to end: simulated agents, the real poller, and the alerts verticle beside it on the same
 * Vert.x, consuming the samples the poller publishes.
 */
class AlertsSimulatorTest {

  @Test
  void aSaturatedInterfaceRaisesUtilisationAndAQuietOneDoesNot() throws Exception {
    // Interface 0 of "hot" runs at 0.95 x speed (the simulator's cap); "quiet" at 10 %.
    AlertConfig alertConfig = AlertConfig.fromJson(new JsonObject().put("forSeconds", 2), "alerts");
    try (SimulatedDevices simulator = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 800, "retries": 1},
         "devices": [
          {"id": "hot", "sim": {"model": "steady", "interfaces": 1, "speedMbps": 1000, "rateMbps": 950}},
          {"id": "quiet", "sim": {"model": "steady", "interfaces": 1, "speedMbps": 1000, "rateMbps": 100}}
         ]}""")) {
      try (PollerHarness hub = simulator.poll(256)) {
        List<JsonObject> alerts = new CopyOnWriteArrayList<>();
        hub.vertx().eventBus().consumer(Addresses.ALERTS, m -> alerts.add(EventJson.toJson(m.body())));
        hub.vertx().deployVerticle(new AlertsVerticle(List.of("hot", "quiet"), alertConfig)).await();

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> !alerts.isEmpty());
        assertEquals(1, alerts.size(), "one alert within 10 s: " + alerts + "; hot samples: " + hub.samples("hot"));
        JsonObject raised = alerts.get(0);
        int ifIndex = simulator.device("hot").ifIndex(0);
        assertEquals("hot/" + ifIndex + "/utilisation", raised.getString("id"));
        assertEquals("raised", raised.getString("state"));
        assertEquals("warning", raised.getString("severity"));
        assertEquals(95.0, raised.getDouble("value"), 0.5);
        assertTrue(raised.getLong("ts") - raised.getLong("since") >= 2000, "held for forSeconds: " + raised);

        // The quiet device has been sampled all along; it must still have nothing.
        assertTrue(hub.samples("quiet").size() >= 3, "quiet was polled: " + hub.samples("quiet").size());
        JsonObject q = hub.vertx().eventBus().<JsonObject>request(Addresses.ALERTS_QUERY, null).await().body();
        assertEquals(new JsonArray().add(raised), q.getJsonArray("active"));
        assertTrue(alerts.stream().noneMatch(a -> "quiet".equals(a.getString("device"))), "quiet raised nothing: " + alerts);
      }
    }
  }
}
