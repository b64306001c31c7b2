package io.ifpulse.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.Snmpsim;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against snmpsim replaying the Cisco switch recorded in Debian's snmpsim package. */
class SnmpsimDiscoveryTest {

  @Test
  void discoveryReadsEveryPortWithNameAliasAndSpeed() throws Exception {
    try (Snmpsim sim = Snmpsim.start()) {
      JsonObject cfg = new JsonObject().put("devices", new JsonArray().add(new JsonObject()
          .put("id", "cisco")
          .put("host", "127.0.0.1")
          .put("port", sim.port())
          .put("community", sim.community())
          .put("timeoutMs", 3000)
          .put("intervalMs", 5000)));
      try (PollerHarness h = PollerHarness.start(cfg)) {
        JsonObject ev = h.awaitStatus("cisco", "discovered", Duration.ofSeconds(60));
        JsonArray ifs = ev.getJsonArray("interfaces");
        Map<Integer, JsonObject> byIndex = new HashMap<>();
        for (int i = 0; i < ifs.size(); i++) byIndex.put(ifs.getJsonObject(i).getInteger("ifIndex"), ifs.getJsonObject(i));

        Map<Integer, String> names = sim.ifNames();
        assertTrue(names.size() >= 16, "the recording has the switch's ports: " + names.size());
        assertEquals(sim.ifDescrs().keySet(), byIndex.keySet(), "every ifTable row is discovered");
        for (var e : names.entrySet()) {
          JsonObject got = byIndex.get(e.getKey());
          assertEquals(e.getValue(), got.getString("name"), "ifName of " + e.getKey());
          assertEquals(sim.ifDescrs().get(e.getKey()), got.getString("descr"), "ifDescr of " + e.getKey());
          assertEquals(sim.ifAliases().getOrDefault(e.getKey(), ""), got.getString("alias"), "ifAlias of " + e.getKey());
          Long high = sim.ifHighSpeeds().get(e.getKey());
          if (high != null && high > 0) {
            assertEquals(high * 1_000_000L, got.getLong("speedBps"), "speed of " + e.getKey());
          }
        }
      }
    }
  }
}
