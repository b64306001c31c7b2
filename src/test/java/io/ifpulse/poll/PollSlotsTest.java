package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Polls start on the slots of {@code poller.slotMs}, measured at the replies of simulated agents:
 * the operator's setting, not the hash, decides how polls of many devices group.
 */
class PollSlotsTest {

  @Test
  void pollsStartOnWholeSlotsOfTheLiveInterval() throws Exception {
    long slotMs = 500;
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"poller": {"slotMs": %d},
         "defaults": {"intervalMs": 1000, "timeoutMs": 800, "retries": 1},
         "devices": [
          {"id": "a", "sim": {"model": "steady", "interfaces": 2}},
          {"id": "b", "sim": {"model": "steady", "interfaces": 2}},
          {"id": "c", "sim": {"model": "steady", "interfaces": 2}},
          {"id": "d", "sim": {"model": "steady", "interfaces": 2}},
          {"id": "e", "sim": {"model": "steady", "interfaces": 2}},
          {"id": "f", "sim": {"model": "steady", "interfaces": 2}}
         ]}""".formatted(slotMs))) {
      List<DeviceConfig> devices = sim.devices();
      try (PollerHarness hub = sim.poll()) {
        List<Double> offsets = new ArrayList<>();
        for (DeviceConfig d : devices) {
          List<JsonObject> samples = hub.awaitSamples(d.id(), 5, Duration.ofSeconds(20));
          // Discovery runs right after start, off the grid; the polls after it are on it.
          for (JsonObject s : samples.subList(1, samples.size())) {
            double start = s.getLong("ts") - s.getDouble("pollMs");
            // Distance to the nearest slot boundary: a poll can start late (timers), and appear
            // up to half a millisecond early because ts is rounded.
            double off = Math.floorMod(Math.round(start), slotMs);
            offsets.add(Math.min(off, slotMs - off));
          }
        }
        Collections.sort(offsets);
        double median = offsets.get(offsets.size() / 2);
        double worst = offsets.get(offsets.size() - 1);
        assertTrue(median <= 20, "polls start " + median + " ms from their slot (median); all: " + offsets);
        assertTrue(worst <= 100, "a poll started " + worst + " ms from its slot; all: " + offsets);
      }
    }
  }
}
