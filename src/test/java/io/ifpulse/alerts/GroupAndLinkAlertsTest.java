package io.ifpulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.sim.SimDevice;
import io.ifpulse.testing.HubUnderTest;
import io.ifpulse.testing.NetSnmpCommands;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Group and link-state alerts against the real hub, its simulated agents and net-snmp's snmptrap,
 * one hub for the class.
 *
 * <p>The group's two members send bursts: 60 % of their speed for 8 s, then nothing for 8 s, in
 * step. The group's own levels (raise at 40 % for 2 s, clear below 20 % for 2 s) make one burst
 * raise its utilisation alert and the pause after it clear it.
 *
 * <p>{@code edge} is measured up, then its agent falls silent (its polls time out), then a linkDown
 * about one of its interfaces arrives: {@code oper-down} is raised from the notification alone,
 * and cleared by the linkUp.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupAndLinkAlertsTest {
  private HubUnderTest hub;
  private final List<AlertEvent> alerts = new CopyOnWriteArrayList<>();
  private final List<TrafficSample> edgeSamples = new CopyOnWriteArrayList<>();
  private final List<StatusEvent> edgeStatus = new CopyOnWriteArrayList<>();
  private final List<JsonObject> edgeTraps = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    hub = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000, "liveIntervalMs": 1000, "timeoutMs": 300, "retries": 0},
         "traps": {"port": 0},
         "devices": [
          {"id": "up-1", "sim": {"model": "bursts", "interfaces": 1, "speedMbps": 100, "rateMbps": 30, "periodSeconds": 16, "amplitude": 0.5}},
          {"id": "up-2", "sim": {"model": "bursts", "interfaces": 1, "speedMbps": 100, "rateMbps": 30, "periodSeconds": 16, "amplitude": 0.5}},
          {"id": "edge", "sim": {"model": "steady", "interfaces": 2}, "trapSource": "127.0.0.5"}
         ],
         "groups": {"uplinks": {"members": [{"device": "up-*"}],
             "alerts": {"utilisation": {"utilisationPct": 40, "utilisationClearPct": 20, "forSeconds": 2, "clearForSeconds": 2}}}}}""",
        Map.of());
    var bus = hub.hub().vertx().eventBus();
    bus.consumer(Addresses.ALERTS, m -> alerts.add(EventJson.alert(m.body()))).completion().await();
    bus.consumer(Addresses.traffic("edge"), m -> edgeSamples.add(EventJson.traffic(m.body()))).completion().await();
    bus.consumer(Addresses.status("edge"), m -> edgeStatus.add(EventJson.status(m.body()))).completion().await();
    bus.<JsonObject>consumer(Addresses.traps("edge"), m -> edgeTraps.add(m.body())).completion().await();
  }

  @AfterAll
  void stop() {
    if (hub != null) hub.close();
  }

  private List<AlertEvent> of(String id) {
    return alerts.stream().filter(a -> a.id().equals(id)).toList();
  }

  @Test
  void aGroupOverItsLevelRaisesOnceAndClearsWhenItFalls() {
    String id = "group:uplinks/utilisation";
    // A burst raises, the pause after it clears: within two periods of 16 s, after discovery.
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> of(id).stream().anyMatch(a -> a.state() == AlertEvent.State.CLEARED));
    List<AlertEvent> events = of(id);
    assertEquals(AlertEvent.State.RAISED, events.get(0).state(), "raised first: " + events);
    assertEquals(AlertEvent.State.CLEARED, events.get(1).state(), "then cleared, with no raise between: " + events);
    AlertEvent raise = events.get(0);
    assertEquals("uplinks", raise.group());
    assertNull(raise.device());
    assertEquals(0, raise.ifIndex());
    assertEquals(40.0, raise.threshold());
    // 60 % in a burst; a window the burst's start cuts may be lower, but not under the raise level.
    double value = (Double) raise.value();
    assertTrue(value >= 40 && value <= 61, "the group's utilisation: " + raise);
    assertTrue(raise.ts() - raise.since() >= 2000, "held for forSeconds: " + raise);
    AlertEvent clear = events.get(1);
    assertTrue((Double) clear.value() < 20 && clear.ts() - clear.since() >= 2000, "under 20 % for 2 s: " + clear);
    assertNull(clear.reason());
    // The members' own alerts are those of interfaces at 60 % of their speed: none.
    assertTrue(alerts.stream().noneMatch(a -> "up-1".equals(a.device()) || "up-2".equals(a.device())), alerts.toString());
  }

  @Test
  void aGroupCreatedOverRestHasItsAlertAndItsRemovalClearsIt() throws Exception {
    String id = "group:busy/utilisation";
    // Levels any burst passes, and a clear that needs an hour: only the removal can clear it.
    assertEquals(201, hub.send("POST", "/api/groups/busy", """
        {"members": [{"device": "up-*"}],
         "alerts": {"utilisation": {"utilisationPct": 5, "utilisationClearPct": 1, "forSeconds": 1, "clearForSeconds": 3600}}}""")
        .statusCode());
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> of(id).stream().anyMatch(a -> a.state() == AlertEvent.State.RAISED));
    assertEquals(5.0, of(id).get(0).threshold(), "the levels the REST body gave");
    assertEquals(204, hub.send("DELETE", "/api/groups/busy", null).statusCode());
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> of(id).stream().anyMatch(a -> a.state() == AlertEvent.State.CLEARED));
    List<AlertEvent> events = of(id);
    assertEquals(List.of(AlertEvent.State.RAISED, AlertEvent.State.CLEARED), events.stream().map(AlertEvent::state).toList(), events.toString());
    assertEquals("removed", events.get(1).reason());
    JsonObject listed = new JsonObject(hub.send("GET", "/api/alerts", null).body());
    assertTrue(listed.getJsonArray("active").stream().map(o -> ((JsonObject) o).getString("id")).noneMatch(id::equals),
        "no longer active: " + listed.getJsonArray("active"));
  }

  @Test
  void aLinkDownRaisesOperDownForADeviceWhosePollsTimeOutAndALinkUpClearsIt() throws Exception {
    SimDevice edge = hub.hub().simulator().device("edge");
    int ifIndex = edge.ifIndex(1);
    String id = AlertEvent.id("edge", ifIndex, AlertEvent.Kind.OPER_DOWN);
    // Measured up first: oper-down is about an interface seen up.
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> edgeSamples.stream()
        .anyMatch(s -> s.interfaces().stream().anyMatch(i -> i.ifIndex() == ifIndex && !i.isGap() && "up".equals(i.oper()))));
    edge.setSilent(true);
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> edgeStatus.stream().anyMatch(s -> s.event() == StatusEvent.Event.UNREACHABLE));
    int measuredBefore = measured(ifIndex);

    String target = "127.0.0.1:" + hub.hub().trapPort();
    assertEquals(0, NetSnmpCommands.run(NetSnmpCommands.linkTrap(true, "public", "127.0.0.5", target, ifIndex).toArray(String[]::new)));
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> of(id).stream().anyMatch(a -> a.state() == AlertEvent.State.RAISED));
    AlertEvent raise = of(id).get(0);
    JsonObject down = edgeTraps.get(0);
    assertEquals("linkDown", down.getString("name"));
    // Received at down.ts, raised at raise.ts, both on the hub's clock.
    assertTrue(raise.ts() - down.getLong("ts") <= 1000, "raised " + (raise.ts() - down.getLong("ts")) + " ms after the notification");
    assertEquals("down", raise.value());
    assertEquals(AlertEvent.Severity.CRITICAL, raise.severity());
    assertEquals(measuredBefore, measured(ifIndex), "no measured sample of the interface since the agent fell silent");

    assertEquals(0, NetSnmpCommands.run(NetSnmpCommands.linkTrap(false, "public", "127.0.0.5", target, ifIndex).toArray(String[]::new)));
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> of(id).stream().anyMatch(a -> a.state() == AlertEvent.State.CLEARED));
    List<AlertEvent> events = of(id);
    assertEquals(2, events.size(), "one raise, one clear: " + events);
    assertEquals("up", events.get(1).value());
    assertTrue(events.get(1).ts() - edgeTraps.get(edgeTraps.size() - 1).getLong("ts") <= 1000, "cleared within a second: " + events);
    edge.setSilent(false);
  }

  private int measured(int ifIndex) {
    int n = 0;
    for (TrafficSample s : edgeSamples) for (var i : s.interfaces()) if (i.ifIndex() == ifIndex && !i.isGap()) n++;
    return n;
  }
}
