package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.sim.NetworkFaults;
import io.ifpulse.sim.SimDevice;
import io.ifpulse.testing.HubUnderTest;
import io.ifpulse.testing.RateTolerance;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Loss (1 %, 10 %, 30 % of datagrams each way), delay jitter, duplicated and reordered replies, made
 * by the simulator between the real hub and its agents, beside a device on a clean network. Over
 * the run, each device's average bit rate from its published samples (the sum of rate × interval
 * over the samples that carry a rate) is within 1 % of the simulator's ground truth for the same
 * intervals; no sample lies above the truth by more than its polls' round trips explain (no
 * spike); what was lost is counted (timeouts, retries, no-data gaps); the clean device keeps its
 * schedule.
 *
 * <p>CI runs a short window ({@value #DEFAULT_SECONDS} s of measured time per device); {@code
 * -Difpulse.faults.seconds=300} runs a longer one. Each run prints its figures per device.
 */
class NetworkFaultsTest {
  static final int DEFAULT_SECONDS = 35;
  private static final List<String> FAULTY = List.of("loss1", "loss10", "loss30", "jitter", "dup", "reorder");

  @Test
  void ratesStayTrueOverTheRunAndTheLossIsCounted() throws Exception {
    int seconds = Integer.getInteger("ifpulse.faults.seconds", DEFAULT_SECONDS);
    String sine = "\"model\": \"sine\", \"periodSeconds\": 20, \"amplitude\": 0.5, \"interfaces\": 2, \"rateMbps\": 100";
    try (HubUnderTest h = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 300, "retries": 2},
         "credentials": {"lab": {"community": "public"}},
         "devices": [
           {"id": "calm", "sim": {%1$s}},
           {"id": "loss1", "sim": {%1$s, "network": {"loss": 0.01, "seed": 11}}},
           {"id": "loss10", "sim": {%1$s, "network": {"loss": 0.10, "seed": 12}}},
           {"id": "loss30", "sim": {%1$s, "network": {"loss": 0.30, "seed": 13}}},
           {"id": "jitter", "sim": {%1$s, "network": {"jitterMs": 40, "seed": 14}}},
           {"id": "dup", "sim": {%1$s, "network": {"duplicate": 0.2, "seed": 15}}},
           {"id": "reorder", "sim": {%1$s, "network": {"reorder": 0.2, "jitterMs": 10, "seed": 16}}}]}"""
        .formatted(sine), Map.of())) {
      Map<String, List<TrafficSample>> samples = new ConcurrentHashMap<>();
      List<String> all = new ArrayList<>(FAULTY);
      all.add(0, "calm");
      for (String id : all) {
        List<TrafficSample> list = new CopyOnWriteArrayList<>();
        samples.put(id, list);
        h.hub().vertx().eventBus().consumer(Addresses.traffic(id), m -> list.add(EventJson.traffic(m.body())));
      }

      Awaitility.await().atMost(Duration.ofSeconds(seconds + 90L)).pollInterval(Duration.ofSeconds(1))
          .until(() -> all.stream().allMatch(id -> measuredSeconds(samples.get(id)) >= seconds));

      JsonObject stats = h.hub().vertx().eventBus().<JsonObject>request(Addresses.POLLER_STATS, null).await().body();
      Map<String, String> figures = new LinkedHashMap<>();
      List<String> wrong = new ArrayList<>();
      for (String id : all) {
        SimDevice dev = h.hub().simulator().device(id);
        Measured m = measure(dev, samples.get(id));
        JsonObject s = stats.getJsonObject(id);
        NetworkFaults.Stats net = h.hub().simulator().network(id);
        figures.put(id, String.format(Locale.ROOT,
            "average error %+.3f %% (over its own intervals %+.3f %%), measured %.0f s, samples %d, no-data gaps %d, other gaps %d, timeouts %d, retries %d,"
                + " worst sample %+.2f %%; network: requests lost %d, replies lost %d, duplicated %d, reordered %d",
            m.spanErrorPct(), m.errorPct(), m.seconds, samples.get(id).size(), gaps(s, "no-data"), otherGaps(s), s.getLong("timeouts"),
            s.getLong("retries"), m.worstPct, net.requestsLost(), net.repliesLost(), net.repliesDuplicated(),
            net.repliesReordered()));
        if (Math.abs(m.spanErrorPct()) > 1) wrong.add(id + ": long-run average off by " + m.spanErrorPct() + " %");
        if (Math.abs(m.errorPct()) > 1) wrong.add(id + ": rates off their own intervals' truth by " + m.errorPct() + " %");
        if (!m.spikes.isEmpty()) wrong.add(id + ": spikes " + m.spikes);
      }
      figures.forEach((id, f) -> System.out.println("network faults, " + seconds + " s, " + id + ": " + f));
      assertEquals(List.of(), wrong, "figures: " + figures);

      // What was lost is counted, on both sides.
      for (String id : List.of("loss10", "loss30")) {
        NetworkFaults.Stats net = h.hub().simulator().network(id);
        assertTrue(net.requestsLost() + net.repliesLost() > 0, id + ": the network lost nothing");
        JsonObject s = stats.getJsonObject(id);
        assertTrue(s.getLong("retries") > 0, id + ": lost datagrams cost retries: " + s.encode());
      }
      assertTrue(h.hub().simulator().network("dup").repliesDuplicated() > 0);
      assertTrue(h.hub().simulator().network("reorder").repliesReordered() > 0);
      // A retry of the clean device's can happen on a loaded machine (a 300 ms timeout); a poll
      // lost after all its retries would mean the faults reached it.
      JsonObject calmStats = stats.getJsonObject("calm");
      assertEquals(0, calmStats.getLong("timeouts"), calmStats.encode());
      assertEquals(0, gaps(calmStats, "no-data"), calmStats.encode());

      // The clean device kept its schedule: every poll published, each about one interval apart.
      List<TrafficSample> calm = samples.get("calm");
      for (int k = 1; k < calm.size(); k++) {
        assertEquals(calm.get(k - 1).seq() + 1, calm.get(k).seq());
        long gap = calm.get(k).ts() - calm.get(k - 1).ts();
        assertTrue(gap > 500 && gap < 2500, "calm polled on its schedule beside the faulty networks: " + gap + " ms");
        assertTrue(calm.get(k).reachable());
      }
    }
  }

  /** Seconds covered by the rates of a device's first interface (ok samples only). */
  private static double measuredSeconds(List<TrafficSample> samples) {
    double ms = 0;
    for (TrafficSample s : samples) {
      InterfaceSample i = s.interfaces().isEmpty() ? null : s.interfaces().get(0);
      if (i != null && i.state() == InterfaceSample.State.OK) ms += i.intervalMs();
    }
    return ms / 1000;
  }

  private static long gaps(JsonObject stats, String reason) {
    return stats.getJsonObject("gaps").getLong(reason);
  }

  private static long otherGaps(JsonObject stats) {
    long n = 0;
    for (String k : stats.getJsonObject("gaps").fieldNames()) {
      if (!k.equals("no-data") && !k.equals("first")) n += stats.getJsonObject("gaps").getLong(k);
    }
    return n;
  }

  /**
   * Bits measured and bits the model sent over the same intervals, both directions of every
   * interface, and the samples above their truth by more than their polls' round trips explain.
   */
  static final class Measured {
    double bits;
    double truthBits;
    double seconds;
    double worstPct;
    /** Bits the model sent over the whole span of each interface's rates, from the first interval's start to the last's end. */
    double spanBits;
    final List<String> spikes = new ArrayList<>();

    /** The rates against the truth of their own intervals. */
    double errorPct() {
      return (bits - truthBits) / truthBits * 100;
    }

    /**
     * The sum of bits over time against everything the model sent in the span: also off when
     * intervals are missing from the chain (traffic dropped from the sum around a loss).
     */
    double spanErrorPct() {
      return (bits - spanBits) / spanBits * 100;
    }
  }

  private static Measured measure(SimDevice dev, List<TrafficSample> samples) {
    Measured m = new Measured();
    Map<Integer, TrafficSample> opening = new java.util.HashMap<>();
    Map<Integer, double[]> span = new java.util.HashMap<>();
    for (TrafficSample s : samples) {
      for (InterfaceSample i : s.interfaces()) {
        // The next interval opens at the last sample that had a reading (no-data had none).
        boolean read = !(i.state() == InterfaceSample.State.GAP && i.gap() == InterfaceSample.Gap.NO_DATA);
        if (i.state() != InterfaceSample.State.OK) {
          // A held sample repeats a measurement; a gap carries none. Neither adds bits.
          if (read) opening.put(i.ifIndex(), s);
          continue;
        }
        double to = s.ts(), from = to - i.intervalMs();
        double sec = i.intervalMs() / 1000;
        double truthIn = dev.expectedBps(i.ifIndex(), true, from, to);
        double truthOut = dev.expectedBps(i.ifIndex(), false, from, to);
        m.bits += (i.inBps() + i.outBps()) * sec;
        m.truthBits += (truthIn + truthOut) * sec;
        if (i.ifIndex() == dev.ifIndex(0)) m.seconds += sec;
        TrafficSample open = opening.get(i.ifIndex());
        double openingPollMs = open != null ? open.pollMs() : s.pollMs();
        double allowed = RateTolerance.allowed(0.01, openingPollMs, s.pollMs(), i.intervalMs());
        double off = Math.max((i.inBps() - truthIn) / truthIn, (i.outBps() - truthOut) / truthOut);
        m.worstPct = Math.max(m.worstPct, off * 100);
        if (off > allowed) m.spikes.add(String.format(Locale.ROOT, "seq %d ifIndex %d +%.2f %% > %.2f %%", s.seq(), i.ifIndex(), off * 100, allowed * 100));
        opening.put(i.ifIndex(), s);
        span.computeIfAbsent(i.ifIndex(), k -> new double[] {from, to})[1] = to;
      }
    }
    span.forEach((ifIndex, fromTo) -> {
      double sec = (fromTo[1] - fromTo[0]) / 1000;
      m.spanBits += (dev.expectedBps(ifIndex, true, fromTo[0], fromTo[1]) + dev.expectedBps(ifIndex, false, fromTo[0], fromTo[1])) * sec;
    });
    return m;
  }
}
