package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The summary at the cluster: a web node shows every device, also those another node polls, and a
 * web node that joins a running cluster lists every device at once and has every one's state
 * within a base interval or two.
 */
class ClusterSummaryTest {
  private static final int DEVICES = 8;

  @Test
  void everyWebNodeSummarisesTheWholeFleetAndALateOneCatchesUpInSeconds() throws Exception {
    List<String> ids = ClusterNodes.ids("sum", DEVICES);
    try (Simulator sim = ClusterNodes.simulator(ids);
        ClusterNodes nodes = new ClusterNodes("summary", ClusterNodes.config(ClusterNodes.ports(sim, ids)))) {
      nodes.startAndWait(0, Role.ALL, Duration.ofSeconds(90));
      nodes.startAndWait(1, Role.POLLER, Duration.ofSeconds(90));
      ClusterNodes.View view = nodes.awaitSettled(List.of(0), 2, new HashSet<>(ids), Duration.ofSeconds(60)).get(0);
      Set<String> pollsNode0 = view.polling();
      assertFalse(pollsNode0.isEmpty() || pollsNode0.size() == DEVICES, "both nodes poll some devices: " + view.owners());
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
          .until(() -> upIn(nodes.getJson(0, "/api/summary")).size() == DEVICES);

      // A web node joins late: every device is listed from its first answer, and up within seconds.
      nodes.startAndWait(2, Role.WEB, Duration.ofSeconds(90));
      long joined = System.nanoTime();
      JsonObject first = nodes.getJson(2, "/api/summary");
      assertEquals(new TreeSet<>(ids), idsIn(first), "every device of the registry at once");
      assertEquals(DEVICES, first.getJsonObject("fleet").getInteger("devices"));
      // The base interval is 2 s: every device's next sample comes within it.
      Awaitility.await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
          .until(() -> upIn(nodes.getJson(2, "/api/summary")).size() == DEVICES);
      System.out.printf("[cluster] late web node complete %d ms after it said ready%n", (System.nanoTime() - joined) / 1_000_000);
      JsonObject late = nodes.getJson(2, "/api/summary");
      assertEquals(10, late.getJsonObject("top").getJsonArray("bps").size(), "16 interfaces, the 10 busiest: " + late.getJsonObject("top"));
    }
  }

  private static Set<String> idsIn(JsonObject summary) {
    Set<String> out = new TreeSet<>();
    for (Object o : summary.getJsonArray("devices")) out.add(((JsonObject) o).getString("id"));
    return out;
  }

  private static Set<String> upIn(JsonObject summary) {
    Set<String> out = new TreeSet<>();
    for (Object o : summary.getJsonArray("devices")) {
      JsonObject d = (JsonObject) o;
      if ("up".equals(d.getString("state")) && d.getValue("inBps") != null) out.add(d.getString("id"));
    }
    return out;
  }
}
