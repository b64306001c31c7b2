package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.sim.SimDevice;
import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.RateTolerance;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole path from simulated agents to published samples, compared with the simulator's ground
 * truth: the integral of each traffic model over exactly the interval a sample says it covers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorPollingTest {
  private static final double ACCURACY = 0.005;

  private SimulatedDevices simulator;
  private PollerHarness hub;

  @BeforeAll
  void start() throws Exception {
    simulator = SimulatedDevices.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 800, "retries": 1},
         "devices": [
          {"id": "steady", "sim": {"model": "steady", "interfaces": 6, "rateMbps": 100}},
          {"id": "sine", "sim": {"model": "sine", "interfaces": 3, "rateMbps": 200, "periodSeconds": 20, "amplitude": 0.6}},
          {"id": "wrap", "sim": {"model": "steady", "interfaces": 2, "speedMbps": 10000, "rateMbps": 8000, "counters": "counter32"}},
          {"id": "v1", "version": "v1", "sim": {"model": "steady", "interfaces": 3, "rateMbps": 30, "counters": "v1"}},
          {"id": "slow", "timeoutMs": 1500, "sim": {"model": "steady", "interfaces": 2, "rateMbps": 50, "delayMs": 300}},
          {"id": "cached", "sim": {"model": "steady", "interfaces": 3, "rateMbps": 300, "cacheSeconds": 3}},
          {"id": "restart", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 80}},
          {"id": "silent", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 10}}
         ]}""");
    hub = simulator.poll(256);
  }

  @AfterAll
  void stop() {
    if (hub != null) hub.close();
    if (simulator != null) simulator.close();
  }

  @Test
  void ratesMatchGroundTruthWithinHalfAPercent() throws Exception {
    for (String id : List.of("steady", "sine", "wrap", "v1", "slow")) {
      hub.awaitSamples(id, 12, Duration.ofSeconds(30));
    }
    for (String id : List.of("steady", "sine", "wrap", "v1", "slow")) {
      SimDevice dev = simulator.device(id);
      List<String> off = new ArrayList<>();
      int compared = 0;
      double worst = 0;
      long worstSeq = -1;
      // The agent reads its counters half-way through its programmed delay on every reply: a constant
      // offset that cancels, so only the rest of each round trip is unknown timing (RateTolerance).
      double delayMs = dev.delayMs();
      JsonObject prev = null;
      for (JsonObject s : hub.samples(id)) {
        JsonObject opening = prev;
        prev = s;
        JsonArray ifs = s.getJsonArray("interfaces");
        assertEquals(dev.interfaces(), ifs.size(), id + ": every interface in every sample");
        for (int i = 0; i < ifs.size(); i++) {
          JsonObject f = ifs.getJsonObject(i);
          if ("gap".equals(f.getString("state"))) {
            assertEquals("first", f.getString("gap"), id + ": the only gap is the first reading: " + s);
            continue;
          }
          assertEquals("ok", f.getString("state"), id + ": a live agent is never held: " + f);
          assertNotNull(opening, id + ": a rate without the sample that opened its interval: " + s);
          assertEquals(opening.getLong("seq") + 1, s.getLong("seq"), id + ": samples in order, none lost");
          double to = s.getLong("ts");
          double interval = f.getDouble("intervalMs");
          double from = to - interval;
          double allowed = RateTolerance.allowed(ACCURACY, RateTolerance.pollMs(opening) - delayMs,
              RateTolerance.pollMs(s) - delayMs, interval);
          for (boolean in : new boolean[] {true, false}) {
            double truth = dev.expectedBps(f.getInteger("ifIndex"), in, from, to);
            double got = f.getDouble(in ? "inBps" : "outBps");
            compared++;
            if (Math.abs(got - truth) / truth > worst) {
              worst = Math.abs(got - truth) / truth;
              worstSeq = s.getLong("seq");
            }
            if (Math.abs(got - truth) > allowed * truth) off.add(String.format("seq %d if %d %s: %.0f vs truth %.0f (%.3f%%,"
                + " allowed %.3f%% with polls of %s and %s ms)", s.getLong("seq"), f.getInteger("ifIndex"), in ? "in" : "out",
                got, truth, 100 * (got - truth) / truth, 100 * allowed, opening.getDouble("pollMs"), s.getDouble("pollMs")));
          }
        }
      }
      // Reported for docs/BENCHMARKS.md (rate accuracy).
      System.out.printf("rate accuracy %-7s worst %.4f %% (seq %d) over %d rates%n", id, worst * 100, worstSeq, compared);
      assertTrue(compared >= 20, id + ": compared " + compared);
      assertTrue(off.isEmpty(), id + ": off by more than 0.5 % and the round trips: " + off);
    }
  }

  @Test
  void utilisationPacketsAndErrorsAreDerivedFromTheSameInterval() throws Exception {
    List<JsonObject> samples = hub.awaitSamples("steady", 4, Duration.ofSeconds(20));
    JsonObject s = samples.get(samples.size() - 1);
    JsonObject f = s.getJsonArray("interfaces").getJsonObject(0);
    assertEquals("ok", f.getString("state"));
    SimDevice dev = simulator.device("steady");
    double to = s.getLong("ts");
    double from = to - f.getDouble("intervalMs");
    int ifIndex = f.getInteger("ifIndex");
    assertEquals(100 * f.getDouble("inBps") / f.getLong("speedBps"), f.getDouble("inUtil"), 1e-3);
    double pps = dev.expectedPps(ifIndex, true, from, to);
    assertEquals(pps, f.getDouble("inPps"), pps * 0.01 + 2);
    assertTrue(f.getDouble("inErrors") >= 0 && f.getDouble("inDiscards") >= 0);
  }

  @Test
  void cachingAgentGivesASteadyLine() throws Exception {
    List<JsonObject> samples = hub.awaitSamples("cached", 16, Duration.ofSeconds(30));
    SimDevice dev = simulator.device("cached");
    int ifIndex = dev.ifIndex(0);
    double truth = dev.expectedBps(ifIndex, true, 0, 1e9); // steady: the same over any window
    int held = 0;
    List<String> off = new ArrayList<>();
    boolean warm = false;
    for (JsonObject s : samples) {
      JsonObject f = PollerHarness.ifIndex(s, ifIndex);
      if (!warm) {
        warm = "ok".equals(f.getString("state"));
        if (!warm) continue;
      }
      if ("held".equals(f.getString("state"))) held++;
      Double v = f.getDouble("inBps");
      if (v == null || Math.abs(v - truth) > 0.01 * truth) off.add("seq " + s.getLong("seq") + ": " + f);
    }
    assertTrue(held >= 6, "the cache was in effect (held samples): " + held);
    assertTrue(off.isEmpty(), "steady " + truth + " bit/s on every sample after warm-up, never 0 or 3x: " + off);
  }

  @Test
  void agentRestartGivesAGapThenCorrectRates() throws Exception {
    hub.awaitSamples("restart", 4, Duration.ofSeconds(20));
    SimDevice dev = simulator.device("restart");
    int before = hub.samples("restart").size();
    dev.restart();
    hub.awaitStatus("restart", "restarted", Duration.ofSeconds(10));
    hub.awaitStatus("restart", "interfaces-changed", Duration.ofSeconds(10));
    hub.awaitSamples("restart", before + 6, Duration.ofSeconds(20));
    List<JsonObject> after = hub.samples("restart").subList(before, hub.samples("restart").size());
    boolean sawGap = false;
    boolean correctAgain = false;
    for (JsonObject s : after) {
      for (Object o : s.getJsonArray("interfaces")) {
        JsonObject f = (JsonObject) o;
        if ("gap".equals(f.getString("state"))) {
          sawGap = true;
          continue;
        }
        double to = s.getLong("ts");
        double truth = dev.expectedBps(f.getInteger("ifIndex"), true, to - f.getDouble("intervalMs"), to);
        double got = f.getDouble("inBps");
        assertTrue(got >= 0 && Math.abs(got - truth) <= ACCURACY * truth,
            "no spike, no negative, only correct rates after the restart: " + got + " vs " + truth + " in " + s);
        correctAgain = true;
      }
    }
    assertTrue(sawGap, "the restart is a gap");
    assertTrue(correctAgain, "rates resume after the restart");
    // Renumbered interfaces are found again under their names.
    JsonObject last = after.get(after.size() - 1);
    for (int n = 0; n < dev.interfaces(); n++) {
      assertEquals(dev.ifIndex(n), PollerHarness.iface(last, dev.ifName(n)).getInteger("ifIndex"));
    }
  }

  @Test
  void silentDeviceChangesStatusWhileOthersKeepTheirSchedule() throws Exception {
    hub.awaitSamples("silent", 3, Duration.ofSeconds(20));
    SimDevice dev = simulator.device("silent");
    int steadyBefore = hub.samples("steady").size();
    dev.setSilent(true);
    JsonObject down = hub.awaitStatus("silent", "unreachable", Duration.ofSeconds(10));
    assertEquals("timeout", down.getString("error"));
    // Three more polls of the steady device: a few of the silent device's rounds have timed out.
    hub.awaitSamples("steady", hub.samples("steady").size() + 3, Duration.ofSeconds(10));
    List<JsonObject> silentSamples = hub.samples("silent");
    JsonObject lastSilent = silentSamples.get(silentSamples.size() - 1);
    assertFalse(lastSilent.getBoolean("reachable"));
    for (Object o : lastSilent.getJsonArray("interfaces")) {
      JsonObject f = (JsonObject) o;
      assertEquals("no-data", f.getString("gap"), "a dead device publishes gaps, not zeros: " + f);
      assertFalse(f.containsKey("inBps"));
    }
    // Meanwhile the steady device kept its 1 s schedule.
    List<JsonObject> steady = hub.samples("steady");
    List<JsonObject> during = steady.subList(steadyBefore, steady.size());
    assertTrue(during.size() >= 5, "steady kept polling: " + during.size());
    for (int i = 1; i < during.size(); i++) {
      long gap = during.get(i).getLong("ts") - during.get(i - 1).getLong("ts");
      assertTrue(gap > 700 && gap < 1400, "steady sample spacing " + gap + " ms while another device is silent");
      assertEquals(during.get(i - 1).getLong("seq") + 1, during.get(i).getLong("seq"), "no poll skipped");
    }
    dev.setSilent(false);
    hub.awaitStatus("silent", "reachable", Duration.ofSeconds(10));
  }
}
