package io.ifpulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of docs/RELIABILITY.md for two minutes, as CI runs it: the 3-node cluster on loopback
 * with a node killed (-9) and started again, agents restarted, devices added and removed over REST
 * and browsers coming and going, at a load CI's machine holds beside the rest of the suite (20
 * devices of 10 interfaces at 1 s). Its verdict must pass: no sample lost outside a kill window,
 * every REST change taken, every node running at the end, no figure growing past its bound. Two
 * minutes prove the harness and the kill/restart paths, not the absence of a slow leak: that is
 * the hours-long run's (scripts/soak.sh HOURS).
 */
class SoakSmokeTest {
  @Test
  void twoMinutesOfChurnLoseNothing(@TempDir Path out) throws Exception {
    JsonObject r = Soak.run(Soak.Options.parse("--minutes", "2", "--devices", "20", "--interfaces", "10", "--browsers", "6",
        "--out", out.toString()));
    JsonObject verdict = r.getJsonObject("verdict");
    assertTrue(verdict.getBoolean("pass"), () -> "the soak's verdict: " + verdict.encodePrettily());
    JsonObject events = r.getJsonObject("events");
    assertTrue(events.getLong("nodeKills") >= 1 && events.getLong("agentRestarts") >= 1,
        () -> "a node was killed and agents restarted in the two minutes: " + events.encode());
    for (Object o : r.getJsonArray("rows")) {
      JsonObject row = (JsonObject) o;
      // Nodes 0 and 1 live the whole run (node 2 may be measured as it dies).
      if (row.getInteger("node") < 2) {
        assertTrue(row.getLong("missedSlots") >= 0 && row.getLong("bridgeDropped") >= 0 && row.getLong("unhandled") >= 0
            && row.getLong("bridgeClients") >= (row.getInteger("node") == 0 ? 1 : 0),
            () -> "the node's /metrics was read (node 0 holds the checker's sockets): " + row.encode());
      }
    }
    assertTrue(Files.exists(out.resolve("soak.csv")), "the series is written");
    for (int n = 0; n < 2; n++) {
      String last = Files.readString(out.resolve("histogram-node" + n + "-last.txt"));
      assertTrue(last.contains("io.ifpulse."), "node " + n + "'s class histogram is kept: " + last.lines().limit(5).toList());
    }
    assertEquals(r, new JsonObject(Files.readString(out.resolve("soak.json"))), "the results are written");
  }
}
