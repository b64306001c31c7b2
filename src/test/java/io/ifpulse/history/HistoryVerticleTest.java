package io.ifpulse.history;

import io.ifpulse.events.InterfaceSample;
import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history keeps each interface's rates under its name, however the samples order them. */
@Unit
class HistoryVerticleTest {
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
  void eachInterfaceKeepsItsOwnSeriesWhenTheSamplesReorderOrChangeTheirInterfaces() throws Exception {
    long t0 = Math.round(MonotonicClock.nowEpochMillis()) - 10_000;
    // eth0 carries 1xx bit/s, eth1 2xx, eth2 3xx: a point in the wrong series shows.
    publish(t0, itf(1, "eth0", 100), itf(2, "eth1", 200));
    publish(t0 + 1000, itf(1, "eth0", 101), itf(2, "eth1", 201));
    publish(t0 + 2000, itf(2, "eth1", 202), itf(1, "eth0", 102)); // same interfaces, other order
    publish(t0 + 3000, itf(3, "eth2", 303), itf(1, "eth0", 103)); // eth1 gone, eth2 at its position
    publish(t0 + 4000, itf(1, "eth0", 104), itf(2, "eth1", 204), itf(3, "eth2", 304)); // longer
    awaitPoints(1, 5);

    assertEquals(List.of(100.0, 101.0, 102.0, 103.0, 104.0), inBps(1));
    assertEquals(List.of(200.0, 201.0, 202.0, 204.0), inBps(2));
    assertEquals(List.of(303.0, 304.0), inBps(3));
  }

  @Test
  void theRestViewHasTheLatestRatesWithoutHoldingTheSample() throws Exception {
    long ts = Math.round(MonotonicClock.nowEpochMillis()) - 1000;
    WeakReference<TrafficSample> sample = publishShared(sample(ts, itf(1, "eth0", 123), itf(2, "eth1", 456)));
    awaitPoints(1, 1);

    JsonObject view = vertx.eventBus().<JsonObject>request(Addresses.HISTORY_DEVICE, new JsonObject().put("device", "sw1"))
        .await().body();
    JsonArray ifs = view.getJsonArray("interfaces");
    assertEquals(List.of(123.0, 456.0), ifs.stream().map(o -> ((JsonObject) o).getJsonObject("rate").getDouble("inBps")).toList());
    assertEquals(itf(2, "eth1", 456), ifs.getJsonObject(1).getJsonObject("rate"), "every field of the interface, as published");
    assertEquals(579.0, view.getJsonObject("device").getDouble("inBps"));
    assertEquals(ts, view.getJsonObject("device").getLong("lastTs"));

    // Holding each device's latest sample (then about 1 KB of small objects per interface) for an
    // interval made the collector copy and promote it: pauses of 20-30 ms and full collections
    // (docs/BENCHMARKS.md, "The latest sample, held for an interval").
    try {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
        System.gc();
        return sample.get() == null;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      assertNull(sample.get(), "the history still holds the sample object");
    }
  }

  /** One answer holds what /metrics shows of every device, merged as the REST view merges it. */
  @Test
  void theCurrentRatesOfEveryDeviceInOneAnswer() throws Exception {
    // Discovery named three interfaces; the latest sample has eth0 with rates and eth1 as a gap.
    vertx.eventBus().publish(Addresses.status("sw1"), new JsonObject().put("device", "sw1").put("event", "discovered")
        .put("reachable", true).put("interfaces", new JsonArray()
            .add(new JsonObject().put("ifIndex", 1).put("name", "eth0").put("oper", "up").put("speedBps", 1_000_000_000L))
            .add(new JsonObject().put("ifIndex", 2).put("name", "eth1").put("oper", "up"))
            .add(new JsonObject().put("ifIndex", 3).put("name", "eth2").put("oper", "down").put("speedBps", 0))));
    long ts = Math.round(MonotonicClock.nowEpochMillis()) - 1000;
    JsonObject eth0 = itf(1, "eth0", 123).put("inPps", 10.0).put("inUtil", 1.5).put("speedBps", 10_000L);
    JsonObject eth1 = new JsonObject().put("ifIndex", 2).put("name", "eth1").put("oper", "down").put("state", "gap").put("gap", "counter-reset");
    vertx.eventBus().publish(Addresses.traffic("sw1"), sample(ts, eth0, eth1));
    awaitPoints(1, 1);

    CurrentRates now = vertx.eventBus().<CurrentRates>request(Addresses.HISTORY_CURRENT, null).await().body();
    assertEquals(1, now.devices().size());
    CurrentRates.Device d = now.devices().get(0);
    assertEquals("sw1", d.id());
    assertEquals(true, d.reachable());
    assertEquals(1000, d.intervalMs());
    assertEquals(List.of(1, 2, 3), d.interfaces().stream().map(CurrentRates.Interface::ifIndex).toList());
    CurrentRates.Interface i1 = d.interfaces().get(0);
    assertEquals("eth0", i1.name());
    assertEquals("up", i1.oper());
    assertEquals(1e9, i1.speedBps(), "discovery's speed first, as in the REST view");
    assertEquals(123.0, i1.rate(InterfaceSample.Rate.IN_BPS));
    assertEquals(0.0, i1.rate(InterfaceSample.Rate.OUT_BPS));
    assertEquals(10.0, i1.rate(InterfaceSample.Rate.IN_PPS));
    assertEquals(1.5, i1.rate(InterfaceSample.Rate.IN_UTIL));
    assertTrue(Double.isNaN(i1.rate(InterfaceSample.Rate.OUT_ERRORS)), "absent from the sample");
    CurrentRates.Interface i2 = d.interfaces().get(1);
    assertEquals("down", i2.oper(), "the sample's state, not discovery's");
    assertFalse(i2.hasRates(), "a gap has no rates");
    CurrentRates.Interface i3 = d.interfaces().get(2);
    assertEquals("eth2", i3.name(), "only discovery knows it");
    assertEquals("down", i3.oper());
    assertEquals(0.0, i3.speedBps(), "discovery's word, 0 for a speed the agent does not give");
    assertFalse(i3.hasRates());
  }

  /** Publishes as the poller does: the record, one object shared by every consumer in the process. */
  private WeakReference<TrafficSample> publishShared(JsonObject json) {
    TrafficSample sample = TrafficSample.fromJson(json);
    vertx.eventBus().publish(Addresses.traffic("sw1"), sample);
    return new WeakReference<>(sample);
  }

  private void publish(long ts, JsonObject... interfaces) {
    vertx.eventBus().publish(Addresses.traffic("sw1"), sample(ts, interfaces));
  }

  private static JsonObject sample(long ts, JsonObject... interfaces) {
    return new JsonObject().put("device", "sw1").put("seq", ts / 1000)
        .put("ts", ts).put("pollMs", 1.0).put("intervalMs", 1000).put("reachable", true)
        .put("interfaces", new JsonArray(List.of((Object[]) interfaces)));
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

  private void awaitPoints(int ifIndex, int n) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> inBps(ifIndex).size() >= n);
  }
}
