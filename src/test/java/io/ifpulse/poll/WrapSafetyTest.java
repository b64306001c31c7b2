package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.sim.SimDevice;
import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 10 Gbit/s port on 32-bit counters wraps every 3.4 s at line rate: at a 10 s base interval the
 * poller would miss wraps and show far too little. It polls that device faster instead.
 */
class WrapSafetyTest {

  @Test
  void counter32At10GigabitIsPolledBeforeItCanWrapTwice() throws Exception {
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 10000, "liveIntervalMs": 1000},
         "devices": [{"id": "ten-gig", "sim": {"model": "steady", "interfaces": 2, "speedMbps": 10000,
                      "rateMbps": 8000, "counters": "counter32"}}]}""")) {
      try (PollerHarness h = sim.poll(16)) {
        List<JsonObject> samples = h.awaitSamples("ten-gig", 9, Duration.ofSeconds(40));
        SimDevice dev = sim.device("ten-gig");
        int measured = 0;
        for (JsonObject s : samples.subList(3, samples.size())) {
          assertTrue(s.getLong("intervalMs") <= 2750, "polled within 80 % of the wrap time: " + s.getLong("intervalMs"));
          for (Object o : s.getJsonArray("interfaces")) {
            JsonObject f = (JsonObject) o;
            if (!"ok".equals(f.getString("state"))) continue;
            double to = s.getLong("ts");
            double truth = dev.expectedBps(f.getInteger("ifIndex"), true, to - f.getDouble("intervalMs"), to);
            assertTrue(Math.abs(f.getDouble("inBps") - truth) <= 0.005 * truth, f + " vs " + truth);
            measured++;
          }
        }
        assertTrue(measured >= 8, "rates measured: " + measured);
      }
    }
  }
}
