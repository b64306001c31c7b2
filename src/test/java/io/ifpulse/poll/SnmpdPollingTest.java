package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.LoopbackTraffic;
import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.Snmpd;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against Debian's real net-snmp agent on a loopback port: discovery of this host's interfaces
 * over v2c, and, over v3 authPriv (SHA-256/AES-128), the rate of traffic this test sends over lo
 * at a known rate, on every 1 s sample — despite snmpd refreshing its interface cache only about
 * every 3 s.
 */
class SnmpdPollingTest {
  private static Snmpd snmpd;

  @BeforeAll
  static void startAgent() {
    snmpd = Snmpd.start();
  }

  @AfterAll
  static void stopAgent() {
    if (snmpd != null) snmpd.close();
  }

  private JsonObject device(String id, JsonObject extra) {
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", snmpd.port()).mergeIn(extra);
  }

  @Test
  void v2cDiscoveryFindsThisHostsInterfaces() throws Exception {
    JsonObject cfg = new JsonObject().put("devices", new JsonArray()
        .add(device("snmpd-v2c", new JsonObject().put("version", "v2c").put("community", Snmpd.COMMUNITY).put("intervalMs", 1000))));
    try (PollerHarness h = PollerHarness.start(cfg)) {
      JsonObject discovered = h.awaitStatus("snmpd-v2c", "discovered", Duration.ofSeconds(15));
      Set<String> names = new TreeSet<>();
      JsonArray ifs = discovered.getJsonArray("interfaces");
      for (int i = 0; i < ifs.size(); i++) names.add(ifs.getJsonObject(i).getString("name"));
      Set<String> kernel = kernelInterfaces();
      assertEquals(kernel, names, "snmpd's interfaces are the kernel's");
      JsonObject lo = null;
      for (int i = 0; i < ifs.size(); i++) if ("lo".equals(ifs.getJsonObject(i).getString("name"))) lo = ifs.getJsonObject(i);
      assertNotNull(lo);
      assertEquals(24, lo.getInteger("type"), "lo is softwareLoopback");
      assertTrue(lo.getBoolean("hc"), "net-snmp serves HC counters for lo");
      List<JsonObject> samples = h.awaitSamples("snmpd-v2c", 3, Duration.ofSeconds(15));
      JsonObject last = samples.get(samples.size() - 1);
      assertEquals(names.size(), last.getJsonArray("interfaces").size());
      assertTrue(last.getBoolean("reachable"));
    }
  }

  @Test
  void v3AuthPrivRateOfKnownLoopbackTrafficWithin10PercentOnEverySample() throws Exception {
    long bps = 40_000_000L;
    JsonObject v3 = new JsonObject()
        .put("user", Snmpd.SHA256_AES_USER)
        .put("authProtocol", "SHA-256")
        .put("authPassphrase", Snmpd.SHA256_AES_AUTH_PASSPHRASE)
        .put("privProtocol", "AES-128")
        .put("privPassphrase", Snmpd.SHA256_AES_PRIV_PASSPHRASE);
    JsonObject cfg = new JsonObject().put("devices", new JsonArray()
        .add(device("snmpd-v3", new JsonObject().put("version", "v3").put("v3", v3).put("intervalMs", 1000)
            .put("interfaces", new JsonObject().put("includeName", "^lo$")))));
    // The traffic must outlast the worst case of the waits below (15 + 7 + 12 s); close() stops
    // it. With 25 s a slow discovery on CI left the last samples of the window on an idle lo.
    try (LoopbackTraffic traffic = LoopbackTraffic.start(bps, 1200, Duration.ofSeconds(45));
        PollerHarness h = PollerHarness.start(cfg)) {
      h.awaitStatus("snmpd-v3", "discovered", Duration.ofSeconds(15));
      // Warm-up: the first measurement needs two cache refreshes of snmpd (~3 s each); the window
      // starts two samples after it.
      Awaitility.await("a first measured rate of lo").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            List<JsonObject> s = h.samples("snmpd-v3");
            JsonObject lo = s.isEmpty() ? null : PollerHarness.iface(s.get(s.size() - 1), "lo");
            return lo != null && "ok".equals(lo.getString("state"));
          });
      int from = h.samples("snmpd-v3").size() + 2;
      List<JsonObject> all = h.awaitSamples("snmpd-v3", from + 12, Duration.ofSeconds(25));
      List<JsonObject> window = all.subList(from, all.size());
      double expected = traffic.expectedLoBitsPerSecond();
      List<String> bad = new ArrayList<>();
      for (JsonObject s : window) {
        JsonObject lo = PollerHarness.iface(s, "lo");
        assertNotNull(lo, "lo in every sample");
        for (String dir : List.of("inBps", "outBps")) {
          Double v = lo.getDouble(dir);
          if (v == null || Math.abs(v - expected) > 0.10 * expected) bad.add("seq " + s.getLong("seq") + " " + dir + "=" + v + " " + lo);
        }
      }
      assertTrue(bad.isEmpty(), "expected " + expected + " bit/s on every sample; off: " + bad);
    }
  }

  /** Every v3 security level, and the SHA-1/DES pair, discover and poll lo. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "authPriv SHA-1 DES,     authPrivShaDes, SHA,  ifpulse-sha1-auth,   DES,  ifpulse-des-priv",
    "authNoPriv SHA-1,       authNoPrivSha,  SHA,  ifpulse-sha1-nopriv, none, ",
    "noAuthNoPriv,           noAuthUser,     none, ,                    none, ",
  })
  void v3SecurityLevels(String name, String user, String auth, String authPass, String priv, String privPass) throws Exception {
    JsonObject v3 = new JsonObject().put("user", user).put("authProtocol", auth).put("privProtocol", priv);
    if (authPass != null) v3.put("authPassphrase", authPass);
    if (privPass != null) v3.put("privPassphrase", privPass);
    JsonObject cfg = new JsonObject().put("devices", new JsonArray()
        .add(device("v3", new JsonObject().put("version", "v3").put("v3", v3).put("intervalMs", 1000)
            .put("interfaces", new JsonObject().put("includeName", "^lo$")))));
    try (PollerHarness h = PollerHarness.start(cfg)) {
      JsonObject ev = h.awaitStatus("v3", "discovered", Duration.ofSeconds(15));
      assertEquals("lo", ev.getJsonArray("interfaces").getJsonObject(0).getString("name"), name);
      JsonObject s = h.awaitSamples("v3", 2, Duration.ofSeconds(15)).get(1);
      assertTrue(s.getBoolean("reachable"), name);
    }
  }

  private static Set<String> kernelInterfaces() throws Exception {
    return Files.readAllLines(Path.of("/proc/net/dev")).stream()
        .skip(2)
        .map(l -> l.substring(0, l.indexOf(':')).trim())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
