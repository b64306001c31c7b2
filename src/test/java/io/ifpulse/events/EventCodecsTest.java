package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Events go to every consumer in the process as the one published record (no copy per consumer),
 * and to other nodes as their documented JSON, which decodes into an equal record.
 */
class EventCodecsTest {
  private static final TrafficSample SAMPLE = TrafficSample.fromJson(new JsonObject(TrafficSampleJsonTest.golden().get(3)));
  private static final StatusEvent STATUS = StatusEvent.fromJson(new JsonObject("""
      {"device":"sw1","ts":1795677256712,"event":"interfaces-changed","reachable":true,"host":"127.0.0.1","port":16109,
       "version":"v2c","credentials":"sim","interfaces":[{"ifIndex":1,"name":"eth0","descr":"Ethernet","alias":null,"type":6,
       "speedBps":1000000000,"admin":"up","oper":"up","hc":true}],"discovered":3,"added":[1],"removed":[2,3],
       "stats":{"requests":2,"responses":0,"replyErrors":{"missing":0}}}"""));
  private static final AlertEvent ALERT = new AlertEvent("sw1", 1, "eth0", AlertEvent.Kind.UTILISATION, AlertEvent.State.RAISED,
      AlertEvent.Severity.WARNING, 95.0464, 90.0, 1_795_677_232_256L, 1_795_677_262_257L, null);

  @SuppressWarnings("unchecked")
  private static <T> T overTheWire(T event) {
    MessageCodec<T, T> codec = (MessageCodec<T, T>) (event instanceof TrafficSample ? EventCodecs.TRAFFIC
        : event instanceof StatusEvent ? EventCodecs.STATUS : EventCodecs.ALERT);
    Buffer wire = Buffer.buffer().appendString("header");
    codec.encodeToWire(wire, event);
    int length = wire.getInt("header".length());
    assertEquals(EventJson.encode(event).toString(), wire.getString("header".length() + 4, "header".length() + 4 + length),
        "the wire carries the documented JSON");
    assertSame(event, codec.transform(event), "a local consumer gets the record itself");
    return codec.decodeFromWire("header".length(), wire);
  }

  @Test
  void everyEventCrossesTheWireAsItsJsonAndComesBackEqual() {
    for (Object event : List.of(SAMPLE, STATUS, ALERT)) assertEquals(event, overTheWire(event), event.getClass().getSimpleName());
  }

  @Test
  void aSecondRegistrationChangesNothing() {
    Vertx vertx = Vertx.vertx();
    try {
      EventCodecs.register(vertx.eventBus());
      EventCodecs.register(vertx.eventBus());
      SharedJsonCodec.register(vertx.eventBus());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void everyLocalConsumerGetsThePublishedSampleItself() throws Exception {
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 1000},
         "devices": [{"id": "d", "sim": {"model": "steady", "interfaces": 3, "rateMbps": 10}}]}""")) {
      try (PollerHarness h = sim.poll(16)) {
        Map<Long, Object> first = new ConcurrentHashMap<>();
        Map<Long, Object> second = new ConcurrentHashMap<>();
        h.vertx().eventBus().<TrafficSample>consumer(Addresses.traffic("d"), m -> first.put(m.body().seq(), m.body())).completion().await();
        h.vertx().eventBus().<TrafficSample>consumer(Addresses.traffic("d"), m -> second.put(m.body().seq(), m.body())).completion().await();
        List<JsonObject> seen = h.awaitSamples("d", 3, Duration.ofSeconds(20));
        long seq = seen.get(seen.size() - 1).getLong("seq");
        Object a = first.get(seq);
        assertNotNull(a, "the first consumer received seq " + seq);
        assertInstanceOf(TrafficSample.class, a);
        assertSame(a, second.get(seq), "both consumers hold the one published sample, not copies");
      }
    }
  }

  @Test
  void aSampleAnotherVerticlePublishesAsJsonIsReadByTheOneDecoder() {
    Vertx vertx = Vertx.vertx();
    try {
      List<TrafficSample> got = new CopyOnWriteArrayList<>();
      vertx.eventBus().consumer(Addresses.traffic("sw1"), m -> got.add(EventJson.traffic(m.body()))).completion().await();
      vertx.eventBus().publish(Addresses.traffic("sw1"), SAMPLE.toJson());
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !got.isEmpty());
      assertEquals(List.of(SAMPLE), got);
    } finally {
      vertx.close().await();
    }
  }
}
