package io.ifpulse.poll;

import io.ifpulse.events.Addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.sim.SimDevice;
import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SimulatedDevices;
import io.ifpulse.testing.RateTolerance;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A device whose agent answers polls with garbage (varbinds swapped, another interface's row,
 * another table's column, the wrong type, one left out) beside a sound device on the same poller:
 * the garbage is counted by kind in the garbled device's own statistics, every rate it still
 * publishes is its own interface's, and the sound device's rates, statistics and schedule are
 * untouched.
 */
class GarbledRepliesTest {

  @Test
  void garbageIsCountedAndStaysWithItsDevice() throws Exception {
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 1000},
         "devices": [
           {"id": "sound", "sim": {"model": "steady", "interfaces": 6, "rateMbps": 100}},
           {"id": "garbled", "sim": {"model": "steady", "interfaces": 6, "rateMbps": 100}}]}""");
        GarblingRelay relay = new GarblingRelay(sim.port("garbled"))) {
      List<DeviceConfig> devices = sim.devices().stream()
          .map(d -> d.id().equals("garbled") ? d.withEndpoint("127.0.0.1", relay.port()) : d)
          .toList();
      try (PollerHarness h = PollerHarness.start(devices, 256)) {
        h.awaitSamples("garbled", 15, Duration.ofSeconds(40));
        h.awaitSamples("sound", 15, Duration.ofSeconds(40));
        JsonObject stats = h.vertx().eventBus().<JsonObject>request(Addresses.POLLER_STATS, null).await().body();

        int measured = ownRatesOnly(sim.device("garbled"), h.samples("garbled"), false);
        assertTrue(measured >= 20, "the garbled device still measures what its replies carry: " + measured);
        ownRatesOnly(sim.device("sound"), h.samples("sound"), true);

        JsonObject garbled = stats.getJsonObject("garbled").getJsonObject("replyErrors");
        assertTrue(relay.polls() >= 20, "replies spoilt: " + relay.polls());
        for (String kind : List.of("reordered", "foreign-oid", "wrong-type", "missing")) {
          assertTrue(garbled.getLong(kind) > 0, kind + " counted: " + garbled);
        }
        JsonObject sound = stats.getJsonObject("sound");
        for (String kind : sound.getJsonObject("replyErrors").fieldNames()) {
          assertEquals(0, sound.getJsonObject("replyErrors").getLong(kind), "nothing counted on the sound device: " + sound);
        }
        assertEquals(0, sound.getLong("timeouts"));
        assertEquals(0, sound.getLong("overruns"));

        List<JsonObject> s = h.samples("sound");
        for (int i = 4; i < s.size(); i++) {
          assertEquals(s.get(i - 1).getLong("seq") + 1, s.get(i).getLong("seq"), "no sound poll skipped");
          long gap = s.get(i).getLong("ts") - s.get(i - 1).getLong("ts");
          assertTrue(gap > 700 && gap < 1400, "sound sample spacing " + gap + " ms");
        }
        List<JsonObject> g = h.samples("garbled");
        assertTrue(g.get(g.size() - 1).getBoolean("reachable"), "an agent that answers is reachable, whatever it says");
      }
    }
  }

  /**
   * Checks every rate after the warm-up against the interface's own ground truth; returns how many
   * were compared. A sound device has every rate of every interface in every sample.
   */
  private static int ownRatesOnly(SimDevice dev, List<JsonObject> samples, boolean complete) {
    List<String> off = new ArrayList<>();
    int compared = 0;
    for (JsonObject s : samples.subList(3, samples.size())) {
      for (Object o : s.getJsonArray("interfaces")) {
        JsonObject f = (JsonObject) o;
        if (!"ok".equals(f.getString("state"))) {
          if (complete) off.add("seq " + s.getLong("seq") + " not measured: " + f);
          continue;
        }
        double to = s.getLong("ts");
        double interval = f.getDouble("intervalMs");
        double allowed = RateTolerance.allowed(0.005, opening(samples, to - interval), s, interval);
        for (boolean in : new boolean[] {true, false}) {
          Double got = f.getDouble(in ? "inBps" : "outBps");
          if (got == null) {
            if (complete) off.add("seq " + s.getLong("seq") + " without " + (in ? "inBps" : "outBps") + ": " + f);
            continue;
          }
          double truth = dev.expectedBps(f.getInteger("ifIndex"), in, to - interval, to);
          compared++;
          if (Math.abs(got - truth) > allowed * truth) {
            off.add(String.format("seq %d if %d %s: %.0f vs its own %.0f", s.getLong("seq"), f.getInteger("ifIndex"),
                in ? "in" : "out", got, truth));
          }
        }
      }
    }
    assertTrue(off.isEmpty(), dev + ": " + off);
    return compared;
  }

  /** The sample whose time is closest to the start of an interval: the one that opened it. */
  private static JsonObject opening(List<JsonObject> samples, double fromMs) {
    JsonObject best = samples.get(0);
    for (JsonObject s : samples) {
      if (Math.abs(s.getLong("ts") - fromMs) < Math.abs(best.getLong("ts") - fromMs)) best = s;
    }
    return best;
  }
}
