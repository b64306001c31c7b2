package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.auth.Role;
import io.ifpulse.testing.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * A user sees an interface group only if they may see every device its rules name: a customer
 * limited to {@code cust-a-*} sees the group of its own uplinks, over REST and the bridge, and
 * neither a group that also takes a port of {@code cust-b-1} nor one that names no device yet; nor
 * that group's alerts. Both groups alert at 2 % (their members run at 10 % or more), so each has a
 * utilisation alert raised from the start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupAccessTest {
  private static final String PW = "customer-password-1";
  /** Group alert levels every member's traffic is over. */
  private static final String LOW = "{\"utilisation\": {\"utilisationPct\": 2, \"utilisationClearPct\": 1, \"forSeconds\": 0}}";
  private Main.Hub hub;
  private int port;
  private String own;
  private String cust;
  private String all;
  private final Vertx client = Vertx.vertx();

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-groups");
    Path file = new TestUsers().user("cust", Role.VIEWER, PW, "cust-a-*").user("noc", Role.VIEWER, PW).write(dir.resolve("users.json"));
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "web": {"auth": {"usersFile": "%s"}},
         "devices": [{"id": "cust-a-1", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "cust-a-2", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "cust-b-1", "sim": {"model": "steady", "interfaces": 2}}],
         "groups": {"a-uplinks": {"members": [{"device": "cust-a-*", "interfaces": {"includeAlias": "^uplink"}}], "alerts": %s},
                    "mixed": {"members": [{"device": "cust-a-1"}, {"device": "cust-b-1", "interfaces": {"includeName": "1$"}}], "alerts": %s},
                    "later": {"members": [{"device": "cust-c-*"}]}}}""".formatted(file, LOW, LOW));
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
    cust = TestUsers.signIn(port, "cust", PW);
    all = TestUsers.signIn(port, "noc", PW);
  }

  @AfterAll
  void stop() {
    client.close().await();
    hub.close();
  }

  private JsonObject get(String cookie, String path) throws Exception {
    HttpProbe.Response r = HttpProbe.to(port).header("Cookie", cookie).get(path);
    assertEquals(200, r.status(), path + ": " + r.body());
    return new JsonObject(r.body());
  }

  private static Set<String> names(JsonObject groups) {
    Set<String> out = new TreeSet<>();
    for (Object o : groups.getJsonArray("groups")) out.add(((JsonObject) o).getString("name"));
    return out;
  }

  @Test
  void restListsOnlyTheGroupsWhoseDevicesTheAccountMaySee() throws Exception {
    assertEquals(Set.of("a-uplinks"), names(get(cust, "/api/groups")));
    assertEquals(Set.of("a-uplinks", "mixed", "later"), names(get(all, "/api/groups")));
    assertEquals(new JsonArray(List.of("cust-a-1", "cust-a-2")), get(cust, "/api/groups/a-uplinks").getJsonArray("devices"));
    for (String g : List.of("mixed", "later", "no-such-group")) {
      HttpProbe.Response r = HttpProbe.to(port).header("Cookie", cust).get("/api/groups/" + g);
      assertEquals(404, r.status(), g + ": the same answer whether it exists or not: " + r.body());
    }
    assertEquals(new JsonArray(List.of("cust-a-1", "cust-b-1")), get(all, "/api/groups/mixed").getJsonArray("devices"));
  }

  @Test
  void metricsAndHistoryAreCutToTheGroupsTheAccountMaySee() throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> HttpProbe.to(port).header("Cookie", all).get("/metrics").body().contains("ifpulse_group_bits_per_second{direction=\"in\",group=\"mixed\"}"));
    String mine = HttpProbe.to(port).header("Cookie", cust).get("/metrics").body();
    assertTrue(mine.contains("ifpulse_group_bits_per_second{direction=\"in\",group=\"a-uplinks\"}"), mine);
    assertTrue(mine.contains("ifpulse_group_members{group=\"a-uplinks\"} 2.0"), mine);
    assertTrue(!mine.contains("group=\"mixed\"") && !mine.contains("group=\"later\""), "no series of a group the account may not see");
    JsonArray points = get(cust, "/api/groups/a-uplinks/history?seconds=60").getJsonArray("points");
    assertTrue(points.size() >= 1, "the group's history: " + points);
    JsonArray last = points.getJsonArray(points.size() - 1);
    assertTrue(last.getDouble(1) > 0 && last.getDouble(2) > 0, "in and out bit/s: " + last);
    // With the members' parts: both members named, and each complete point's parts (kept as
    // 32-bit floats) sum to its total.
    JsonObject stacked = get(cust, "/api/groups/a-uplinks/history?seconds=60&members=true");
    assertEquals(Set.of("cust-a-1", "cust-a-2"), stacked.getJsonArray("members").stream()
        .map(m -> ((JsonObject) m).getString("device")).collect(java.util.stream.Collectors.toSet()));
    for (Object o : stacked.getJsonArray("points")) {
      JsonArray p = (JsonArray) o;
      if (p.getValue(1) == null) continue;
      double in = 0;
      for (Object v : p.getJsonArray(3)) in += ((Number) v).doubleValue();
      assertEquals(p.getDouble(1), in, 1e-6 * p.getDouble(1) + 0.2, "the parts sum to the total: " + p);
    }
    assertEquals(400, HttpProbe.to(port).header("Cookie", cust).get("/api/groups/a-uplinks/history?members=yes").status());
    // Which node computes a group: on a single hub, this one; only the groups the account sees.
    assertEquals(new JsonObject().put("a-uplinks", "local"), get(cust, "/api/cluster").getJsonObject("groups"));
    assertEquals(404, HttpProbe.to(port).header("Cookie", cust).get("/api/groups/mixed/history").status());
  }

  @Test
  void theBridgeRefusesAGroupWithADeviceOutsideTheScopeAndDeliversTheOwnOne() throws Exception {
    try (BridgeClient c = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", cust), true);
        BridgeClient noc = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", all), true)) {
      for (String address : List.of("ifpulse.group.mixed", "ifpulse.group.later", "ifpulse.group.no-such-group")) {
        c.clear();
        c.register(address);
        JsonObject err = c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
        assertEquals("rejected", err.getString("body"), address);
      }
      c.clear();
      c.register("ifpulse.group.a-uplinks");
      noc.register("ifpulse.group.mixed");
      JsonObject sample = c.await(f -> "ifpulse.group.a-uplinks".equals(f.getString("address"))
          && !f.getJsonObject("body").getBoolean("partial"), Duration.ofSeconds(20)).getJsonObject("body");
      assertEquals(2, sample.getInteger("members"), sample.encode());
      assertTrue(sample.getDouble("inBps") > 0, sample.encode());
      noc.await(f -> "ifpulse.group.mixed".equals(f.getString("address")), Duration.ofSeconds(20));
      assertTrue(c.received("ifpulse.group.mixed").isEmpty());

      // Watching the group through the bridge watches its member devices, for the socket's life.
      c.send("ifpulse.interest", new JsonObject().put("type", "watch").put("group", "a-uplinks"));
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> watchers("cust-a-1") == 1 && watchers("cust-a-2") == 1);
      assertEquals(0, watchers("cust-b-1"));
      c.send("ifpulse.interest", new JsonObject().put("type", "watch").put("group", "mixed"));
      c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> watchers("cust-a-1") == 0 && watchers("cust-a-2") == 0);
  }

  private static Set<String> ids(JsonArray alerts) {
    Set<String> out = new TreeSet<>();
    for (Object o : alerts) out.add(((JsonObject) o).getString("id"));
    return out;
  }

  @Test
  void groupAlertsReachOnlyTheAccountsThatSeeTheGroup() throws Exception {
    // Raised by the hub's own rules from the groups' samples.
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> ids(get(all, "/api/alerts").getJsonArray("active"))
            .containsAll(Set.of("group:mixed/utilisation", "group:a-uplinks/utilisation")));
    JsonObject mine = get(cust, "/api/alerts");
    assertTrue(ids(mine.getJsonArray("active")).contains("group:a-uplinks/utilisation"), mine.encode());
    for (String list : List.of("active", "recent")) {
      assertTrue(!ids(mine.getJsonArray(list)).contains("group:mixed/utilisation"), list + ": " + mine.encode());
    }

    // Over the bridge: raises of both groups, published in that order on the hub's bus (the bridge
    // decides by the event, whoever published it; the rules said theirs before the sockets opened).
    try (BridgeClient c = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", cust), true);
        BridgeClient noc = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", all), true)) {
      c.register("ifpulse.alerts");
      noc.register("ifpulse.alerts");
      // Registered once a probe of the account's own group arrives.
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
        hub.vertx().eventBus().publish("ifpulse.alerts", groupAlert("a-uplinks", 1L));
        return !c.received("ifpulse.alerts").isEmpty() && !noc.received("ifpulse.alerts").isEmpty();
      });
      c.clear();
      noc.clear();
      hub.vertx().eventBus().publish("ifpulse.alerts", groupAlert("mixed", 2L));
      hub.vertx().eventBus().publish("ifpulse.alerts", groupAlert("a-uplinks", 3L));
      c.await(f -> "ifpulse.alerts".equals(f.getString("address")) && f.getJsonObject("body").getLong("ts") == 3L, Duration.ofSeconds(10));
      noc.await(f -> "ifpulse.alerts".equals(f.getString("address")) && f.getJsonObject("body").getLong("ts") == 3L, Duration.ofSeconds(10));
      assertTrue(c.received("ifpulse.alerts").stream().noneMatch(f -> "mixed".equals(f.getJsonObject("body").getString("group"))),
          "the customer gets no alert of a group with another customer's port: " + c.received("ifpulse.alerts"));
      assertTrue(noc.received("ifpulse.alerts").stream().anyMatch(f -> "mixed".equals(f.getJsonObject("body").getString("group"))),
          "an account that sees every device gets it");
    }
  }

  private static io.ifpulse.events.AlertEvent groupAlert(String group, long ts) {
    return io.ifpulse.events.AlertEvent.ofGroup(group, io.ifpulse.events.AlertEvent.Kind.UTILISATION,
        io.ifpulse.events.AlertEvent.State.RAISED, io.ifpulse.events.AlertEvent.Severity.WARNING, 50.0, 2.0, ts, ts, null);
  }

  private int watchers(String id) throws Exception {
    for (Object o : get(all, "/api/devices").getJsonArray("devices")) {
      JsonObject d = (JsonObject) o;
      if (id.equals(d.getString("id"))) return d.getJsonObject("stats").getInteger("watchers");
    }
    throw new AssertionError("no " + id);
  }
}
