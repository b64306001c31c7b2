package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.testing.MemoryHandoverStore;
import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node that starts polling a device continues from the state the last owner saved, but only if
 * that state is the same agent's: a device id pointed at another agent (changed through the API,
 * or removed and added again) must be discovered afresh, not given the old agent's interfaces and
 * counters.
 */
class HandoverRestoreTest {

  @Test
  void stateIsTakenOverForTheSameAgentOnly() throws Exception {
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 1000},
         "devices": [
          {"id": "three", "sim": {"model": "steady", "interfaces": 3, "rateMbps": 10}},
          {"id": "five", "sim": {"model": "steady", "interfaces": 5, "rateMbps": 10}}]}""")) {
      DeviceConfig template = sim.config().devices().get(0);
      DeviceConfig atThree = template.withEndpoint("127.0.0.1", sim.port("three"));
      DeviceConfig atFive = template.withEndpoint("127.0.0.1", sim.port("five"));
      MemoryHandoverStore store = new MemoryHandoverStore();

      try (PollerHarness node = PollerHarness.start(List.of(atThree), 16, store)) {
        node.awaitSamples("three", 3, Duration.ofSeconds(20));
      }
      assertTrue(store.has("three"), "the first node left its state");

      // The same id, now at another agent: its own five interfaces from the first sample on.
      try (PollerHarness node = PollerHarness.start(List.of(atFive), 16, store)) {
        JsonObject first = node.awaitSamples("three", 1, Duration.ofSeconds(20)).get(0);
        assertEquals(5, first.getJsonArray("interfaces").size(), "discovered afresh, not restored: " + first);
        node.awaitSamples("three", 3, Duration.ofSeconds(20));
      }

      // And the same agent again: taken over, so the very first sample already has rates.
      try (PollerHarness node = PollerHarness.start(List.of(atFive), 16, store)) {
        JsonObject first = node.awaitSamples("three", 1, Duration.ofSeconds(20)).get(0);
        assertEquals(5, first.getJsonArray("interfaces").size());
        for (Object o : first.getJsonArray("interfaces")) {
          assertEquals("ok", ((JsonObject) o).getString("state"), "continued from the saved counters: " + first);
        }
      }
    }
  }
}
