package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.auth.Role;
import io.ifpulse.sim.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The summary stream on a real hub with simulated devices: a bridge client that registers nothing
 * but {@code ifpulse.summary} follows every device's state, and a customer limited to its own
 * devices never receives a byte about another's, in the stream or over REST.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummaryStreamTest {
  private static final String PW = "summary-password-1";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private Main.Hub hub;
  private int port;
  private String own;
  private String noc;
  private String cust;
  private final Vertx client = Vertx.vertx();

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-summary");
    Path file = new TestUsers().user("noc", Role.VIEWER, PW).user("cust", Role.VIEWER, PW, "cust-a-*").write(dir.resolve("users.json"));
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 300, "retries": 0},
         "web": {"auth": {"usersFile": "%s"}},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "cust-a-1", "tags": ["gold"], "sim": {"model": "steady", "interfaces": 3, "rateMbps": 50}},
                     {"id": "cust-a-2", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 5}},
                     {"id": "cust-b-1", "sim": {"model": "steady", "interfaces": 4, "rateMbps": 500}}]}""".formatted(file));
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
    noc = TestUsers.signIn(port, "noc", PW);
    cust = TestUsers.signIn(port, "cust", PW);
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> summary(noc).getJsonObject("fleet").getJsonObject("states").getInteger("up") == 3);
  }

  @AfterAll
  void stop() {
    client.close().await();
    hub.close();
  }

  private JsonObject summary(String cookie) throws Exception {
    HttpProbe.Response r = HttpProbe.to(port).header("Cookie", cookie).get("/api/summary");
    assertEquals(200, r.status(), r.body());
    return new JsonObject(r.body());
  }

  private HttpProbe.Response search(String cookie, String q) throws Exception {
    return HttpProbe.to(port).header("Cookie", cookie).get("/api/summary/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
  }

  private RawBridgeClient socket(String cookie) {
    return RawBridgeClient.connect(client, port, own, RawBridgeClient.options(), Map.of("Cookie", cookie), true);
  }

  @Test
  void aSummaryOnlyClientFollowsEveryDevicesStateAndTheCounts() throws Exception {
    try (RawBridgeClient c = socket(noc)) {
      c.register("ifpulse.summary");
      // A message arrives only after the registration: the snapshot taken once one has is not older.
      c.await(f -> "ifpulse.summary".equals(f.getString("address")), WAIT);
      SummaryMirror m = new SummaryMirror(summary(noc));
      SimDevice b = hub.simulator().device("cust-b-1");
      b.setSilent(true);
      try {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
          m.apply(c.received("ifpulse.summary"));
          assertEquals("unreachable", m.state("cust-b-1"));
          assertEquals(1, m.count("unreachable"));
          assertEquals(2, m.count("up"));
        });
        assertTrue(m.devices.get("cust-b-1").getValue("inBps") == null, "no rate while unreachable: " + m.devices.get("cust-b-1"));
      } finally {
        b.setSilent(false);
      }
      Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        m.apply(c.received("ifpulse.summary"));
        assertEquals("up", m.state("cust-b-1"));
        assertEquals(0, m.count("unreachable"));
        assertEquals(3, m.count("up"));
      });
      assertEquals(0, m.breaks, "every message followed the one before");
      assertTrue(c.frames.stream().noneMatch(f -> "err".equals(f.getString("type"))), "the registration was accepted: " + c.frames);
      // What the client built from the stream is what the node holds now (rates aside: they move).
      JsonObject now = summary(noc);
      assertEquals(Set.of("cust-a-1", "cust-a-2", "cust-b-1"), m.devices.keySet());
      for (Object o : now.getJsonArray("devices")) {
        JsonObject d = (JsonObject) o;
        JsonObject mine = m.devices.get(d.getString("id"));
        for (String f : List.of("host", "tags", "state", "ifs", "ifDown", "alerts", "critical")) assertEquals(d.getValue(f), mine.getValue(f), f);
      }
      JsonObject a1 = m.devices.get("cust-a-1");
      assertEquals(3, a1.getInteger("ifs"));
      assertEquals(new JsonArray().add("gold"), a1.getJsonArray("tags"));
      assertTrue(a1.getDouble("inBps") > 0, a1.encode());
    }
  }

  @Test
  void aLimitedUserReceivesTheSummaryOfItsOwnDevicesOnly() throws Exception {
    try (RawBridgeClient c = socket(cust); RawBridgeClient all = socket(noc)) {
      c.register("ifpulse.summary");
      all.register("ifpulse.summary");
      c.await(f -> "ifpulse.summary".equals(f.getString("address")), WAIT);
      SummaryMirror m = new SummaryMirror(summary(cust));
      // Over several seconds of traffic (cust-b-1 the busiest of all) and a state change of cust-b-1.
      hub.simulator().device("cust-b-1").setSilent(true);
      try {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> all.received("ifpulse.summary").stream()
            .anyMatch(f -> f.encode().contains("\"state\":\"unreachable\"")));
      } finally {
        hub.simulator().device("cust-b-1").setSilent(false);
      }
      Awaitility.await().atMost(WAIT).until(() -> c.received("ifpulse.summary").size() >= 3);
      for (JsonObject f : c.received("ifpulse.summary")) assertFalse(f.encode().contains("cust-b"), "about cust-b-1: " + f.encode());
      m.apply(c.received("ifpulse.summary"));
      assertEquals(Set.of("cust-a-1", "cust-a-2"), m.devices.keySet());
      assertEquals(2, m.fleet.getInteger("devices"));
      assertEquals(0, m.count("unreachable"));
      assertTrue(all.received("ifpulse.summary").stream().anyMatch(f -> f.encode().contains("cust-b-1")), "the unlimited user sees it");

      JsonObject snap = summary(cust);
      assertFalse(snap.encode().contains("cust-b"), snap.encode());
      assertEquals(2, snap.getJsonObject("fleet").getInteger("devices"));
      assertEquals(5, snap.getJsonObject("top").getJsonArray("bps").size(), "the top lists draw on its 5 interfaces alone");
      assertEquals(3, summary(noc).getJsonObject("fleet").getInteger("devices"));
    }
  }

  @Test
  void searchFindsByIdTagAndInterfaceNameWithinTheAccountsDevices() throws Exception {
    assertEquals(Set.of("cust-a-1", "cust-a-2", "cust-b-1"), ids(search(noc, "CUST-")));
    assertEquals(Set.of("cust-a-1", "cust-a-2"), ids(search(cust, "cust-")));
    assertEquals(Set.of("cust-a-1"), ids(search(cust, "GOLD")));
    assertEquals(Set.of(), ids(search(cust, "cust-b")));
    // The simulator names interfaces eth0, eth1, …: only cust-b-1 has four.
    assertEquals(Set.of("cust-a-1", "cust-a-2", "cust-b-1"), ids(search(noc, "ETH0")));
    assertEquals(Set.of("cust-b-1"), ids(search(noc, "eth3")));
    assertEquals(Set.of(), ids(search(cust, "eth3")));
  }

  private static Set<String> ids(HttpProbe.Response r) {
    assertEquals(200, r.status(), r.body());
    Set<String> out = new TreeSet<>();
    for (Object o : new JsonObject(r.body()).getJsonArray("ids")) out.add((String) o);
    return out;
  }

  @Test
  void hostileSearchesAreRefusedWithAClearReason() throws Exception {
    for (String q : new String[] {"", "x".repeat(101), "a\nb"}) {
      HttpProbe.Response r = search(noc, q);
      assertEquals(400, r.status(), q);
      assertTrue(new JsonObject(r.body()).getString("error").startsWith("q:"), r.body());
    }
    assertEquals(400, HttpProbe.to(port).header("Cookie", noc).get("/api/summary/search").status(), "no q");
    assertEquals(400, HttpProbe.to(port).header("Cookie", noc).get("/api/summary/search?q=a&q=b").status(), "two");
    assertEquals(200, search(noc, "x".repeat(100)).status());
    String metrics = HttpProbe.to(port).header("Cookie", noc).get("/metrics").body();
    assertTrue(metrics.contains("ifpulse_http_refused_total{reason=\"bad-query\"} 5"), "counted");
  }

  @Test
  void withoutAnAccountNeitherTheStreamNorTheRoutesAnswer() throws Exception {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> RawBridgeClient.connect(client, port, own));
    assertTrue(String.valueOf(e.getMessage()).contains("401"), e.toString());
    assertEquals(401, HttpProbe.to(port).get("/api/summary").status());
    assertEquals(401, HttpProbe.to(port).get("/api/summary/search?q=cust").status());
  }
}
