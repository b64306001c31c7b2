package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.PollerHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Samples go to every consumer in the process as one object (no copy per consumer), and to other
 * nodes as the JSON they were.
 */
class SharedJsonCodecTest {

  @Test
  void theWireFormRoundTripsASample() {
    JsonObject sample = new JsonObject()
        .put("device", "sw1").put("seq", 7L).put("ts", 1_795_677_262_257L).put("pollMs", 1.25).put("reachable", true)
        .put("interfaces", new JsonArray()
            .add(new JsonObject().put("ifIndex", 1).put("name", "eth0").put("state", "ok").put("inBps", 9.5e9).put("outUtil", 0.0001))
            .add(new JsonObject().put("ifIndex", 2).put("name", "eth1").put("state", "gap").put("gap", "no-data")));
    SharedJsonCodec codec = new SharedJsonCodec();
    Buffer wire = Buffer.buffer().appendString("header");
    codec.encodeToWire(wire, sample);
    assertEquals(sample, codec.decodeFromWire("header".length(), wire));
  }

  @Test
  void everyLocalConsumerGetsThePublishedSampleItself() throws Exception {
    HubConfig cfg = ConfigLoader.parse(new JsonObject("""
        {"simulator": {"basePort": 0}, "defaults": {"intervalMs": 1000},
         "devices": [{"id": "d", "sim": {"model": "steady", "interfaces": 3, "rateMbps": 10}}]}"""), Map.of());
    try (Simulator sim = Simulator.start("127.0.0.1", 0, cfg.simulatedDevices().stream().map(DeviceConfig::sim).toList())) {
      List<DeviceConfig> devices = cfg.devices().stream().map(d -> d.withEndpoint("127.0.0.1", sim.port(d.id()))).toList();
      try (PollerHarness h = PollerHarness.start(devices, 16)) {
        Map<Long, JsonObject> second = new ConcurrentHashMap<>();
        h.vertx().eventBus().<JsonObject>consumer(Addresses.traffic("d"), m -> second.put(m.body().getLong("seq"), m.body()))
            .completion().await();
        List<JsonObject> first = h.awaitSamples("d", 3, Duration.ofSeconds(20));
        JsonObject last = first.get(first.size() - 1);
        JsonObject same = second.get(last.getLong("seq"));
        assertNotNull(same, "the second consumer received seq " + last.getLong("seq"));
        assertSame(last, same, "both consumers hold the one published sample, not copies");
      }
    }
  }
}
