package io.ifpulse.cluster;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.BridgeClient;
import io.ifpulse.cluster.ClusterNodes.Response;
import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.cluster.ClusterNodes.View;
import io.ifpulse.sim.SimDevice;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.RateTolerance;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One cluster-wide device list and one view: a device added through any node's REST API is
 * polled by its owner and listed with samples by every node; a browser on any node receives the
 * samples of a device another node polls; deleted devices stop being polled; and what was changed
 * at run time survives a restart of the whole cluster, from each node's registry file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRegistryAndViewTest {
  static final int CONFIGURED = 30;
  static final long INTERVAL_MS = 2000;
  static final long PROPAGATION_MS = 2000;
  static final long SLACK_MS = 300;
  static final int A = 0;
  static final int B = 1;
  static final int C = 2;
  static final List<Integer> ALL_NODES = List.of(A, B, C);

  private final List<String> configured = ClusterNodes.ids("r", CONFIGURED);
  /** Agents that exist in the simulator but not in the config file. */
  private final List<String> extra = List.of("new-1", "new-2", "new-3");
  /** A configured device the test deletes at run time. */
  private final String deletedConfigured = configured.get(CONFIGURED - 1);
  private final Set<String> expected = new HashSet<>(configured);
  private Simulator sim;
  private RequestWatcher watcher;
  private ClusterNodes nodes;

  @BeforeAll
  void start() throws Exception {
    try {
      List<String> agents = new ArrayList<>(configured);
      agents.addAll(extra);
      sim = ClusterNodes.simulator(agents);
      watcher = new RequestWatcher(sim);
      nodes = new ClusterNodes("registry", ClusterNodes.config(ClusterNodes.ports(sim, configured)));
      for (int i : ALL_NODES) nodes.startAndWait(i, Role.ALL, Duration.ofSeconds(90));
      nodes.awaitSettled(ALL_NODES, 3, expected, Duration.ofSeconds(60));
    } catch (Throwable t) {
      stop();
      throw t;
    }
  }

  @AfterAll
  void stop() {
    ClusterNodes.closeAll(nodes, watcher, sim);
  }

  private JsonObject entry(String id) {
    return ClusterNodes.device(id, sim.port(id));
  }

  /** Waits (bounded) for the condition; returns how long it took in ms, or -1 at the timeout. */
  private static double await(BooleanSupplier ok, Duration timeout) {
    double t0 = MonotonicClock.nowEpochMillis();
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
        try {
          return ok.getAsBoolean();
        } catch (RuntimeException | AssertionError notYet) {
          return false; // ask again
        }
      });
      return MonotonicClock.nowEpochMillis() - t0;
    } catch (ConditionTimeoutException e) {
      return -1;
    }
  }

  private JsonObject registryFileEntries(int node) throws Exception {
    Path f = nodes.node(node).registryFile;
    if (!Files.exists(f)) return new JsonObject();
    return new JsonObject(Files.readString(f)).getJsonObject("devices", new JsonObject());
  }

  @Test
  @Order(1)
  void aDeviceAddedOnOneNodeIsPolledByItsOwnerAndListedEverywhere() throws Exception {
    String id = "new-1";
    double before = MonotonicClock.nowEpochMillis();
    Response r = nodes.post(A, "/api/devices", entry(id));
    double posted = MonotonicClock.nowEpochMillis();
    assertEquals(201, r.status(), () -> "POST /api/devices: " + r.body() + nodes.tails());
    expected.add(id);

    await(() -> watcher.count(id, before, Double.MAX_VALUE) > 0, Duration.ofSeconds(15));
    double firstRequest = watcher.firstAfter(id, before);
    double polledAfter = Double.isNaN(firstRequest) ? -1 : firstRequest - posted;
    Map<Integer, View> v = nodes.awaitSettled(ALL_NODES, 3, expected, Duration.ofSeconds(15));
    String owner = v.get(A).owners().get(id);
    int ownerNode = -1;
    for (View view : v.values()) if (view.self().equals(owner)) ownerNode = view.node();
    double listedAfter = await(() -> nodes.devices(C).get(id).getValue("lastTs") != null, Duration.ofSeconds(20));
    double filesAfter = await(() -> {
      for (int n : ALL_NODES) {
        try {
          if (!registryFileEntries(n).containsKey(id)) return false;
        } catch (Exception e) {
          return false;
        }
      }
      return true;
    }, Duration.ofSeconds(10));
    System.out.printf("[cluster-bench] registry: POST took %.0f ms; first request at the agent %.0f ms after the POST returned;"
        + " owner node-%d; listed with lastTs on another node after %.0f ms more; in every node's registry file after %.0f ms more%n",
        posted - before, polledAfter, ownerNode, listedAfter, filesAfter);

    assertTrue(!Double.isNaN(firstRequest), () -> id + " never polled" + nodes.tails());
    assertTrue(polledAfter <= PROPAGATION_MS + SLACK_MS,
        () -> id + " first polled " + polledAfter + " ms after the POST" + nodes.tails());
    assertTrue(ownerNode >= 0, "the owner is one of the nodes: " + owner);
    assertTrue(v.get(ownerNode).polling().contains(id), "its owner polls it");
    assertTrue(listedAfter >= 0, () -> "node C never listed " + id + " with lastTs: " + nodes.devices(C).get(id) + nodes.tails());
    JsonObject onC = nodes.devices(C).get(id);
    assertEquals(Boolean.TRUE, onC.getBoolean("reachable"), "reachable on C: " + onC);
    assertNotNull(onC.getValue("seq"), "seq on C: " + onC);
    assertTrue(filesAfter >= 0, () -> "not in every node's registry file" + nodes.tails());
  }

  @Test
  @Order(2)
  void badEntriesAreRefusedNamingFieldAndValue() {
    Response badPort = nodes.post(B, "/api/devices", entry("new-3").put("port", 99999));
    System.out.println("[cluster] bad port: HTTP " + badPort.status() + " " + badPort.body());
    assertEquals(400, badPort.status(), badPort.body());
    String error = badPort.json().getString("error");
    assertNotNull(error, badPort.body());
    assertTrue(error.contains("port") && error.contains("99999"), "names field and value: " + error);

    Response badId = nodes.post(B, "/api/devices", entry("new-3").put("id", "no spaces please"));
    System.out.println("[cluster] bad id: HTTP " + badId.status() + " " + badId.body());
    assertEquals(400, badId.status(), badId.body());
    assertTrue(badId.json().getString("error", "").contains("id"), badId.body());

    Response unknownKey = nodes.post(B, "/api/devices", entry("new-3").put("intervalMS", 1000));
    System.out.println("[cluster] unknown key: HTTP " + unknownKey.status() + " " + unknownKey.body());
    assertEquals(400, unknownKey.status(), unknownKey.body());

    // Observation window: nothing refused may reach a poller within the time an entry takes.
    ClusterNodes.sleep(PROPAGATION_MS + SLACK_MS);
    assertEquals(0, watcher.total("new-3"), "nothing refused is polled");
    assertFalse(nodes.devices(C).containsKey("new-3"), "nothing refused is listed");
  }

  @Test
  @Order(3)
  void aPureSubscriberNodeReceivesTheSamplesOfEveryPoller() throws Exception {
    Map<Integer, View> v = nodes.awaitSettled(ALL_NODES, 3, expected, Duration.ofSeconds(15));
    String fromA = v.get(A).owned(v.get(A).self()).stream().filter(configured::contains).sorted().findFirst().orElseThrow();
    String fromB = v.get(B).owned(v.get(B).self()).stream().filter(configured::contains).sorted().findFirst().orElseThrow();
    int subscriber = 9;
    // A node that neither polls nor serves HTTP: only the clustered bus, here with the tail verticle.
    ClusterNodes.Node n = nodes.start(subscriber, Role.SUBSCRIBER, Map.of(), List.of("--print"));
    try {
      nodes.waitReady(subscriber, Duration.ofSeconds(60));
      boolean[] seen = {false, false};
      try {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
          for (String line : Files.readAllLines(n.log)) {
            if (!line.startsWith("{")) continue;
            JsonObject j = new JsonObject(line);
            if (!"traffic".equals(j.getString("type"))) continue;
            seen[0] |= fromA.equals(j.getString("device"));
            seen[1] |= fromB.equals(j.getString("device"));
          }
          return seen[0] && seen[1];
        });
      } catch (ConditionTimeoutException e) {
        // reported below
      }
      boolean seenA = seen[0];
      boolean seenB = seen[1];
      assertTrue(seenA && seenB, "the subscriber printed samples of " + fromA + " (polled by A): " + seenA + ", of " + fromB
          + " (polled by B): " + seenB + nodes.tails());
      JsonObject now = nodes.cluster(A);
      assertEquals(4, now.getJsonArray("members").size(), "the subscriber is a member: " + now);
      assertEquals(new JsonObject(new java.util.HashMap<>(v.get(A).owners())), now.getJsonObject("owners"),
          "a subscriber takes no devices");
    } finally {
      nodes.stopGracefully(subscriber);
    }
  }

  @Test
  @Order(3)
  void aBrowserOnOneNodeReceivesTheSamplesOfADevicePolledByAnother() throws Exception {
    Map<Integer, View> v = nodes.awaitSettled(ALL_NODES, 3, expected, Duration.ofSeconds(15));
    String aId = v.get(A).self();
    String id = v.get(A).owned(aId).stream().filter(configured::contains).sorted().findFirst().orElse(null);
    assertNotNull(id, "A owns a configured device: " + ClusterNodes.perMember(v.get(A).owners()));
    assertFalse(v.get(C).polling().contains(id), "C does not poll it");
    String address = "ifpulse.traffic." + id;
    try (BridgeClient client = BridgeClient.connect(nodes.node(C).httpPort)) {
      double connected = MonotonicClock.nowEpochMillis();
      client.register(address);
      boolean got = client.until(() -> client.received(address).size() >= 3, Duration.ofSeconds(20));
      List<JsonObject> recs = client.received(address);
      System.out.printf("[cluster-bench] bridge on node C, device polled by node A: %d samples within %.0f ms of registering%n",
          recs.size(), MonotonicClock.nowEpochMillis() - connected);
      assertTrue(got, () -> "samples through C's bridge: " + client.frames + nodes.tails());
      SimDevice dev = sim.device(id);
      JsonObject prev = null;
      int judged = 0;
      for (JsonObject rec : recs) {
        JsonObject s = rec.getJsonObject("body");
        assertEquals(id, s.getString("device"), rec.encode());
        long seq = s.getLong("seq");
        long ts = s.getLong("ts");
        assertTrue(prev == null || (seq > prev.getLong("seq") && ts > prev.getLong("ts")), "seq and ts increase: " + recs);
        assertEquals(2, s.getJsonArray("interfaces").size(), rec.encode());
        // A rate is judged when the sample that opened its interval arrived too: its poll duration
        // is part of how far the rate may be off (RateTolerance).
        if (prev != null && prev.getLong("seq") == seq - 1) {
          for (Object o : s.getJsonArray("interfaces")) {
            JsonObject i = (JsonObject) o;
            if (!"ok".equals(i.getString("state"))) continue;
            int ifIndex = i.getInteger("ifIndex");
            double interval = i.getDouble("intervalMs");
            double exp = dev.expectedBps(ifIndex, true, ts - interval, ts);
            double err = Math.abs(i.getDouble("inBps") - exp) / exp;
            double allowed = RateTolerance.allowed(0.005, prev, s, interval);
            assertTrue(err <= allowed, String.format("inBps %s vs ground truth %s: off by %.3f %%, allowed %.3f %% (previous"
                + " poll %s ms, this one %s ms): %s", i.getDouble("inBps"), exp, err * 100, allowed * 100,
                prev.getDouble("pollMs"), s.getDouble("pollMs"), rec.encode()));
            judged++;
          }
        }
        prev = s;
      }
      assertTrue(judged > 0, "some measured rates among " + recs);
    }
  }

  @Test
  @Order(4)
  void aChangedDeviceIsPolledAtItsNewInterval() {
    String id = "new-1";
    JsonObject changed = entry(id).put("intervalMs", 1000).put("liveIntervalMs", 1000);
    double at = MonotonicClock.nowEpochMillis();
    Response r = nodes.put(C, "/api/devices/" + id, changed);
    System.out.println("[cluster] PUT: HTTP " + r.status() + " " + r.body());
    assertEquals(200, r.status(), () -> r.body() + nodes.tails());
    // The change takes effect, then a 6 s observation window whose requests are counted.
    ClusterNodes.sleep(PROPAGATION_MS + INTERVAL_MS + SLACK_MS);
    double from = MonotonicClock.nowEpochMillis();
    ClusterNodes.sleep(6000 + 2 * RequestWatcher.PERIOD_MS);
    long n = watcher.count(id, from, from + 6000);
    System.out.printf("[cluster-bench] PUT intervalMs 2000 -> 1000: %d requests in 6 s, from %.0f ms after the PUT; C lists it as %s%n",
        n, from - at, nodes.devices(C).get(id));
    assertTrue(n >= 5 && n <= 8, () -> n + " requests in 6 s at a 1 s interval" + nodes.tails());
  }

  @Test
  @Order(5)
  void deletedDevicesStopBeingPolled() {
    String id = "new-2";
    Response r = nodes.post(B, "/api/devices", entry(id));
    assertEquals(201, r.status(), () -> r.body() + nodes.tails());
    expected.add(id);
    assertTrue(await(() -> watcher.total(id) > 0, Duration.ofSeconds(10)) >= 0, () -> id + " polled" + nodes.tails());
    nodes.awaitSettled(ALL_NODES, 3, expected, Duration.ofSeconds(15));

    for (String gone : List.of(id, deletedConfigured)) {
      double at = MonotonicClock.nowEpochMillis();
      Response d = nodes.delete(A, "/api/devices/" + gone);
      assertEquals(204, d.status(), () -> "DELETE " + gone + ": " + d.body() + nodes.tails());
      expected.remove(gone);
      double unlisted = await(() -> !nodes.devices(C).containsKey(gone), Duration.ofSeconds(10));
      nodes.awaitSettled(ALL_NODES, 3, expected, Duration.ofSeconds(15));
      // Observation window: no request for the deleted device in the 6 s after it took effect.
      ClusterNodes.sleep(Math.max(0, (long) (at + PROPAGATION_MS + SLACK_MS + 6000 - MonotonicClock.nowEpochMillis())));
      long after = watcher.count(gone, at + PROPAGATION_MS + SLACK_MS, at + PROPAGATION_MS + SLACK_MS + 6000);
      double last = watcher.lastBefore(gone, Double.MAX_VALUE);
      System.out.printf("[cluster-bench] DELETE %s: last request %.0f ms after the DELETE; gone from node C's list after %.0f ms%n",
          gone, last - at, unlisted);
      assertEquals(0, after, () -> gone + " still polled more than 2 s after DELETE" + nodes.tails());
      assertTrue(unlisted >= 0, () -> gone + " still listed on C" + nodes.tails());
    }
    Response again = nodes.delete(A, "/api/devices/no-such-device");
    System.out.println("[cluster] DELETE of an unknown id: HTTP " + again.status() + " " + again.body());
  }

  @Test
  @Order(6)
  void runTimeChangesSurviveARestartOfTheWholeCluster() throws Exception {
    for (int n : ALL_NODES) {
      JsonObject entries = registryFileEntries(n);
      assertTrue(entries.containsKey("new-1"), "node-" + n + " registry file has new-1: " + entries);
    }
    for (int n : List.of(C, B, A)) nodes.stopGracefully(n);
    for (int n : ALL_NODES) System.out.println("[cluster] node-" + n + " registry file: " + registryFileEntries(n).encode());
    double restartAt = MonotonicClock.nowEpochMillis();
    for (int n : ALL_NODES) nodes.startAndWait(n, Role.ALL, Duration.ofSeconds(90));
    Map<Integer, View> v = nodes.awaitSettled(ALL_NODES, 3, expected, Duration.ofSeconds(60));
    assertTrue(v.get(A).owners().containsKey("new-1"), "new-1 is back");
    assertFalse(v.get(A).owners().containsKey("new-2"), "new-2 stays deleted");
    assertFalse(v.get(A).owners().containsKey(deletedConfigured), deletedConfigured + " stays deleted, although in the config file");
    double listed = await(() -> nodes.devices(C).get("new-1").getValue("lastTs") != null, Duration.ofSeconds(20));
    assertTrue(listed >= 0, () -> "new-1 listed with samples on C after the restart" + nodes.tails());
    assertTrue(watcher.count("new-1", restartAt, Double.MAX_VALUE) > 0, "new-1 polled after the restart");
    ClusterNodes.sleep(INTERVAL_MS + SLACK_MS); // observation window: a poll of either would have come
    assertEquals(0, watcher.count("new-2", restartAt, Double.MAX_VALUE), "new-2 not polled after the restart");
    assertEquals(0, watcher.count(deletedConfigured, restartAt, Double.MAX_VALUE), deletedConfigured + " not polled after the restart");
    JsonObject onC = nodes.devices(C).get("new-1");
    System.out.println("[cluster] after the restart, C lists new-1 as " + onC);
    assertEquals(1000L, onC.getLong("baseIntervalMs", 1000L), "the changed interval survived: " + onC);
  }
}
