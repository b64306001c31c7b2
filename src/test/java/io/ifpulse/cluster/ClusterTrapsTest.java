package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.cluster.ClusterNodes.View;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.BridgeClient;
import io.ifpulse.testing.FreePorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Any node can be the devices' trap target: three real node processes, each with a receiver on a
 * port of its own; net-snmp's snmptrap sends a linkDown to a node that does not poll the device,
 * and the node that does acts on it (its log says so, the receiver's does not), and the link-down
 * status reaches a browser of the receiving node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTrapsTest {
  private final List<String> ids = ClusterNodes.ids("tr", 6);
  private final int[] trapPorts = new int[3];
  private Simulator sim;
  private ClusterNodes nodes;

  @BeforeAll
  void start() throws Exception {
    try {
      sim = ClusterNodes.simulator(ids);
      JsonObject config = ClusterNodes.config(ClusterNodes.ports(sim, ids)).put("traps", new JsonObject().put("enabled", true));
      // The simulated agents share 127.0.0.1: each device names the loopback address it sends from.
      JsonArray devices = config.getJsonArray("devices");
      for (int i = 0; i < devices.size(); i++) devices.getJsonObject(i).put("trapSource", "127.0.0." + (30 + i));
      nodes = new ClusterNodes("traps", config);
      for (int i = 0; i < 3; i++) {
        // One after the other, as the other cluster tests do: three joins at once contend for mastership.
        trapPorts[i] = FreePorts.udp();
        nodes.start(i, Role.ALL, Map.of("IFPULSE__traps__port", String.valueOf(trapPorts[i])));
        nodes.waitReady(i, Duration.ofSeconds(120));
      }
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
  void aTrapSentToANodeThatDoesNotOwnTheDeviceReachesTheOwner() throws Exception {
    Map<Integer, View> v = nodes.awaitSettled(List.of(0, 1, 2), 3, new HashSet<>(ids), Duration.ofSeconds(60));
    int receiver = 0;
    int owner = v.get(1).polling().isEmpty() ? 2 : 1;
    String device = v.get(owner).polling().iterator().next();
    assertFalse(v.get(receiver).polling().contains(device));
    int ifIndex = sim.device(device).ifIndex(1);
    String source = "127.0.0." + (30 + ids.indexOf(device));
    try (BridgeClient client = BridgeClient.connect(nodes.node(receiver).httpPort)) {
      client.register("ifpulse.status." + device);
      client.register("ifpulse.traps." + device);
      Process p = new ProcessBuilder("snmptrap", "-v", "2c", "-c", "public", "--clientaddr=" + source,
          "127.0.0.1:" + trapPorts[receiver], "", "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1." + ifIndex, "i", String.valueOf(ifIndex))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), "snmptrap");
      assertTrue(client.until(() -> client.received("ifpulse.status." + device).stream()
          .anyMatch(f -> "link-down".equals(f.getJsonObject("body").getString("event"))), Duration.ofSeconds(20)),
          "link-down of " + device + " on the receiving node's bridge: " + client.received("ifpulse.status." + device) + "\n"
              + nodes.tails(20));
      JsonObject down = client.received("ifpulse.status." + device).stream().map(f -> f.getJsonObject("body"))
          .filter(b -> "link-down".equals(b.getString("event"))).findFirst().orElseThrow();
      assertEquals(ifIndex, down.getInteger("ifIndex"));
    }
    String said = "(ifIndex " + ifIndex + ") down, says a notification";
    assertTrue(Files.readString(nodes.node(owner).log).contains(said), "the owner acted on it");
    assertFalse(Files.readString(nodes.node(receiver).log).contains(said), "the receiver did not");
  }
}
