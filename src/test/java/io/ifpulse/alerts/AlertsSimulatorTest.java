package io.ifpulse.alerts;

import io.ifpulse.events.EventJson;
import io.ifpulse.events.Addresses;
import io.ifpulse.config.AlertConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.PollerHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * End to end: simulated agents, the real poller, and the alerts verticle beside it on the same
 * Vert.x, consuming the samples the poller publishes.
 */
class AlertsSimulatorTest {

  @Test
  void aSaturatedInterfaceRaisesUtilisationAndAQuietOneDoesNot() throws Exception {
    // Interface 0 of "hot" runs at 0.95 x speed (the simulator's cap); "quiet" at 10 %.
    HubConfig config = ConfigLoader.parse(new JsonObject("""
        {"simulator": {"basePort": 0},
         "defaults": {"intervalMs": 1000, "timeoutMs": 800, "retries": 1},
         "devices": [
          {"id": "hot", "sim": {"model": "steady", "interfaces": 1, "speedMbps": 1000, "rateMbps": 950}},
          {"id": "quiet", "sim": {"model": "steady", "interfaces": 1, "speedMbps": 1000, "rateMbps": 100}}
         ]}"""), Map.of());
    AlertConfig alertConfig = AlertConfig.fromJson(new JsonObject().put("forSeconds", 2), "alerts");
    try (Simulator simulator = Simulator.start("127.0.0.1", 0, config.simulatedDevices().stream().map(DeviceConfig::sim).toList())) {
      List<DeviceConfig> devices =
          config.devices().stream().map(d -> d.withEndpoint("127.0.0.1", simulator.port(d.id()))).toList();
      try (PollerHarness hub = PollerHarness.start(devices, 256)) {
        List<JsonObject> alerts = new CopyOnWriteArrayList<>();
        hub.vertx().eventBus().consumer(Addresses.ALERTS, m -> alerts.add(EventJson.toJson(m.body())));
        hub.vertx().deployVerticle(new AlertsVerticle(List.of("hot", "quiet"), alertConfig)).await();

        long end = System.nanoTime() + 10_000_000_000L;
        while (alerts.isEmpty() && System.nanoTime() < end) Thread.sleep(50);
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
