package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.cluster.ClusterNodes.View;
import io.ifpulse.sim.Simulator;
import io.ifpulse.time.MonotonicClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes share 300 devices: they agree on who owns what, each owner polls its devices, the
 * shares are even, and the agents see every device polled by exactly one node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBalanceTest {
  static final int DEVICES = 300;
  static final int NODES = 3;
  static final long INTERVAL_MS = 2000;
  static final double WINDOW_MS = 20_000;
  /** One poller at 2 s polls 10 (at most 11) times in 20 s; a rediscovery or a retry may add a few. */
  static final long MAX_REQUESTS_IN_WINDOW = 11 + 2;

  private final List<String> ids = ClusterNodes.ids("d", DEVICES);
  private Simulator sim;
  private RequestWatcher watcher;
  private ClusterNodes nodes;
  private Map<Integer, View> settled;

  @BeforeAll
  void start() throws Exception {
    try {
      sim = ClusterNodes.simulator(ids);
      watcher = new RequestWatcher(sim);
      nodes = new ClusterNodes("balance", ClusterNodes.config(ClusterNodes.ports(sim, ids)));
      for (int i = 0; i < NODES; i++) nodes.startAndWait(i, Role.ALL, Duration.ofSeconds(90));
      settled = nodes.awaitSettled(List.of(0, 1, 2), NODES, new HashSet<>(ids), Duration.ofSeconds(60));
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
  void allNodesAgreeOnOwnersAndEachOwnerPollsItsDevices() {
    // awaitSettled has checked it once; check it again, now that discovery has run everywhere.
    Map<Integer, View> v = nodes.views(List.of(0, 1, 2));
    assertEquals(null, ClusterNodes.unsettled(v, NODES, new HashSet<>(ids)), nodes::tails);
    Set<String> selves = new HashSet<>();
    for (View view : v.values()) {
      selves.add(view.self());
      long local = view.members().stream().filter(m -> m.getBoolean("local", false)).count();
      assertEquals(1, local, () -> "node-" + view.node() + " marks exactly one member local: " + view.members());
      assertTrue(view.members().stream().allMatch(m -> m.getBoolean("poller", false)),
          () -> "role all: every member is a poller: " + view.members());
    }
    assertEquals(NODES, selves.size(), "each node is a different member");
    assertEquals(settled.get(0).owners(), v.get(0).owners(), "no device moved while nothing changed");
  }

  @Test
  @Order(2)
  void sharesAreEven() {
    Map<String, Integer> per = ClusterNodes.perMember(settled.get(0).owners());
    double mean = (double) DEVICES / NODES;
    int max = per.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = per.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    System.out.printf("[cluster-bench] balance: %d devices on %d nodes: %s; largest %d = %.3f x mean, smallest %d%n",
        DEVICES, NODES, per.values(), max, max / mean, min);
    assertEquals(NODES, per.size(), "every node owns devices: " + per);
    assertTrue(max <= Math.ceil(ClusterOwnership.LOAD_FACTOR * mean),
        "largest share " + max + " > " + ClusterOwnership.LOAD_FACTOR + " x mean " + mean + ": " + per);
  }

  @Test
  @Order(3)
  void everyDeviceIsPolledByExactlyOneNode() {
    // Let every device finish its start-up discovery first.
    double startedBy = ids.stream().mapToDouble(watcher::first).max().orElse(Double.NaN);
    assertTrue(!Double.isNaN(startedBy), "every device was polled at least once");
    double from = Math.max(MonotonicClock.nowEpochMillis(), startedBy + 2 * INTERVAL_MS);
    // Observation window: the agents' requests in it are the result.
    ClusterNodes.sleep((long) (from + WINDOW_MS - MonotonicClock.nowEpochMillis()) + 2 * RequestWatcher.PERIOD_MS);
    double to = from + WINDOW_MS;
    Map<Long, Integer> histogram = new TreeMap<>();
    List<String> tooMany = new ArrayList<>();
    List<String> tooFew = new ArrayList<>();
    long max = 0;
    long min = Long.MAX_VALUE;
    for (String id : ids) {
      long n = watcher.count(id, from, to);
      histogram.merge(n, 1, Integer::sum);
      max = Math.max(max, n);
      min = Math.min(min, n);
      if (n > MAX_REQUESTS_IN_WINDOW) tooMany.add(id + "=" + n);
      if (n < (long) (WINDOW_MS / INTERVAL_MS) - 1) tooFew.add(id + "=" + n);
    }
    System.out.printf("[cluster-bench] balance: requests per device at the agent in %.0f s at %d ms: min %d, max %d"
        + " (one poller: 10-11); histogram {requests=devices} %s%n", WINDOW_MS / 1000, INTERVAL_MS, min, max, histogram);
    assertTrue(tooMany.isEmpty(), () -> "devices with more requests than one poller makes: " + tooMany + nodes.tails());
    assertTrue(tooFew.isEmpty(), () -> "devices polled less than every 2 s: " + tooFew + nodes.tails());
    Map<Integer, View> after = nodes.views(List.of(0, 1, 2));
    assertEquals(settled.get(0).owners(), after.get(0).owners(), "owners unchanged over the window");
  }
}
