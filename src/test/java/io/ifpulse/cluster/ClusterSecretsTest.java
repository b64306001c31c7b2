package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.Snmpd;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Where secrets go in a running cluster: nowhere but the config file. Devices of v2c and v3 are
 * defined in the config file and added over the REST API, all polled; then everything a person or
 * a process on the network can read is searched for the community and the passphrases: both
 * nodes' registry files, every entry of every Hazelcast map (read by a plain member that joins),
 * every REST answer and /metrics, the status events and samples (node 0 runs with --print) and the
 * nodes' logs.
 */
class ClusterSecretsTest {
  private static final String COMMUNITY = "grep-c0mmunity-7Qx";
  private static final String USER = "grepuser";
  private static final String AUTH = "grep-auth-PASS-91z";
  private static final String PRIV = "grep-priv-PASS-37y";
  private static final List<String> SECRETS = List.of(COMMUNITY, AUTH, PRIV);

  @Test
  void noSecretLeavesTheConfigFile() throws Exception {
    SimDeviceSpec a = SimDeviceSpec.fromJson("sim-a", COMMUNITY, new JsonObject().put("model", "steady").put("interfaces", 2), "sim");
    SimDeviceSpec b = SimDeviceSpec.fromJson("sim-b", COMMUNITY, new JsonObject().put("model", "steady").put("interfaces", 2), "sim");
    try (Snmpd snmpd = Snmpd.start(List.of("createUser " + USER + " SHA-256 " + AUTH + " AES " + PRIV, "rouser " + USER + " priv"));
        Simulator sim = Simulator.start("127.0.0.1", 0, List.of(a, b));
        ClusterNodes nodes = new ClusterNodes("secrets", config(sim, snmpd))) {
      nodes.start(0, Role.ALL, Map.of(), List.of("--print"));
      nodes.waitReady(0, Duration.ofSeconds(90));
      nodes.startAndWait(1, Role.ALL, Duration.ofSeconds(90));
      assertEquals(201, nodes.post(0, "/api/devices", new JsonObject().put("id", "rest-v2c").put("host", "127.0.0.1")
          .put("port", sim.port("sim-b")).put("credentials", "grep-v2c")).status());
      assertEquals(201, nodes.post(1, "/api/devices", new JsonObject().put("id", "rest-v3").put("host", "127.0.0.1")
          .put("port", snmpd.port()).put("credentials", "grep-v3").put("intervalMs", 2000)).status());
      List<String> devices = List.of("file-v2c", "file-v3", "rest-v2c", "rest-v3");
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
        for (int n : List.of(0, 1)) {
          Map<String, JsonObject> d = nodes.devices(n);
          for (String id : devices) if (d.get(id) == null || d.get(id).getValue("seq") == null) return false;
        }
        return true;
      });

      Map<String, String> places = new LinkedHashMap<>();
      for (int n : List.of(0, 1)) {
        places.put("node-" + n + " registry file", Files.readString(nodes.node(n).registryFile));
        List<String> paths = new ArrayList<>(List.of("/api/devices", "/api/alerts", "/api/cluster", "/api/audit", "/api/session",
            "/api/poller/timing", "/health", "/metrics"));
        for (String id : devices) {
          paths.add("/api/devices/" + id);
          paths.add("/api/devices/" + id + "/history");
        }
        for (String p : paths) {
          ClusterNodes.Response r = nodes.get(n, p);
          assertEquals(200, r.status(), p);
          places.put("node-" + n + " " + p, r.body());
        }
      }
      try (RogueMember reader = RogueMember.join(nodes, false)) {
        // Every map the nodes use by name, and whatever else the member learns exists.
        List<DistributedObject> objects = new ArrayList<>(reader.hz.getDistributedObjects());
        for (String name : List.of(HazelcastOverlayStore.MAP, HazelcastHandoverStore.MAP, HazelcastHandoverStore.ALERTS_MAP,
            ClusterOwnership.READY_MAP, HazelcastSessionStore.MAP, "__vertx.haInfo", "__vertx.nodeInfo")) {
          objects.add(reader.hz.getMap(name));
        }
        objects.add(reader.hz.getMultiMap("__vertx.subs"));
        for (DistributedObject o : objects) {
          StringBuilder all = new StringBuilder();
          if (o instanceof IMap<?, ?> m) m.entrySet().forEach(e -> all.append(text(e.getKey())).append('=').append(text(e.getValue())).append('\n'));
          if (o instanceof MultiMap<?, ?> m) m.entrySet().forEach(e -> all.append(text(e.getKey())).append('=').append(text(e.getValue())).append('\n'));
          places.merge("map " + o.getName(), all.toString(), (x, y) -> x + y);
        }
        assertTrue(places.get("map " + HazelcastOverlayStore.MAP).contains("rest-v3"), "the registry map was read");
        assertTrue(places.get("map " + HazelcastHandoverStore.MAP).contains("file-v3"), "the hand-over map was read");
      }
      for (int n : List.of(0, 1)) places.put("node-" + n + " log", nodes.node(n).logText());
      assertTrue(places.get("node-0 log").contains("\"type\":\"status\""), "node 0's log holds the status events it printed");

      for (Map.Entry<String, String> p : places.entrySet()) {
        for (String secret : SECRETS) {
          assertTrue(!p.getValue().contains(secret), "a secret in " + p.getKey());
        }
      }
      assertTrue(places.get("node-0 /api/devices").contains("\"credentials\":\"grep-v3\""), "names are shown instead");
    }
  }

  private static String text(Object o) {
    if (o instanceof byte[] b) return new String(b, StandardCharsets.ISO_8859_1);
    return String.valueOf(o);
  }

  private static JsonObject config(Simulator sim, Snmpd snmpd) {
    JsonObject c = ClusterNodes.config(Map.of());
    c.getJsonObject("credentials")
        .put("grep-v2c", new JsonObject().put("community", COMMUNITY))
        .put("grep-v3", new JsonObject().put("version", "v3").put("v3", new JsonObject().put("user", USER)
            .put("authProtocol", "SHA-256").put("authPassphrase", AUTH).put("privProtocol", "AES-128").put("privPassphrase", PRIV)));
    c.getJsonArray("devices")
        .add(new JsonObject().put("id", "file-v2c").put("host", "127.0.0.1").put("port", sim.port("sim-a")).put("credentials", "grep-v2c"))
        .add(new JsonObject().put("id", "file-v3").put("host", "127.0.0.1").put("port", snmpd.port()).put("credentials", "grep-v3")
            .put("intervalMs", 2000));
    return c;
  }
}
