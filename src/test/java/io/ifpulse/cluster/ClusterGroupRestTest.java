package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.BridgeClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A group created over REST on one node of a cluster of two: listed by the other node and kept in
 * its groups file (the sealed map {@code ifpulse.groups}, mirrored by every node), computed on
 * exactly one node (one sample a window, whichever node a browser asks), and gone from both once
 * removed on the other node.
 */
class ClusterGroupRestTest {
  private static final int DEVICES = 4;

  @Test
  void aGroupCreatedOnOneNodeIsListedKeptAndComputedOnceInTheCluster() throws Exception {
    List<String> ids = ClusterNodes.ids("rg", DEVICES);
    List<SimDeviceSpec> specs = new ArrayList<>();
    for (String id : ids) {
      specs.add(SimDeviceSpec.fromJson(id, "public", new JsonObject().put("model", "steady").put("interfaces", 2), "sim"));
    }
    try (Simulator sim = Simulator.start("127.0.0.1", 0, specs);
        ClusterNodes nodes = new ClusterNodes("group-rest", ClusterNodes.config(ClusterNodes.ports(sim, ids)))) {
      nodes.startAndWait(0, Role.ALL, Duration.ofSeconds(90));
      nodes.startAndWait(1, Role.ALL, Duration.ofSeconds(90));
      nodes.awaitSettled(List.of(0, 1), 2, new HashSet<>(ids), Duration.ofSeconds(60));

      JsonObject body = new JsonObject().put("members", new JsonArray()
          .add(new JsonObject().put("device", "rg-*").put("interfaces", new JsonObject().put("includeAlias", "^uplink"))));
      ClusterNodes.Response created = nodes.post(0, "/api/groups/uplinks", body);
      assertEquals(201, created.status(), () -> "POST on node 0: " + created.body() + nodes.tails());

      Path file1 = groupsFile(nodes.node(1).registryFile);
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
          nodes.get(1, "/api/groups/uplinks").status() == 200 && Files.exists(file1)
              && new JsonObject(Files.readString(file1)).getJsonObject("groups").containsKey("uplinks"));

      for (int browserNode : List.of(1, 0)) {
        try (BridgeClient c = BridgeClient.connect(nodes.node(browserNode).httpPort)) {
          c.register("ifpulse.group.uplinks");
          List<JsonObject> run = awaitRun(c, 4, Duration.ofSeconds(40));
          for (JsonObject s : run) assertEquals(DEVICES, s.getInteger("members"), s.encode());
          Set<Long> windows = new HashSet<>();
          for (JsonObject f : c.received("ifpulse.group.uplinks")) {
            long ts = f.getJsonObject("body").getLong("ts");
            // A second node computing the group would publish each window again.
            assertTrue(windows.add(ts), "window " + ts + " published twice, browser on node " + browserNode + nodes.tails());
          }
        }
      }

      ClusterNodes.Response removed = nodes.delete(1, "/api/groups/uplinks");
      assertEquals(204, removed.status(), () -> "DELETE on node 1: " + removed.body());
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
          .until(() -> nodes.get(0, "/api/groups/uplinks").status() == 404);
      assertEquals(404, nodes.delete(0, "/api/groups/uplinks").status());
    }
  }

  /** Where a node keeps its groups: next to its registry file, named after it. */
  private static Path groupsFile(Path registryFile) {
    return io.ifpulse.config.HubConfig.groupsFile(registryFile);
  }

  /** A run of {@code n} complete samples, one window after the other. */
  private static List<JsonObject> awaitRun(BridgeClient c, int n, Duration timeout) {
    List<JsonObject> run = new ArrayList<>();
    assertTrue(c.until(() -> {
      run.clear();
      for (JsonObject f : c.received("ifpulse.group.uplinks")) {
        JsonObject b = f.getJsonObject("body");
        boolean next = !run.isEmpty() && b.getLong("ts") - run.get(run.size() - 1).getLong("ts") == 1000;
        if (b.getBoolean("partial") || !(run.isEmpty() || next)) run.clear();
        if (!b.getBoolean("partial")) run.add(b);
      }
      return run.size() >= n;
    }, timeout), "a run of " + n + " complete samples; got " + c.received("ifpulse.group.uplinks"));
    return run;
  }
}
