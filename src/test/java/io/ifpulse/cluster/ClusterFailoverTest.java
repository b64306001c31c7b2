package io.ifpulse.cluster;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.cluster.ClusterNodes.View;
import io.ifpulse.sim.SimDevice;
import io.ifpulse.sim.Simulator;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node that dies: the devices it polled are polled again by the survivors within 10 s; the
 * history a survivor serves keeps what came before, has no longer hole than detection plus two
 * intervals, and its first rate after the takeover is right (no spike from a bad interval).
 *
 * <p>Two ways to die. {@code kill -9}: the kernel closes the dead process's sockets, so the others
 * see its connections fail at once. SIGSTOP (a hung node: a long GC pause, a stuck host): its
 * sockets stay open and only Hazelcast's heartbeat timeout (5 s) can tell; when it resumes it
 * still believes it owns its devices, and the test measures how long it goes on polling them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {
  static final int DEVICES = 60;
  static final long INTERVAL_MS = 2000;
  /** Hazelcast's failure detection, by the contract. */
  static final long DETECTION_MS = 5000;
  static final long FAILOVER_LIMIT_MS = 10_000;

  private final List<String> ids = ClusterNodes.ids("f", DEVICES);
  private final Set<String> all = new HashSet<>(ids);
  private Simulator sim;
  private RequestWatcher watcher;
  private ClusterNodes nodes;

  @BeforeAll
  void start() throws Exception {
    try {
      sim = ClusterNodes.simulator(ids);
      watcher = new RequestWatcher(sim);
      nodes = new ClusterNodes("failover", ClusterNodes.config(ClusterNodes.ports(sim, ids)));
      for (int i = 0; i < 3; i++) nodes.startAndWait(i, Role.ALL, Duration.ofSeconds(90));
    } catch (Throwable t) {
      stop();
      throw t;
    }
  }

  @AfterAll
  void stop() {
    ClusterNodes.closeAll(nodes, watcher, sim);
  }

  @Test
  @Order(1)
  void killMinus9OfTheOldestMember() {
    // Node 0 is the oldest member, Hazelcast's master: the hardest one to lose.
    takeover("kill -9 of the oldest member", 0, List.of(1, 2), 1, nodes::kill9);
  }

  @Test
  @Order(2)
  void aHungNodeIsDetectedByTheHeartbeatAndReplaced() {
    nodes.startAndWait(0, Role.ALL, Duration.ofSeconds(90)); // back to three, with its old registry file
    Map<Integer, View> before = nodes.awaitSettled(List.of(0, 1, 2), 3, all, Duration.ofSeconds(60));
    String frozenId = before.get(2).self();
    Set<String> lost = before.get(1).owned(frozenId);

    takeover("SIGSTOP of a member (hung)", 2, List.of(0, 1), 1, nodes::freeze);

    // It resumes, still polling what it owned; the cluster should take it back (split-brain merge)
    // or make it stop. Measured, and bounded: within 60 s the three agree again.
    double thawAt = nodes.thaw(2);
    Map<Integer, View> healed = nodes.awaitViews(List.of(0, 1, 2), v -> ClusterNodes.unsettled(v, 3, all) == null,
        Duration.ofSeconds(60), 200);
    double healedAt = MonotonicClock.nowEpochMillis();
    // Observation window: requests of both polling nodes during the 20 s after SIGCONT are the result.
    ClusterNodes.sleep(Math.max(0, (long) (thawAt + 20_000 - MonotonicClock.nowEpochMillis())));
    long dup = 0;
    long worst = 0;
    for (String id : lost) {
      long d = watcher.close(id, thawAt, thawAt + 20_000, INTERVAL_MS / 2.0);
      dup += d;
      worst = Math.max(worst, d);
    }
    String sample = lost.stream().sorted().limit(3).map(id -> watcher.timeline(id, thawAt, thawAt - 4000, thawAt + 20_000)).toList().toString();
    System.out.printf("[cluster-bench] hung member resumed (SIGCONT): the three agree again after %s; close requests (two pollers)"
        + " on its %d former devices in the 20 s after: %d, worst device %d%n",
        healed == null ? "NEVER (60 s)" : String.format("%.0f ms", healedAt - thawAt), lost.size(), dup, worst);
    System.out.println("[cluster] after SIGCONT, requests of its former devices, ms from SIGCONT: " + sample);
    // The agents' word, whatever the REST views say: every device polled in the next 10 s.
    double from = MonotonicClock.nowEpochMillis();
    ClusterNodes.sleep(10_000 + 2 * RequestWatcher.PERIOD_MS); // observation window, counted below
    List<String> unpolled = ids.stream().filter(id -> watcher.count(id, from, from + 10_000) < 4).sorted().toList();
    System.out.printf("[cluster-bench] hung member resumed: devices polled less than 4 times in 10 s, %.0f s after SIGCONT: %d of %d%n",
        (from - thawAt) / 1000, unpolled.size(), DEVICES);
    String why;
    try {
      why = healed != null ? null : ClusterNodes.unsettled(nodes.views(List.of(0, 1, 2)), 3, all);
    } catch (RuntimeException | AssertionError e) {
      why = e.toString();
    }
    String whyNot = why;
    assertNotNull(healed, () -> "the resumed member and the others never agreed again within 60 s: " + whyNot + nodes.tails());
    assertTrue(unpolled.isEmpty(), () -> "devices nobody polls after the resumed member came back: " + unpolled + nodes.tails());
  }

  /**
   * Makes {@code victim} die by {@code how} (returns the instant), then judges the survivors'
   * takeover at the agents and in {@code witness}'s history, and prints the figures.
   */
  private void takeover(String label, int victim, List<Integer> survivors, int witness, IntToDoubleFunction how) {
    List<Integer> everyone = new ArrayList<>(survivors);
    everyone.add(victim);
    Map<Integer, View> before = nodes.awaitSettled(everyone, 3, all, Duration.ofSeconds(60));
    // A steady state with some history everywhere before the failure: a few polls after the last join.
    // (A fixed quiet time: there is no event that says a hand-over is over.)
    ClusterNodes.sleep(4 * INTERVAL_MS);

    String victimId = before.get(victim).self();
    Set<String> moved = before.get(witness).owned(victimId);
    assertFalse(moved.isEmpty(), "the victim owns devices: " + ClusterNodes.perMember(before.get(witness).owners()));

    double failAt = how.applyAsDouble(victim);

    // 1. The agents: each of the victim's devices gets a request again (a request already in
    // flight at the failure is no takeover).
    Map<String, Double> firstAfter = new java.util.concurrent.ConcurrentSkipListMap<>();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
        for (String id : moved) {
          double t = watcher.firstAfter(id, failAt + RequestWatcher.PERIOD_MS);
          if (!Double.isNaN(t)) firstAfter.putIfAbsent(id, t - failAt);
        }
        return firstAfter.size() >= moved.size();
      });
    } catch (ConditionTimeoutException e) {
      // the devices never polled are reported below
    }
    Set<String> never = new HashSet<>(moved);
    never.removeAll(firstAfter.keySet());
    assertTrue(never.isEmpty(), () -> label + ": not polled within 30 s: " + never + nodes.tails());

    // 2. The survivors' view settles.
    Map<Integer, View> after = nodes.awaitSettled(survivors, 2, all, Duration.ofSeconds(30));
    double settledAt = MonotonicClock.nowEpochMillis();
    List<String> othersMoved = new ArrayList<>();
    for (String id : ids) {
      String was = before.get(witness).owners().get(id);
      if (!moved.contains(id) && !was.equals(after.get(witness).owners().get(id))) othersMoved.add(id);
    }

    // 3. Keep polling for a while, then judge the agents' counts and the history.
    double windowEnd = failAt + 25_000; // observation window: duplicates and gaps in it are the result
    ClusterNodes.sleep(Math.max(0, (long) (windowEnd - MonotonicClock.nowEpochMillis())));

    double failoverMax = firstAfter.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double failoverMin = firstAfter.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double failoverMean = firstAfter.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    long duplicates = 0;
    long worstDuplicates = 0;
    long othersClose = 0;
    long othersTotal = 0;
    long movedTotal = 0;
    for (String id : ids) {
      if (moved.contains(id)) {
        // The new owner may discover the device again, as a node does at its start: not duplicates.
        long dup = watcher.duplicates(id, failAt, windowEnd, INTERVAL_MS, true);
        duplicates += dup;
        worstDuplicates = Math.max(worstDuplicates, dup);
        movedTotal += watcher.count(id, failAt, windowEnd);
      } else {
        othersClose += watcher.close(id, failAt, windowEnd, INTERVAL_MS / 2.0);
        othersTotal += watcher.count(id, failAt, windowEnd);
      }
    }
    System.out.printf("[cluster-bench] failover, %s (%d of %d devices to move, %d ms polls): first request after the failure"
        + " min %.0f / mean %.0f / max %.0f ms; survivors' REST view settled after %.0f ms; other devices moved too: %d%n",
        label, moved.size(), DEVICES, INTERVAL_MS, failoverMin, failoverMean, failoverMax, settledAt - failAt, othersMoved.size());
    System.out.printf("[cluster-bench] failover, %s: duplicates during the hand-over %d requests in total (worst device %d)"
        + " of %d requests to the moved devices in 25 s; close requests to the other devices: %d of %d%n",
        label, duplicates, worstDuplicates, movedTotal, othersClose, othersTotal);
    assertTrue(failoverMax <= FAILOVER_LIMIT_MS,
        () -> label + ": failover took " + failoverMax + " ms for some device: " + firstAfter + nodes.tails());

    // 4. The history as a survivor serves it.
    List<String> problems = new ArrayList<>();
    double worstFirstError = 0;
    double worstAnyError = 0;
    double worstHole = 0;
    double worstFailToRate = 0;
    for (String id : moved) {
      SimDevice dev = sim.device(id);
      for (int n = 0; n < dev.interfaces(); n++) {
        int ifIndex = dev.ifIndex(n);
        JsonObject h = nodes.history(witness, id, ifIndex, 120);
        JsonArray ts = h.getJsonArray("ts");
        JsonArray inBps = h.getJsonArray("inBps");
        JsonArray outBps = h.getJsonArray("outBps");
        double lastBefore = Double.NaN;
        double firstAfterTs = Double.NaN;
        double prevGood = Double.NaN;
        int beforeCount = 0;
        for (int i = 0; i < ts.size(); i++) {
          double t = ts.getLong(i);
          if (inBps.getValue(i) == null || outBps.getValue(i) == null) continue;
          double in = inBps.getDouble(i);
          double out = outBps.getDouble(i);
          double expIn = dev.expectedBps(ifIndex, true, t - INTERVAL_MS, t);
          double expOut = dev.expectedBps(ifIndex, false, t - INTERVAL_MS, t);
          double err = Math.max(Math.abs(in - expIn) / expIn, Math.abs(out - expOut) / expOut);
          if (t < failAt) {
            beforeCount++;
            lastBefore = t;
          } else {
            worstAnyError = Math.max(worstAnyError, err);
            if (Double.isNaN(firstAfterTs)) {
              firstAfterTs = t;
              worstFirstError = Math.max(worstFirstError, err);
              worstFailToRate = Math.max(worstFailToRate, t - failAt);
              if (err > 0.01) {
                problems.add(String.format("%s/%d: first rate after the takeover at +%.0f ms is off by %.2f %% (in %.0f, expected %.0f)",
                    id, ifIndex, t - failAt, err * 100, in, expIn));
              }
            }
          }
          if (!Double.isNaN(prevGood)) worstHole = Math.max(worstHole, t - prevGood);
          prevGood = t;
        }
        if (beforeCount < 2) problems.add(id + "/" + ifIndex + ": only " + beforeCount + " rates from before the failure");
        else if (failAt - lastBefore > INTERVAL_MS + 1000) {
          problems.add(String.format("%s/%d: the last rate before the failure is %.0f ms before it", id, ifIndex, failAt - lastBefore));
        }
        if (Double.isNaN(firstAfterTs)) problems.add(id + "/" + ifIndex + ": no rate after the failure");
        else if (firstAfterTs - failAt > DETECTION_MS + 2 * INTERVAL_MS + 500) {
          problems.add(String.format("%s/%d: first rate %.0f ms after the failure", id, ifIndex, firstAfterTs - failAt));
        }
      }
    }
    System.out.printf("[cluster-bench] failover, %s, history on a survivor: failure to first rate max %.0f ms; longest hole"
        + " between rates %.0f ms (limit: detection %d + 2 x %d ms + the phase of the last poll before); first rate after"
        + " the takeover off by at most %.3f %%, any rate after it by at most %.3f %%%n", label, worstFailToRate, worstHole,
        DETECTION_MS, INTERVAL_MS, worstFirstError * 100, worstAnyError * 100);
    assertTrue(problems.isEmpty(), () -> label + ":\n" + String.join("\n", problems) + nodes.tails());
    double hole = worstHole;
    assertTrue(hole <= DETECTION_MS + 3 * INTERVAL_MS + 500,
        () -> label + ": a hole of " + hole + " ms in a survivor's history" + nodes.tails());
  }
}
