package io.ifpulse.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.PollerHarness;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code --print} into a pipe that nobody reads (a pager scrolled back, a stopped jq): the pipe
 * fills, its writer waits, and the poller on the same event loop goes on polling; what does not
 * fit the tail's queue is dropped and counted.
 */
class PausedPipeTest {
  @Test
  void aPipeNobodyReadsDoesNotStopPolling() throws Exception {
    HubConfig config = ConfigLoader.parse(new JsonObject("""
        {"simulator": {"basePort": 0}, "defaults": {"intervalMs": 1000},
         "devices": [{"id": "big", "sim": {"model": "steady", "interfaces": 200}}]}"""), Map.of());
    // The reader: a process that never reads its standard input, which is a real pipe (64 KB).
    Process reader = new ProcessBuilder("sleep", "600").start();
    try (Simulator sim = Simulator.start("127.0.0.1", 0, config.simulatedDevices().stream().map(DeviceConfig::sim).toList())) {
      List<DeviceConfig> devices = config.devices().stream().map(d -> d.withEndpoint("127.0.0.1", sim.port(d.id()))).toList();
      try (PollerHarness hub = PollerHarness.start(devices, 64)) {
        List<TrafficSample> samples = new CopyOnWriteArrayList<>();
        hub.vertx().eventBus().consumer(Addresses.traffic("big"), m -> samples.add(EventJson.traffic(m.body())));
        // A queue of 256 KB: three samples of 200 interfaces, after the pipe's own 64 KB.
        TailVerticle tail = new TailVerticle(DeviceRegistry.fixed(devices),
            new PrintStream(reader.getOutputStream(), false, StandardCharsets.UTF_8), true, 256 << 10);
        hub.vertx().deployVerticle(tail).await();

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tail.dropped() >= 2);
        int before = samples.size();
        long droppedBefore = tail.dropped();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> samples.size() >= before + 4);
        List<TrafficSample> after = List.copyOf(samples.subList(before - 1, samples.size()));
        for (int k = 1; k < after.size(); k++) {
          assertEquals(after.get(k - 1).seq() + 1, after.get(k).seq(), "no poll lost to the paused pipe");
          long gap = after.get(k).ts() - after.get(k - 1).ts();
          // Loose: a shared machine; a loop blocked on the pipe would publish nothing at all.
          assertTrue(gap > 500 && gap < 3000, "polled every second with the pipe full: " + gap + " ms");
        }
        assertTrue(tail.dropped() > droppedBefore, "every sample since is dropped and counted: " + tail.dropped());
      }
    } finally {
      reader.destroyForcibly();
    }
  }
}
