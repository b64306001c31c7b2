package io.ifpulse.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.events.Addresses;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.testing.Unit;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two interfaces of one device named "eth0" (an agent may well say so) keep a series each; and a
 * unique name that a restart renumbered keeps its series under the new ifIndex.
 */
@Unit
class DuplicateNamesTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    DeviceRegistry registry = DeviceRegistry.fixed(ConfigLoader.parse(new JsonObject("""
        {"devices": [{"id": "sw1", "host": "127.0.0.1", "intervalMs": 1000}]}"""), Map.of()).devices());
    vertx.deployVerticle(new HistoryVerticle(registry, 60)).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void twoInterfacesNamedEth0StayApart() {
    discovered(iface(1, "eth0"), iface(2, "eth0"), iface(3, "uplink"));
    long t0 = Math.round(MonotonicClock.nowEpochMillis()) - 10_000;
    for (int k = 0; k < 3; k++) publish(t0 + k * 1000L, itf(1, "eth0", 100 + k), itf(2, "eth0", 200 + k), itf(3, "uplink", 300 + k));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> inBps(3).size() == 3);

    assertEquals(List.of(100.0, 101.0, 102.0), inBps(1));
    assertEquals(List.of(200.0, 201.0, 202.0), inBps(2));
    JsonObject all = vertx.eventBus().<JsonObject>request(Addresses.HISTORY_SERIES, new JsonObject().put("device", "sw1")).await().body()
        .getJsonObject("interfaces");
    assertEquals(3, all.size(), all.encode());
    assertEquals(List.of(200.0, 201.0, 202.0), all.getJsonObject("2").getJsonArray("inBps").getList());

    // A restart renumbers: "uplink" is now ifIndex 4, and its chart goes on there. The two eth0s
    // keep theirs where they are (nothing says which of them would have moved where).
    discovered(iface(1, "eth0"), iface(2, "eth0"), iface(4, "uplink"));
    publish(t0 + 3000, itf(1, "eth0", 103), itf(2, "eth0", 203), itf(4, "uplink", 303));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> inBps(4).size() == 4);
    assertEquals(List.of(300.0, 301.0, 302.0, 303.0), inBps(4));
    assertEquals(List.of(100.0, 101.0, 102.0, 103.0), inBps(1));
    assertEquals(List.of(200.0, 201.0, 202.0, 203.0), inBps(2));
  }

  private void discovered(JsonObject... interfaces) {
    vertx.eventBus().publish(Addresses.status("sw1"), new JsonObject().put("device", "sw1").put("event", "interfaces-changed")
        .put("reachable", true).put("interfaces", new JsonArray(List.of((Object[]) interfaces))));
  }

  private static JsonObject iface(int ifIndex, String name) {
    return new JsonObject().put("ifIndex", ifIndex).put("name", name).put("oper", "up");
  }

  private void publish(long ts, JsonObject... interfaces) {
    vertx.eventBus().publish(Addresses.traffic("sw1"), new JsonObject().put("device", "sw1").put("seq", ts / 1000)
        .put("ts", ts).put("pollMs", 1.0).put("intervalMs", 1000).put("reachable", true)
        .put("interfaces", new JsonArray(List.of((Object[]) interfaces))));
  }

  private static JsonObject itf(int ifIndex, String name, double inBps) {
    return new JsonObject().put("ifIndex", ifIndex).put("name", name).put("oper", "up").put("state", "ok")
        .put("intervalMs", 1000.0).put("inBps", inBps).put("outBps", 0.0);
  }

  private List<Double> inBps(int ifIndex) {
    JsonObject s = vertx.eventBus().<JsonObject>request(Addresses.HISTORY_SERIES,
        new JsonObject().put("device", "sw1").put("ifIndex", ifIndex)).await().body();
    return s.getJsonArray("inBps").stream().map(o -> ((Number) o).doubleValue()).toList();
  }
}
