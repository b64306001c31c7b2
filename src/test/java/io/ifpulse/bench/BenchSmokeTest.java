package io.ifpulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks are not tests, but the harness must keep working: every scenario, tiny and for a few
 * seconds, with the real peers (scripts/test.sh installs them). What is asserted is that each
 * part measured something real — all three pollers read the whole walk, samples reached the
 * clients — not how fast anything was.
 */
class BenchSmokeTest {

  @Test
  void everyScenarioRunsAndMeasures(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("results.json");
    // Scenario 1 also runs its side-by-side second hub (another poll slot), so that path keeps working.
    JsonObject r = Bench.run("--smoke", "--scenarios", "1,2,3,4,5,6,7", "--compare-slot-ms", "1", "--out", out.toString());
    assertEquals(r, new JsonObject(Files.readString(out)), "the machine-readable results are written");

    JsonObject walk = r.getJsonObject("sameWalk");
    JsonArray runs = walk.getJsonArray("runs");
    assertEquals(List.of("ifpulse", "ifpulse slot 1 ms", "snmp_exporter 0.21", "snmpbulkwalk"),
        runs.stream().map(o -> ((JsonObject) o).getString("poller")).toList(), runs.encodePrettily());
    for (Object o : runs) {
      JsonObject run = (JsonObject) o;
      String who = run.getString("poller");
      assertTrue(run.getLong("deviceReads") >= 2, who + ": " + run);
      // Every read returned both columns of every interface (10 per device in the smoke run).
      assertEquals(run.getLong("deviceReads") * 20, run.getLong("varbindsRead"), who);
      assertTrue(run.getLong("varbindsAnswered") >= run.getLong("varbindsRead"), who + ": the agents saw the reads: " + run);
      // A process's CPU comes from /proc in 10 ms ticks: over the smoke run's 2 s window a light
      // poller (the exporter reads 120 varbinds in about 1 ms) may show 0. A number it must be.
      assertTrue(run.getDouble("cpuSeconds") >= 0 && run.getDouble("readMsP50") > 0, who + ": " + run);
    }
    // snmpbulkwalk's CPU is read to the millisecond (bash's times) and its process starts alone
    // cost more: a 0 there would mean the reading is broken.
    JsonObject netSnmp = runs.getJsonObject(runs.size() - 1);
    assertTrue(netSnmp.getDouble("cpuSeconds") > 0, "snmpbulkwalk's CPU was measured: " + netSnmp);

    JsonObject sustained = r.getJsonObject("sustained");
    assertTrue(sustained.getLong("samplesPublished") > 0, sustained.encode());
    assertTrue(sustained.getDouble("hubCores") > 0, sustained.encode());
    assertTrue(sustained.getJsonObject("pollStartLatenessMs").getLong("count") > 0, sustained.encode());

    JsonObject memory = r.getJsonObject("memory");
    assertTrue(memory.getLong("liveHeapBytes") > memory.getLong("baselineLiveHeapBytes"), memory.encode());

    JsonArray fanOut = r.getJsonObject("fanOut").getJsonArray("steps");
    assertTrue(!fanOut.isEmpty() && fanOut.getJsonObject(0).getLong("received") > 0, fanOut.encode());

    JsonObject cluster = r.getJsonObject("cluster");
    JsonArray sizes = cluster.getJsonArray("sizes");
    assertEquals(3, sizes.size(), cluster.encode());
    for (int k = 1; k <= 3; k++) {
      JsonObject size = sizes.getJsonObject(k - 1);
      assertEquals(k, size.getJsonArray("pollerCores").size(), "every poller measured: " + size);
      assertEquals(k, size.getJsonArray("devicesPerPoller").size(), "every poller polls: " + size);
      int polled = size.getJsonArray("devicesPerPoller").stream().mapToInt(o -> ((Number) o).intValue()).sum();
      assertEquals(k * cluster.getInteger("devicesPerPollerNode"), polled, "k times the devices on k pollers: " + size);
    }
    JsonObject cross = cluster.getJsonObject("crossNodeLatencyMs");
    assertTrue(cross != null && cross.getString("error") == null, "the cross-node step ran: " + cluster.encode());
    assertTrue(cross.getJsonObject("remote").getInteger("count") > 0,
        "samples polled by the other node reached the browser: " + cluster.encode());
    double back = cluster.getJsonObject("failover").getDouble("lastDeviceBackAfterS", -1.0);
    assertTrue(back > 0 && back < 30, "a killed node's devices came back: " + cluster.encode());

    JsonObject overview = r.getJsonObject("overview");
    assertEquals(2L * overview.getInteger("devices"), overview.getJsonObject("oldWay").getLong("registrations"), overview.encode());
    assertEquals(1L, overview.getJsonObject("summary").getLong("registrations"), overview.encode());
    assertTrue(overview.getJsonObject("oldWay").getLong("bytesPerSecond") > 0 && overview.getJsonObject("summary").getLong("bytesPerSecond") > 0,
        "both clients received: " + overview.encode());
    JsonArray steps = overview.getJsonArray("summaryCpu");
    assertEquals(2, steps.size(), overview.encode());
    for (Object o : steps) assertTrue(((JsonObject) o).getDouble("summaryBuildCores") >= 0, "the summary's CPU was read: " + o);

    JsonObject browser = r.getJsonObject("replyToBrowser");
    assertTrue(browser.getLong("received") > 0, browser.encode());
    assertTrue(browser.getJsonObject("latencyMs").getDouble("p50") > 0, browser.encode());
  }
}
