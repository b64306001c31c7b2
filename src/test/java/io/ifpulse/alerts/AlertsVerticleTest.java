package io.ifpulse.alerts;

import io.ifpulse.events.EventJson;
import io.ifpulse.config.AlertConfig;
import io.ifpulse.testing.Unit;
import static io.ifpulse.alerts.TrafficSamples.itf;
import static io.ifpulse.alerts.TrafficSamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.events.Addresses;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.testing.MemoryHandoverStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verticle on a real Vert.x, fed on the bus the way the poller feeds it, observed the way any
 * other consumer observes it: on {@code ifpulse.alerts} and through {@code ifpulse.alerts.query}.
 */
@Unit
class AlertsVerticleTest {
  private static final long T0 = 1_795_677_200_000L;
  private static final AlertConfig AT_ONCE = new AlertConfig(90, 80, 0, 0, 1.0, 10.0, true);

  private Vertx vertx;
  private final List<JsonObject> alerts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    vertx.eventBus().consumer(Addresses.ALERTS, m -> alerts.add(EventJson.toJson(m.body())));
    vertx.deployVerticle(new AlertsVerticle(List.of("sw1", "sw2"), AT_ONCE)).await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private void publish(JsonObject sample) {
    vertx.eventBus().publish(Addresses.traffic(sample.getString("device")), sample);
  }

  private JsonObject query() {
    return vertx.eventBus().<JsonObject>request(Addresses.ALERTS_QUERY, new JsonObject()).await().body();
  }

  private List<JsonObject> awaitAlerts(int n) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> alerts.size() >= n);
    assertEquals(n, alerts.size(), "alerts published: " + alerts);
    return new ArrayList<>(alerts);
  }

  @Test
  void publishesRaisesAndClearsAndAnswersTheQuery() throws Exception {
    publish(sample("sw1", T0, true, itf(3).name("Gi0/3").util(12.5, 97.25)));
    JsonObject raised = awaitAlerts(1).get(0);
    assertEquals(new JsonObject("""
        {"id": "sw1/3/utilisation", "device": "sw1", "ifIndex": 3, "name": "Gi0/3", "kind": "utilisation",
         "state": "raised", "severity": "warning", "value": 97.25, "threshold": 90.0,
         "since": %d, "ts": %d}""".formatted(T0, T0)), raised);

    publish(sample("sw2", T0, true, itf(1)));
    publish(sample("sw2", T0 + 1000, true, itf(1).oper("down")));
    JsonObject operDown = awaitAlerts(2).get(1);
    assertEquals("sw2/1/oper-down", operDown.getString("id"));
    assertEquals("critical", operDown.getString("severity"));
    assertEquals("down", operDown.getString("value"));

    JsonObject q = query();
    assertEquals(new JsonArray().add(raised).add(operDown), q.getJsonArray("active"), "raised, in the order raised");
    assertEquals(new JsonArray().add(operDown).add(raised), q.getJsonArray("recent"), "newest first");

    publish(sample("sw1", T0 + 1000, true, itf(3).name("Gi0/3").util(12.5, 40)));
    JsonObject cleared = awaitAlerts(3).get(2);
    assertEquals("sw1/3/utilisation", cleared.getString("id"));
    assertEquals("cleared", cleared.getString("state"));
    assertEquals(80.0, cleared.getDouble("threshold"));

    q = query();
    assertEquals(new JsonArray().add(operDown), q.getJsonArray("active"));
    assertEquals(new JsonArray().add(cleared).add(operDown).add(raised), q.getJsonArray("recent"));
  }

  @Test
  void takesLinkEventsFromTheStatusAddress() throws Exception {
    publish(sample("sw1", T0, true, itf(2)));
    io.ifpulse.events.StatusEvent down = io.ifpulse.events.StatusEvent.of("sw1", T0 + 500,
        io.ifpulse.events.StatusEvent.Event.LINK_DOWN, false, "127.0.0.1", 161, "v2c", "(inline)").withLink(2, "eth1", "down");
    vertx.eventBus().publish(Addresses.status("sw1"), down.toJson());
    JsonObject raised = awaitAlerts(1).get(0);
    assertEquals("sw1/2/oper-down", raised.getString("id"));
    assertEquals("raised", raised.getString("state"));
    assertEquals(T0 + 500, raised.getLong("ts"));
    // Another kind of status event changes nothing; the poll that also says down raises nothing more.
    vertx.eventBus().publish(Addresses.status("sw1"), io.ifpulse.events.StatusEvent.of("sw1", T0 + 600,
        io.ifpulse.events.StatusEvent.Event.UNREACHABLE, false, "127.0.0.1", 161, "v2c", "(inline)").toJson());
    publish(sample("sw1", T0 + 1000, true, itf(2).oper("down")));
    vertx.eventBus().publish(Addresses.status("sw1"), io.ifpulse.events.StatusEvent.of("sw1", T0 + 1500,
        io.ifpulse.events.StatusEvent.Event.LINK_UP, true, "127.0.0.1", 161, "v2c", "(inline)").withLink(2, "eth1", "up").toJson());
    JsonObject cleared = awaitAlerts(2).get(1);
    assertEquals("cleared", cleared.getString("state"));
    assertEquals(T0 + 1500, cleared.getLong("ts"), "cleared by the link-up, nothing between: " + alerts);
  }

  @Test
  void listensOnlyToItsDevices() throws Exception {
    publish(sample("other", T0, true, itf(1).util(99, 99)));
    publish(sample("sw1", T0, true, itf(1).util(99, 99)));
    // The verticle handles its messages in the order published: had it taken the sample of
    // "other", published first, that alert would have come first.
    assertEquals("sw1", awaitAlerts(1).get(0).getString("device"), "nothing from a device it was not given: " + alerts);
  }

  @Test
  void keepsTheLast200EventsNewestFirst() throws Exception {
    // 250 log lines would bury the rest of the test output.
    Logger log = Logger.getLogger(AlertsVerticle.class.getName());
    Level level = log.getLevel();
    log.setLevel(Level.OFF);
    try {
      for (int i = 0; i < 250; i++) {
        publish(sample("sw1", T0 + i * 1000L, true, itf(1).util(i % 2 == 0 ? 95 : 10, 0)));
      }
      awaitAlerts(250);
    } finally {
      log.setLevel(level);
    }
    JsonObject q = query();
    JsonArray recent = q.getJsonArray("recent");
    assertEquals(200, recent.size());
    assertEquals(T0 + 249_000, recent.getJsonObject(0).getLong("ts"));
    assertEquals(T0 + 50_000, recent.getJsonObject(199).getLong("ts"));
    assertEquals(0, q.getJsonArray("active").size(), "the last event was a clear");
  }

  @Test
  void aRemovedDevicesAlertsAreClearedOnceAndItsStateForgotten() throws Exception {
    Vertx hub = Vertx.vertx();
    try {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      hub.eventBus().consumer(Addresses.ALERTS, m -> events.add(EventJson.toJson(m.body())));
      DeviceRegistry registry = DeviceRegistry.fixed(ConfigLoader.parse(new JsonObject("""
          {"devices": [{"id": "sw1", "host": "127.0.0.1"}, {"id": "sw2", "host": "127.0.0.1"}]}"""), Map.of()).devices());
      MemoryHandoverStore saved = new MemoryHandoverStore();
      hub.deployVerticle(new AlertsVerticle(registry, AT_ONCE).withHandover(saved)).await();
      for (String device : List.of("sw1", "sw2")) {
        hub.eventBus().publish(Addresses.traffic(device), sample(device, T0, true, itf(3).name("Gi0/3").util(12.5, 97.25)));
      }
      awaitSize(events, 2);
      assertTrue(saved.has("sw1"), "the raised alert's state was saved for a next owner");

      registry.remove("sw1", new JsonObject().put("by", "test")).await();
      JsonObject cleared = awaitSize(events, 3).get(2);
      assertEquals("sw1/3/utilisation", cleared.getString("id"));
      assertEquals("cleared", cleared.getString("state"));
      assertEquals("removed", cleared.getString("reason"));
      JsonArray active = hub.eventBus().<JsonObject>request(Addresses.ALERTS_QUERY, new JsonObject()).await().body()
          .getJsonArray("active");
      assertEquals(List.of("sw2/3/utilisation"), active.stream().map(o -> ((JsonObject) o).getString("id")).toList());
      Awaitility.await("a removed device leaves no state for a next owner to take over").atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(10)).until(() -> !saved.has("sw1"));
      // "Once" is about what does not come: a second clear would follow within milliseconds, so
      // the test listens a while (this sleep is the observation, not a wait for something).
      Thread.sleep(300);
      assertEquals(3, events.size(), "cleared once: " + events);
    } finally {
      hub.close().await();
    }
  }

  private static List<JsonObject> awaitSize(List<JsonObject> list, int n) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> list.size() >= n);
    assertEquals(n, list.size(), "events: " + list);
    return new ArrayList<>(list);
  }
}
