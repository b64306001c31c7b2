package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.cluster.ClusterNodes.View;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.Snmpd;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Credentials stay on the nodes whose operators put them there. Node 0's config file has the v3
 * credential {@code edge-v3} (a real snmpd's user); node 1's does not. A device naming it is
 * polled by node 0 only — also after node 1 is killed and restarted — and, while node 0 is down,
 * nobody polls it and it is reported as {@code no-credentials}; node 0 back, it is polled again.
 */
class ClusterCredentialsTest {
  private static final String EDGE = "edge";

  @Test
  void aDeviceIsPolledOnlyByANodeThatHasItsCredential() throws Exception {
    List<String> ids = ClusterNodes.ids("c", 8);
    try (Snmpd snmpd = Snmpd.start();
        Simulator sim = ClusterNodes.simulator(ids);
        ClusterNodes nodes = new ClusterNodes("credentials", ClusterNodes.config(ClusterNodes.ports(sim, ids)))) {
      // Node 0's file: the same, plus edge-v3.
      JsonObject withEdge = new JsonObject(Files.readString(nodes.config));
      withEdge.getJsonObject("credentials").put("edge-v3", new JsonObject().put("version", "v3").put("v3", new JsonObject()
          .put("user", Snmpd.SHA256_AES_USER).put("authProtocol", "SHA-256").put("authPassphrase", Snmpd.SHA256_AES_AUTH_PASSPHRASE)
          .put("privProtocol", "AES-128").put("privPassphrase", Snmpd.SHA256_AES_PRIV_PASSPHRASE)));
      Path edgeConfig = nodes.dir.resolve("with-edge.json");
      Files.writeString(edgeConfig, withEdge.encodePrettily());
      List<String> edgeArgs = List.of("--config", edgeConfig.toString());
      nodes.start(0, Role.ALL, Map.of(), edgeArgs);
      nodes.waitReady(0, Duration.ofSeconds(90));
      nodes.startAndWait(1, Role.ALL, Duration.ofSeconds(90));
      Set<String> all = new HashSet<>(ids);
      nodes.awaitSettled(List.of(0, 1), 2, all, Duration.ofSeconds(60));

      // Added through the node that lacks the credential: it knows node 0 announced it.
      JsonObject edge = new JsonObject().put("id", EDGE).put("host", "127.0.0.1").put("port", snmpd.port()).put("credentials", "edge-v3")
          .put("intervalMs", 2000).put("liveIntervalMs", 1000);
      assertEquals(201, nodes.post(1, "/api/devices", edge).status(), "a credential another node has is accepted");
      assertEquals(400, nodes.post(1, "/api/devices", edge.copy().put("id", "nowhere").put("credentials", "no-node-has-it")).status());
      all.add(EDGE);
      String owner0 = polledBy(nodes, all, 0);
      awaitSamples(nodes, 1);

      // Node 1 killed and back: the device stays where its credential is.
      nodes.kill9(1);
      nodes.awaitSettled(List.of(0), 1, all, Duration.ofSeconds(30));
      nodes.startAndWait(1, Role.ALL, Duration.ofSeconds(90));
      assertEquals(owner0, polledBy(nodes, all, 0), "still node 0");
      awaitSamples(nodes, 1);

      // Node 0 killed: nobody has edge-v3; node 1 says so and polls everything else.
      nodes.kill9(0);
      Set<String> rest = new HashSet<>(all);
      rest.remove(EDGE);
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        View v = View.of(1, nodes.cluster(1));
        assertFalse(v.owners().containsKey(EDGE), "no owner without the credential: " + v.owners());
        assertTrue(v.polling().containsAll(rest) && !v.polling().contains(EDGE), "node 1 polls the rest: " + v.polling());
        assertEquals("no-credentials", nodes.devices(1).get(EDGE).getString("state"), nodes.devices(1).get(EDGE).encode());
      });

      // Node 0 back: polled again, by node 0.
      nodes.start(0, Role.ALL, Map.of(), edgeArgs);
      nodes.waitReady(0, Duration.ofSeconds(90));
      polledBy(nodes, all, 0);
      awaitSamples(nodes, 1);
    }
  }

  /** Waits until the two nodes agree and node {@code expected} polls the edge device; its member id. */
  private static String polledBy(ClusterNodes nodes, Set<String> all, int expected) {
    Map<Integer, View> views = nodes.awaitSettled(List.of(0, 1), 2, all, Duration.ofSeconds(60));
    View v = views.get(expected);
    assertTrue(v.polling().contains(EDGE), "node " + expected + " polls " + EDGE + ": " + v.polling());
    assertEquals(v.self(), v.owners().get(EDGE));
    assertFalse(views.get(1 - expected).polling().contains(EDGE), "the other node does not");
    return v.self();
  }

  /** Samples of the edge device reach node {@code n}'s history (new ones, not the last before). */
  private static void awaitSamples(ClusterNodes nodes, int n) {
    Long before = nodes.devices(n).get(EDGE).getLong("seq");
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      Long seq = nodes.devices(n).get(EDGE).getLong("seq");
      return seq != null && (before == null || seq > before);
    });
  }
}
