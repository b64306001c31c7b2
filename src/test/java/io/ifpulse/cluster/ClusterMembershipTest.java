package io.ifpulse.cluster;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.cluster.ClusterNodes.Stop;
import io.ifpulse.cluster.ClusterNodes.View;
import io.ifpulse.sim.Simulator;
import io.ifpulse.time.MonotonicClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Planned membership changes move as few devices as possible and hand them over without a hole
 * and without two pollers: a node that leaves (SIGTERM) gives its devices to the others, whose own
 * devices stay put; a node that joins takes its share (a third: it joins the two left), and only those move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMembershipTest {
  static final int DEVICES = 90;
  static final long INTERVAL_MS = 2000;
  static final long HANDOVER_MS = 2000;
  /**
   * Watcher resolution plus scheduling on a busy 2-core machine: a full-suite run on 2026-11-30
   * saw one moved device at 4,300 ms (the bound with 300), with the registry map now migrating
   * two backups at a join. The takeover's speed is the benchmarks' (scenario 6); this bound tells
   * a device handed over from one left unpolled.
   */
  static final long SLACK_MS = 1000;
  static final int LEAVER = 2;
  static final int JOINER = 3;

  private final List<String> ids = ClusterNodes.ids("m", DEVICES);
  private final Set<String> all = new HashSet<>(ids);
  private Simulator sim;
  private RequestWatcher watcher;
  private ClusterNodes nodes;

  @BeforeAll
  void start() throws Exception {
    try {
      sim = ClusterNodes.simulator(ids);
      watcher = new RequestWatcher(sim);
      nodes = new ClusterNodes("membership", ClusterNodes.config(ClusterNodes.ports(sim, ids)));
      for (int i = 0; i < 3; i++) nodes.startAndWait(i, Role.ALL, Duration.ofSeconds(90));
      nodes.awaitSettled(List.of(0, 1, 2), 3, all, Duration.ofSeconds(60));
      // A steady state first: the last join's hand-over must not overlap the leave measured below.
      // (A fixed quiet time: there is no event that says a hand-over is over.)
      ClusterNodes.sleep(4 * INTERVAL_MS);
    } catch (Throwable t) {
      stop();
      throw t;
    }
  }

  @AfterAll
  void stop() {
    ClusterNodes.closeAll(nodes, watcher, sim);
  }

  private long duplicates(String id, double from, double to, boolean moved) {
    return watcher.duplicates(id, from, to, INTERVAL_MS, moved);
  }

  @Test
  @Order(1)
  void aNodeThatLeavesHandsItsDevicesOverAndNoOtherDeviceMoves() throws Exception {
    Map<Integer, View> before = nodes.awaitSettled(List.of(0, 1, 2), 3, all, Duration.ofSeconds(30));
    String leaverId = before.get(LEAVER).self();
    Set<String> moved = before.get(0).owned(leaverId);
    assertFalse(moved.isEmpty(), "the leaver owns devices");

    double signalAt = MonotonicClock.nowEpochMillis();
    CompletableFuture<Stop> stopping = CompletableFuture.supplyAsync(() -> nodes.stopGracefully(LEAVER));
    // The survivors' view, every 100 ms: when do they poll the leaver's devices?
    Map<Integer, View> after = nodes.awaitViews(List.of(0, 1),
        v -> ClusterNodes.unsettled(v, 2, all) == null, Duration.ofSeconds(40), 100);
    double settledAt = MonotonicClock.nowEpochMillis();
    Stop stop = stopping.get(40, TimeUnit.SECONDS);
    assertNotNull(after, () -> "survivors did not settle within 40 s" + nodes.tails());

    List<String> wrongMoves = new ArrayList<>();
    for (String id : ids) {
      String was = before.get(0).owners().get(id);
      String now = after.get(0).owners().get(id);
      if (!moved.contains(id) && !was.equals(now)) wrongMoves.add(id + ": " + was + " -> " + now);
    }

    // Observation window: the agents' requests during the 10 s after the leave are the result.
    ClusterNodes.sleep(Math.max(0, (long) (stop.exitedAtMs() + 10_000 - MonotonicClock.nowEpochMillis())));
    double windowEnd = stop.exitedAtMs() + 10_000;
    double worstSilence = 0;
    long worstDup = 0;
    long totalDup = 0;
    List<String> doubled = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (String id : ids) {
      boolean m = moved.contains(id);
      long dup = duplicates(id, signalAt, windowEnd, m);
      totalDup += dup;
      worstDup = Math.max(worstDup, dup);
      if (dup > 1) doubled.add(id + "=" + dup + (m ? " (moved)" : ""));
      if (m) {
        double s = watcher.maxSilence(id, signalAt - INTERVAL_MS, windowEnd);
        worstSilence = Math.max(worstSilence, s);
        if (s > INTERVAL_MS + HANDOVER_MS + SLACK_MS) silent.add(String.format("%s: %.0f ms without a request", id, s));
      }
    }
    String sample = moved.stream().sorted().limit(Integer.getInteger("ifpulse.cluster.timelines", 3))
        .map(id -> watcher.timeline(id, signalAt, signalAt - 12 * INTERVAL_MS, windowEnd)).toList().toString();
    System.out.printf("[cluster] leave: requests of moved devices, ms from SIGTERM (exit at %+.0f, survivors settled at %+.0f): %s%n",
        stop.exitedAtMs() - signalAt, settledAt - signalAt, sample);
    System.out.printf("[cluster-bench] graceful leave: %d of %d devices moved; SIGTERM to exit %.0f ms; survivors' REST view"
        + " settled %.0f ms after SIGTERM (%+.0f ms from the exit); longest time without a request for a moved device %.0f ms"
        + " (poll interval %d ms); duplicate requests: %d in total, worst device %d; devices of others moved: %d%n",
        moved.size(), DEVICES, stop.tookMs(), settledAt - signalAt, settledAt - stop.exitedAtMs(), worstSilence,
        INTERVAL_MS, totalDup, worstDup, wrongMoves.size());

    // Ownership caps each member at LOAD_FACTOR x the mean (the balance bound); a device whose first
    // choice was full can move back to it when the caps change. Rare, and bounded here.
    assertTrue(wrongMoves.size() <= Math.max(1, ids.size() / 10),
        () -> "too many devices of the survivors moved: " + wrongMoves + nodes.tails());
    assertTrue(settledAt - stop.exitedAtMs() <= HANDOVER_MS + SLACK_MS,
        () -> "the survivors poll the leaver's devices " + (settledAt - stop.exitedAtMs()) + " ms after it exited" + nodes.tails());
    assertTrue(silent.isEmpty(), () -> "devices left unpolled for longer than an interval + 2 s: " + silent + nodes.tails());
    assertTrue(doubled.isEmpty(), () -> "devices polled by two nodes for more than one interval: " + doubled + nodes.tails());
  }

  @Test
  @Order(2)
  void aNodeThatJoinsTakesItsShareAndOnlyThoseMove() {
    Map<Integer, View> before = nodes.awaitSettled(List.of(0, 1), 2, all, Duration.ofSeconds(30));
    double startAt = MonotonicClock.nowEpochMillis();
    nodes.start(JOINER, Role.ALL);
    // Watch the old members' view while the new node starts: when does it become a member?
    double[] memberAtHolder = {Double.NaN};
    try {
      Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
        try {
          if (nodes.cluster(0).getJsonArray("members").size() == 3) memberAtHolder[0] = MonotonicClock.nowEpochMillis();
        } catch (RuntimeException | AssertionError busy) {
          // ask again
        }
        // A joiner that died is reported by waitReady below.
        return !Double.isNaN(memberAtHolder[0]) || !nodes.node(JOINER).alive();
      });
    } catch (ConditionTimeoutException e) {
      // never a member: memberAt stays NaN and the readiness below decides
    }
    double memberAt = memberAtHolder[0];
    nodes.waitReady(JOINER, Duration.ofSeconds(90));
    double readyAt = MonotonicClock.nowEpochMillis();
    Map<Integer, View> after = nodes.awaitViews(List.of(0, 1, JOINER),
        v -> ClusterNodes.unsettled(v, 3, all) == null, Duration.ofSeconds(30), 100);
    double settledAt = MonotonicClock.nowEpochMillis();
    assertNotNull(after, () -> "not settled within 30 s of the new node's ready line" + nodes.tails());
    String joinerId = after.get(JOINER).self();

    Set<String> moved = new HashSet<>();
    List<String> wrongMoves = new ArrayList<>();
    for (String id : ids) {
      String was = before.get(0).owners().get(id);
      String now = after.get(0).owners().get(id);
      if (!was.equals(now)) {
        moved.add(id);
        if (!now.equals(joinerId)) wrongMoves.add(id + ": " + was + " -> " + now);
      }
    }
    double handoverFrom = Double.isNaN(memberAt) ? readyAt : Math.max(memberAt, readyAt);

    // Observation window: the agents' requests during the 10 s after the join settled are the result.
    ClusterNodes.sleep(Math.max(0, (long) (settledAt + 10_000 - MonotonicClock.nowEpochMillis())));
    double windowEnd = settledAt + 10_000;
    double worstSilence = 0;
    long worstDup = 0;
    long totalDup = 0;
    List<String> doubled = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (String id : ids) {
      boolean m = moved.contains(id);
      long dup = duplicates(id, startAt, windowEnd, m);
      totalDup += dup;
      worstDup = Math.max(worstDup, dup);
      if (dup > 1) doubled.add(id + "=" + dup + (m ? " (moved)" : ""));
      double s = watcher.maxSilence(id, startAt, windowEnd);
      if (m) worstSilence = Math.max(worstSilence, s);
      if (s > INTERVAL_MS + HANDOVER_MS + SLACK_MS) silent.add(String.format("%s: %.0f ms without a request%s", id, s, m ? " (moved)" : ""));
    }
    String sample = moved.stream().sorted().limit(3)
        .map(id -> watcher.timeline(id, startAt, startAt, windowEnd)).toList().toString();
    System.out.printf("[cluster] join: requests of moved devices, ms from the start (member at %+.0f, ready at %+.0f, settled at %+.0f): %s%n",
        memberAt - startAt, readyAt - startAt, settledAt - startAt, sample);
    System.out.printf("[cluster-bench] join: %d of %d devices moved (a third: %.1f), all to the new node: %s; member %.0f ms"
        + " and ready %.0f ms after the start, REST view settled %.0f ms after both; longest time without a request for a"
        + " moved device %.0f ms; duplicate requests: %d in total, worst device %d%n",
        moved.size(), DEVICES, DEVICES / 3.0, wrongMoves.isEmpty(), memberAt - startAt, readyAt - startAt,
        settledAt - handoverFrom, worstSilence, totalDup, worstDup);

    // See the leave case: the load cap may move a few devices between old members too.
    assertTrue(wrongMoves.size() <= Math.max(1, ids.size() / 10),
        () -> "too many devices moved between old members: " + wrongMoves + nodes.tails());
    assertTrue(moved.containsAll(after.get(0).owned(joinerId)), "the new node's devices all moved to it");
    // Its fair share: 1/3 after the leave above (two members + the new one); at most the cap.
    int membersNow = after.get(0).members().size();
    double share = (double) DEVICES / membersNow;
    // Counted on the new node alone: moves between old members are bounded above.
    int toJoiner = after.get(0).owned(joinerId).size();
    assertTrue(toJoiner >= 0.5 * share && toJoiner <= Math.ceil(ClusterOwnership.LOAD_FACTOR * share),
        () -> toJoiner + " of " + DEVICES + " moved to the new node; its share of " + membersNow + " members is " + share
            + " (cap " + ClusterOwnership.LOAD_FACTOR + " x)");
    assertTrue(settledAt - handoverFrom <= HANDOVER_MS + SLACK_MS,
        () -> "hand-over to the new node took " + (settledAt - handoverFrom) + " ms" + nodes.tails());
    assertTrue(silent.isEmpty(), () -> "devices left unpolled for longer than an interval + 2 s: " + silent + nodes.tails());
    assertTrue(doubled.isEmpty(), () -> "devices polled by two nodes for more than one interval: " + doubled + nodes.tails());
    // The new node missed every discovery; it still shows interface metadata (from the hand-over state).
    String someoneElses = ids.stream().filter(id -> !moved.contains(id)).findFirst().orElseThrow();
    JsonObject detail = nodes.getJson(JOINER, "/api/devices/" + someoneElses);
    JsonObject first = detail.getJsonArray("interfaces").getJsonObject(0);
    assertTrue(first.getString("descr") != null && first.getString("descr").startsWith("ifpulse sim"),
        () -> "metadata of " + someoneElses + " on the new node: " + detail);
  }
}
