package io.ifpulse.cluster;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.config.ConfigException;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.SharedJsonCodec;
import io.ifpulse.sim.Simulator;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * The clustered event bus admits only holders of a certificate of the cluster's CA. Two real
 * nodes with TLS; in this JVM, members that join the same Hazelcast cluster (which lets anything
 * in) and subscribe to every device's samples and to the alerts, and publish forgeries: one
 * without any certificate, one with a certificate of another CA (that trusts the cluster's CA,
 * which is no secret). Neither receives anything while the nodes hear each other's samples, and
 * nothing either publishes shows in the nodes' REST view. The same harness with a certificate of
 * the cluster's CA receives samples and is believed (so the checks above can see a forgery), and
 * a third node with one joins and receives every device's samples.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBusTlsTest {
  static final int DEVICES = 4;
  /** No poller gets near it: a node's seq counts from 1 since it took the device. */
  static final long FORGED_SEQ = 999_999;
  /** A field of every forgery, so that a member can tell its own from what it hears. */
  static final String FORGED = "forgedHere";
  /** Samples each device must advance by on both nodes while an outsider listens. */
  static final int WINDOW_SAMPLES = 3;

  private final List<String> ids = ClusterNodes.ids("tls", DEVICES);
  private final Set<String> all = new HashSet<>(ids);
  private Simulator sim;
  private ClusterNodes nodes;
  /** ifIndex 1's name per device, so that a forged sample would land in the real series. */
  private final Map<String, String> names = new HashMap<>();

  @BeforeAll
  void start() throws Exception {
    try {
      sim = ClusterNodes.simulator(ids);
      nodes = new ClusterNodes("bus-tls", ClusterNodes.config(ClusterNodes.ports(sim, ids)));
      nodes.startAndWait(0, Role.ALL, Duration.ofSeconds(90));
      nodes.startAndWait(1, Role.ALL, Duration.ofSeconds(90));
      nodes.awaitSettled(List.of(0, 1), 2, all, Duration.ofSeconds(60));
      awaitAdvance(List.of(0, 1), 1, Duration.ofSeconds(30));
      for (String id : ids) names.put(id, nodes.history(0, id, 1, 60).getString("name"));
    } catch (Throwable t) {
      stop();
      throw t;
    }
  }

  @AfterAll
  void stop() {
    ClusterNodes.closeAll(nodes, sim);
  }

  @Test
  @Order(0)
  void theStartIsRefusedWithoutTheMaterialBeyondLoopbackAndWithPartOrBadMaterial() throws Exception {
    Map<String, String> good = nodes.busEnv("env-check");
    Map<String, String> other = ClusterNodes.certificates(nodes.dir.resolve("other-ca"), "env-check");
    Path garbage = Files.writeString(nodes.dir.resolve("garbage.pem"), "not a certificate\n");
    Path expiredDir = nodes.dir.resolve("expired");
    Map<String, String> loopback = Map.of("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1");
    Map<String, String> lan = Map.of("IFPULSE_CLUSTER_INTERFACE", "10.1.2.3");

    record Case(String name, Map<String, String> env, String variable, String says) {}
    List<Case> cases = List.of(
        new Case("nothing on loopback: a plain bus", loopback, null, null),
        new Case("nothing, defaults (loopback)", Map.of(), null, null),
        new Case("all three on loopback", with(loopback, good), null, null),
        new Case("all three beyond loopback", with(lan, good), null, null),
        new Case("empty counts as unset", with(loopback, Map.of("IFPULSE_BUS_CERT", "", "IFPULSE_BUS_KEY", "", "IFPULSE_BUS_CA", "")),
            null, null),
        new Case("nothing beyond loopback", lan, "IFPULSE_CLUSTER_INTERFACE", "scripts/cluster-certs.sh"),
        new Case("nothing, bus host beyond loopback", Map.of("IFPULSE_BUS_HOST", "0.0.0.0"), "IFPULSE_BUS_HOST", "needs TLS"),
        new Case("nothing, bus host a name", Map.of("IFPULSE_BUS_HOST", "node1.example"), "IFPULSE_BUS_HOST", "needs TLS"),
        new Case("no key", with(loopback, without(good, "IFPULSE_BUS_KEY")), "IFPULSE_BUS_KEY", "set together"),
        new Case("only the CA", with(lan, Map.of("IFPULSE_BUS_CA", good.get("IFPULSE_BUS_CA"))), "IFPULSE_BUS_CERT", "set together"),
        new Case("a missing file", with(loopback, replace(good, "IFPULSE_BUS_CERT", nodes.dir.resolve("nope.pem").toString())),
            "IFPULSE_BUS_CERT", "cannot be read"),
        new Case("no certificate in the CA file", with(loopback, replace(good, "IFPULSE_BUS_CA", garbage.toString())),
            "IFPULSE_BUS_CA", "no PEM certificate"),
        new Case("the key where the certificate goes", with(loopback, replace(good, "IFPULSE_BUS_CERT", good.get("IFPULSE_BUS_KEY"))),
            "IFPULSE_BUS_CERT", "no PEM certificate"),
        new Case("a certificate of another CA", with(loopback, replace(good, "IFPULSE_BUS_CERT", other.get("IFPULSE_BUS_CERT"))),
            "IFPULSE_BUS_CERT", "not signed by the CA"),
        new Case("another certificate's key", with(loopback, replace(good, "IFPULSE_BUS_KEY", other.get("IFPULSE_BUS_KEY"))),
            "IFPULSE_BUS_KEY", "not the key"),
        new Case("a certificate where the key goes", with(loopback, replace(good, "IFPULSE_BUS_KEY", good.get("IFPULSE_BUS_CERT"))),
            "IFPULSE_BUS_KEY", "no PEM private key"),
        new Case("a fixed bus port", with(loopback, Map.of("IFPULSE_BUS_PORT", "5801")), null, null),
        new Case("a bus port that is no number", with(loopback, Map.of("IFPULSE_BUS_PORT", "58o1")), "IFPULSE_BUS_PORT", "TCP port"),
        new Case("a bus port out of range", with(loopback, Map.of("IFPULSE_BUS_PORT", "70000")), "IFPULSE_BUS_PORT", "TCP port"),
        new Case("an expired certificate", with(loopback, expired(expiredDir)), "IFPULSE_BUS_CERT", "expired"));
    List<String> problems = new ArrayList<>();
    for (Case c : cases) {
      try {
        ClusterNode.BusTls tls = ClusterNode.checkEnv(c.env());
        if (c.variable() != null) problems.add(c.name() + ": accepted, expected a refusal naming " + c.variable());
        else if (c.env().getOrDefault("IFPULSE_BUS_CERT", "").isEmpty() != (tls == null)) problems.add(c.name() + ": TLS " + tls);
      } catch (ConfigException e) {
        String value = c.env().get(c.variable());
        if (c.variable() == null) problems.add(c.name() + ": refused: " + e.getMessage());
        else if (!e.field().equals(c.variable()) || !e.getMessage().contains(c.says())
            || (value != null && !e.getMessage().contains(value))) {
          problems.add(c.name() + ": expected " + c.variable() + " (its value) and '" + c.says() + "', got: " + e.getMessage());
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));

    // The script again for the same node: the CA and a still valid certificate are kept.
    Path cert = Path.of(good.get("IFPULSE_BUS_CERT"));
    String issued = Files.readString(cert);
    assertEquals(good, ClusterNodes.certificates(nodes.busDir, "env-check"));
    assertEquals(issued, Files.readString(cert), "a second run keeps the certificate");
    for (String key : List.of(good.get("IFPULSE_BUS_KEY"), nodes.busDir.resolve("ca-key.pem").toString())) {
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(Path.of(key)), key + " is its owner's only");
    }

    // The whole node, as an operator would start it on a LAN address without the material: it
    // stops before it binds anything, naming the variables and the script.
    nodes.start(7, Role.POLLER, Map.of("IFPULSE_CLUSTER_INTERFACE", "10.1.2.3", "IFPULSE_CLUSTER_KEY", "k".repeat(40),
        "IFPULSE_BUS_CERT", "", "IFPULSE_BUS_KEY", "", "IFPULSE_BUS_CA", ""));
    ClusterNodes.Node n = nodes.node(7);
    assertTrue(n.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the node exits");
    String log = n.logText();
    assertTrue(n.process.exitValue() == 2 && log.contains("ifpulse: cannot start: IFPULSE_CLUSTER_INTERFACE = \"10.1.2.3\"")
        && log.contains("IFPULSE_BUS_CERT") && log.contains("scripts/cluster-certs.sh") && !log.contains("Hazelcast Platform"),
        "exit " + n.process.exitValue() + ", log:\n" + log);
  }

  @Test
  @Order(1)
  void aMemberWithoutACertificateHearsNothingAndIsNotBelieved() throws Exception {
    outsider("no certificate", Map.of(), 1);
  }

  @Test
  @Order(2)
  void aMemberWithACertificateOfAnotherCaHearsNothingAndIsNotBelieved() throws Exception {
    Map<String, String> other = ClusterNodes.certificates(nodes.dir.resolve("other-ca"), "mallory");
    // It trusts the cluster's CA as well as its own: the CA certificate is on every node, no secret.
    Path both = nodes.dir.resolve("other-and-cluster-ca.pem");
    Files.writeString(both, Files.readString(Path.of(other.get("IFPULSE_BUS_CA")))
        + Files.readString(Path.of(nodes.busEnv("node-0").get("IFPULSE_BUS_CA"))));
    outsider("a certificate of another CA", replace(other, "IFPULSE_BUS_CA", both.toString()), 2);
  }

  @Test
  @Order(3)
  void theSameHarnessWithACertificateOfTheClustersCaHearsAndIsBelieved() throws Exception {
    ClusterNode.Joined member = joinFromHere(nodes.busEnv("harness"));
    try {
      Listener l = listen(member);
      // Every device's samples, whichever node polls it.
      awaitQuietly(Duration.ofSeconds(30), 100, () -> l.devicesHeard().containsAll(all));
      assertEquals(all, l.devicesHeard(), "samples heard by a member with the cluster's certificate" + nodes.tails());

      Forger f = forge(member, 3);
      try {
        Map<String, Set<Long>> seen = new TreeMap<>();
        awaitQuietly(Duration.ofSeconds(30), 100, () -> {
          watchSeq(List.of(0, 1), seen);
          return forgedSeqSeen(seen) && forgedAlertListed(0) && forgedAlertListed(1);
        });
        assertTrue(forgedSeqSeen(seen), "a forged seq shows in /api/devices of a node: " + seen);
        assertTrue(forgedAlertListed(0) && forgedAlertListed(1), "the forged alert is listed by both nodes");
        assertTrue(forgedPointIn(0, f.inBps) || forgedPointIn(1, f.inBps), "a forged point is in a node's history");
      } finally {
        f.stop();
      }
    } finally {
      member.vertx().close().await();
    }
  }

  @Test
  @Order(4)
  void aThirdNodeWithACertificateOfTheClustersCaJoinsAndHearsEveryDevice() {
    nodes.startAndWait(2, Role.WEB, Duration.ofSeconds(90));
    assertEquals(3, nodes.cluster(2).getJsonArray("members").size(), "the third node is a member");
    awaitAdvance(List.of(2), 2, Duration.ofSeconds(30));
  }

  // ------------------------------------------------------------------------------------------

  /**
   * Joins a member with {@code busEnv} (no variables: a plain bus), checks that Hazelcast let it
   * in, and that over a window in which both nodes hear {@link #WINDOW_SAMPLES} more samples of
   * every device it hears nothing, while nothing it forges meanwhile shows on either node.
   */
  private void outsider(String what, Map<String, String> busEnv, int phase) throws Exception {
    ClusterNode.Joined member = joinFromHere(busEnv);
    String busNodeId = memberId(member);
    try {
      assertEquals(3, member.hazelcast().getCluster().getMembers().size(), "Hazelcast lets the outsider in: the bus must keep it out");
      assertEquals(3, nodes.cluster(0).getJsonArray("members").size(), "node 0 lists the outsider as a member");
      Listener l = listen(member);
      Forger f = forge(member, phase);
      Map<String, Set<Long>> seen = new TreeMap<>();
      double took;
      try {
        long t0 = System.nanoTime();
        awaitAdvance(List.of(0, 1), WINDOW_SAMPLES, Duration.ofSeconds(40), () -> watchSeq(List.of(0, 1), seen));
        took = (System.nanoTime() - t0) / 1e9;
      } finally {
        f.stop();
      }
      System.out.printf("[cluster] outsider with %s: %d messages heard and %d rounds of forgeries sent (%d of them heard by its"
          + " own consumers) over %.1f s in which both nodes heard %d samples of each of the %d devices; bus refusals logged"
          + " by the nodes so far: %s%n", what, l.heard().size(), f.sent, l.ownForgeries().size(), took, WINDOW_SAMPLES, DEVICES,
          linesAbout(busNodeId));
      assertTrue(l.heard().isEmpty(), "the outsider with " + what + " heard " + l.heard());
      assertTrue(f.sent > 0 && !l.ownForgeries().isEmpty(), "forgeries were sent, and its consumers heard them");
      assertTrue(!forgedSeqSeen(seen), "no forged seq in /api/devices: " + seen);
      // One more sample of each device: a forgery still on its way would be in by then.
      awaitAdvance(List.of(0, 1), 1, Duration.ofSeconds(20));
      for (int node : List.of(0, 1)) {
        assertTrue(!forgedAlertListed(node), "node " + node + " lists no forged alert: " + nodes.getJson(node, "/api/alerts"));
        assertTrue(!forgedPointIn(node, f.inBps), "node " + node + " has no forged point in its history");
      }
    } finally {
      member.vertx().close().await();
    }
    // Each node did try to reach it, at every sample it had for it: the handshake failed (at once
    // for a certificate the CA did not sign; for a plain bus at the handshake's timeout or when it
    // left), and the log says so once a minute, not at every attempt.
    awaitQuietly(Duration.ofSeconds(20), 200, () -> linesAbout(busNodeId).values().stream().allMatch(n -> n >= 1));
    Map<String, Long> seen = linesAbout(busNodeId);
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "lines about the outsider in each node's log, one each: " + seen
        + nodes.tails(40));
  }

  /** A clustered Vert.x of this JVM in the nodes' Hazelcast cluster, built as a node builds its own. */
  private ClusterNode.Joined joinFromHere(Map<String, String> busEnv) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("IFPULSE_CLUSTER_NAME", nodes.clusterName);
    env.put("IFPULSE_CLUSTER_MEMBERS", "127.0.0.1");
    env.put("IFPULSE_CLUSTER_PORT", Integer.toString(nodes.hazelcastPort));
    env.put("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1");
    env.putAll(busEnv);
    return ClusterNode.join(Path.of("conf/cluster.xml"), env, false);
  }

  /** What a member hears on every device's traffic and status addresses and on the alerts. */
  record Listener(List<JsonObject> heard, List<JsonObject> ownForgeries) {
    Set<String> devicesHeard() {
      Set<String> s = new HashSet<>();
      synchronized (heard) {
        for (JsonObject m : heard) if (m.containsKey("seq")) s.add(m.getString("device"));
      }
      return s;
    }
  }

  private Listener listen(ClusterNode.Joined member) {
    List<JsonObject> heard = Collections.synchronizedList(new ArrayList<>());
    List<JsonObject> own = Collections.synchronizedList(new ArrayList<>());
    // Its own publications reach its own consumers too: they prove the consumers are live.
    // The events arrive as records (EventCodecs); forgeries as whatever the forger sent. Both as JSON here.
    io.vertx.core.Handler<io.vertx.core.eventbus.Message<Object>> h = m -> {
      JsonObject body = m.body() instanceof JsonObject j ? j : io.ifpulse.events.EventJson.toJson(m.body());
      (body.containsKey(FORGED) ? own : heard).add(body);
    };
    EventBus bus = member.vertx().eventBus();
    List<Future<Void>> registered = new ArrayList<>();
    for (String id : ids) {
      registered.add(bus.consumer(Addresses.traffic(id), h).completion());
      registered.add(bus.consumer(Addresses.status(id), h).completion());
    }
    registered.add(bus.consumer(Addresses.ALERTS, h).completion());
    Future.all(registered).await();
    return new Listener(heard, own);
  }

  /** Publishes a forged sample of every device and a forged alert every 100 ms until stopped. */
  static final class Forger {
    final double inBps;
    volatile int sent;
    Runnable stop;

    Forger(double inBps) {
      this.inBps = inBps;
    }

    void stop() {
      stop.run();
    }
  }

  private Forger forge(ClusterNode.Joined member, int phase) {
    // A rate no simulated interface has (they carry 100 Mbit/s in): each phase its own.
    Forger f = new Forger(7_777_000_000.0 + phase);
    EventBus bus = member.vertx().eventBus();
    DeliveryOptions shared = new DeliveryOptions().setCodecName(SharedJsonCodec.NAME);
    long timer = member.vertx().setPeriodic(0, 100, t -> {
      long now = System.currentTimeMillis();
      for (String id : ids) {
        JsonObject iface = new JsonObject().put("ifIndex", 1).put("name", names.get(id)).put("oper", "up").put("speedBps", 10_000_000_000L)
            .put("state", "ok").put("intervalMs", 1000.0).put("inBps", f.inBps).put("outBps", f.inBps);
        bus.publish(Addresses.traffic(id), new JsonObject().put("device", id).put("seq", FORGED_SEQ).put("ts", now).put("pollMs", 1.0)
            .put("intervalMs", 1000).put("reachable", true).put("interfaces", new JsonArray().add(iface)).put(FORGED, true), shared);
      }
      String device = ids.get(0);
      bus.publish(Addresses.ALERTS, new JsonObject().put("id", device + "/1/utilisation").put("device", device).put("ifIndex", 1)
          .put("name", names.get(device)).put("kind", "utilisation").put("state", "raised").put("severity", "critical")
          .put("value", f.inBps).put("threshold", 90.0).put("since", now).put("ts", now).put(FORGED, true), shared);
      f.sent++;
    });
    f.stop = () -> member.vertx().cancelTimer(timer);
    return f;
  }

  private void watchSeq(List<Integer> on, Map<String, Set<Long>> seen) {
    for (int node : on) {
      nodes.devices(node).forEach((id, d) -> {
        Long seq = d.getLong("seq");
        if (seq != null) seen.computeIfAbsent("node-" + node + " " + id, k -> new java.util.TreeSet<>()).add(seq);
      });
    }
  }

  private static boolean forgedSeqSeen(Map<String, Set<Long>> seen) {
    return seen.values().stream().anyMatch(s -> s.contains(FORGED_SEQ));
  }

  private boolean forgedAlertListed(int node) {
    JsonObject a = nodes.getJson(node, "/api/alerts");
    for (String list : List.of("active", "recent")) {
      for (Object o : a.getJsonArray(list, new JsonArray())) {
        if (o instanceof JsonObject j && j.getValue("value") instanceof Number v && v.doubleValue() > 7e9) return true;
      }
    }
    return false;
  }

  private boolean forgedPointIn(int node, double inBps) {
    for (String id : ids) {
      for (Object v : nodes.history(node, id, 1, 120).getJsonArray("inBps", new JsonArray())) {
        if (v instanceof Number n && Math.abs(n.doubleValue() - inBps) < 1e3) return true;
      }
    }
    return false;
  }

  /** Waits (bounded) for the condition; whether it held. The caller's assertion says what failed. */
  private static boolean awaitQuietly(Duration timeout, long everyMs, java.util.concurrent.Callable<Boolean> condition) {
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(everyMs)).until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** The nodes' own consumers at work: every device's seq on each of {@code on} moves by {@code samples}. */
  private void awaitAdvance(List<Integer> on, int samples, Duration timeout) {
    awaitAdvance(on, samples, timeout, () -> {});
  }

  private void awaitAdvance(List<Integer> on, int samples, Duration timeout, Runnable each) {
    Map<String, Long> from = new LinkedHashMap<>();
    for (int node : on) nodes.devices(node).forEach((id, d) -> from.put(node + " " + id, d.getLong("seq", 0L)));
    Map<String, Long> now = new java.util.concurrent.ConcurrentSkipListMap<>();
    boolean advanced = awaitQuietly(timeout, 150, () -> {
      each.run();
      now.clear();
      for (int node : on) nodes.devices(node).forEach((id, d) -> now.put(node + " " + id, d.getLong("seq", 0L)));
      boolean done = now.size() == on.size() * DEVICES;
      for (Map.Entry<String, Long> e : now.entrySet()) {
        long f = from.getOrDefault(e.getKey(), 0L);
        // A seq that went down is a new owner counting from 1: count what it has sent.
        long moved = e.getValue() >= f ? e.getValue() - f : e.getValue();
        if (e.getValue() == FORGED_SEQ || moved < samples) done = false;
      }
      return done;
    });
    if (advanced) return;
    throw new AssertionError("nodes " + on + ": seq from " + from + " to " + now + ", not " + samples + " more each within "
        + timeout + nodes.tails());
  }

  /** The member's id on the event bus, which Vert.x's own log lines use. */
  private static String memberId(ClusterNode.Joined member) {
    return member.hazelcast().getCluster().getLocalMember().getAttribute(ClusterNode.NODE_ID_ATTRIBUTE);
  }

  /** The lines of each node's log that name the member's event bus. */
  private Map<String, Long> linesAbout(String busNodeId) {
    Map<String, Long> out = new TreeMap<>();
    for (ClusterNodes.Node n : nodes.nodes()) {
      if (n.index > 1) continue;
      out.put("node-" + n.index, n.logText().lines().filter(l -> l.contains(busNodeId)).count());
    }
    return out;
  }

  /** Material whose certificate expired yesterday, signed by a CA of its own (made with openssl). */
  private static Map<String, String> expired(Path dir) throws Exception {
    Files.createDirectories(dir);
    run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca-key.pem",
        "-out", "ca.pem", "-subj", "/CN=expired-test-ca", "-days", "2");
    run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "n-key.pem", "-out", "n.csr",
        "-subj", "/CN=n");
    // x509 -req cannot backdate; ca -startdate/-enddate can.
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\n"
        + "policy=p\ndefault_md=sha256\n[p]\ncommonName=supplied\n");
    Files.writeString(dir.resolve("serial"), "01\n");
    run(dir, "openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca-key.pem", "-in", "n.csr", "-out", "n.pem",
        "-startdate", "20200101000000Z", "-enddate", "20200102000000Z");
    Files.setPosixFilePermissions(dir.resolve("n-key.pem"), Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    return Map.of("IFPULSE_BUS_CERT", dir.resolve("n.pem").toString(), "IFPULSE_BUS_KEY", dir.resolve("n-key.pem").toString(),
        "IFPULSE_BUS_CA", dir.resolve("ca.pem").toString());
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
  }

  @SafeVarargs
  private static Map<String, String> with(Map<String, String>... parts) {
    Map<String, String> m = new HashMap<>();
    for (Map<String, String> p : parts) m.putAll(p);
    return m;
  }

  private static Map<String, String> without(Map<String, String> m, String key) {
    Map<String, String> out = new HashMap<>(m);
    out.remove(key);
    return out;
  }

  private static Map<String, String> replace(Map<String, String> m, String key, String value) {
    Map<String, String> out = new HashMap<>(m);
    out.put(key, value);
    return out;
  }
}
