package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.BridgeClient;
import io.ifpulse.Main;
import io.ifpulse.auth.Role;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An ISP shows a customer the live traffic of that customer's own ports: a user limited to
 * {@code cust-a-*} must see those devices and nothing of {@code cust-b-1}, wherever they look —
 * every REST route, /metrics, the alerts, the cluster view and the bridge — and an operator limited
 * the same way manages only its own devices.
 *
 * <p>Both customers' busiest ports cross the utilisation threshold every few seconds (bursts of
 * 80 % of 1 Gbit/s, then silence), so alerts are raised and cleared for both all along.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceScopeAccessTest {
  private static final String PW = "customer-password-1";
  private Main.Hub hub;
  private int port;
  private String own;
  private TestUsers users;
  private String cust;
  private String all;
  private final Vertx client = Vertx.vertx();

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-scope");
    users = new TestUsers()
        .user("cust", Role.VIEWER, PW, "cust-a-*")
        .user("custop", Role.OPERATOR, PW, "cust-a-*")
        .user("noc", Role.VIEWER, PW)
        .token("prom-a", Role.VIEWER, "cust-a-*");
    Path file = users.write(dir.resolve("users.json"));
    String hot = "\"sim\": {\"model\": \"bursts\", \"interfaces\": 1, \"speedMbps\": 1000, \"rateMbps\": 400, \"periodSeconds\": 4, \"amplitude\": 0.5}";
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "web": {"auth": {"usersFile": "%s"}},
         "credentials": {"lab": {"community": "public"}},
         "alerts": {"utilisationPct": 60, "utilisationClearPct": 20, "forSeconds": 0, "clearForSeconds": 0},
         "devices": [{"id": "cust-a-1", %s},
                     {"id": "cust-a-2", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "cust-b-1", %s}]}""".formatted(file, hot, hot));
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
    cust = TestUsers.signIn(port, "cust", PW);
    all = TestUsers.signIn(port, "noc", PW);
    // Both customers have had an alert by now (the REST list keeps the recent ones).
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .until(() -> alertDevices(get(all, "/api/alerts")).containsAll(Set.of("cust-a-1", "cust-b-1")));
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

  private static Set<String> alertDevices(JsonObject alerts) {
    Set<String> out = new TreeSet<>();
    for (String list : List.of("active", "recent")) {
      for (Object o : alerts.getJsonArray(list)) out.add(((JsonObject) o).getString("device"));
    }
    return out;
  }

  @Test
  void theDeviceListHoldsOnlyTheCustomersDevices() throws Exception {
    Set<String> ids = new TreeSet<>();
    for (Object o : get(cust, "/api/devices").getJsonArray("devices")) ids.add(((JsonObject) o).getString("id"));
    assertEquals(Set.of("cust-a-1", "cust-a-2"), ids);
    assertEquals(2, get(cust, "/health").getInteger("devices"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/devices/cust-b-1", "/api/devices/cust-b-1/history", "/api/devices/cust-b-1/interfaces/1/history"})
  void anotherCustomersDeviceDoesNotExist(String path) throws Exception {
    HttpProbe.Response r = HttpProbe.to(port).header("Cookie", cust).get(path);
    HttpProbe.Response none = HttpProbe.to(port).header("Cookie", cust).get(path.replace("cust-b-1", "no-such-device"));
    assertEquals(404, r.status());
    assertEquals(none.body(), r.body(), "the same answer as for an id that does not exist");
    assertEquals(200, HttpProbe.to(port).header("Cookie", cust).get(path.replace("cust-b-1", "cust-a-1")).status());
  }

  @Test
  void alertsOfOtherDevicesAreLeftOut() throws Exception {
    assertEquals(Set.of("cust-a-1"), alertDevices(get(cust, "/api/alerts")));
  }

  @Test
  void metricsHoldOnlyTheCustomersDevices() throws Exception {
    String session = HttpProbe.to(port).header("Cookie", cust).get("/metrics").body();
    String token = HttpProbe.to(port).header("Authorization", "Bearer " + users.token("prom-a")).get("/metrics").body();
    for (String text : List.of(session, token)) {
      assertTrue(text.contains("device=\"cust-a-1\""), text);
      assertFalse(text.contains("cust-b-1"), "no series of cust-b-1");
    }
    assertTrue(HttpProbe.to(port).header("Cookie", all).get("/metrics").body().contains("cust-b-1"), "unlimited users see it");
  }

  @Test
  void theClusterViewNamesOnlyTheCustomersDevices() throws Exception {
    JsonObject view = get(cust, "/api/cluster");
    assertEquals(Set.of("cust-a-1", "cust-a-2"), view.getJsonObject("owners").fieldNames());
    assertFalse(view.getJsonArray("polling").contains("cust-b-1"));
  }

  @Test
  void theBridgeRefusesAnotherCustomersAddressesAndAlerts() throws Exception {
    try (BridgeClient c = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", cust), true);
        BridgeClient noc = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", all), true)) {
      for (String address : List.of("ifpulse.traffic.cust-b-1", "ifpulse.status.cust-b-1", "ifpulse.traps.cust-b-1",
          "ifpulse.traffic.no-such-device", "ifpulse.traps.no-such-device")) {
        c.clear();
        c.register(address);
        JsonObject err = c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
        assertEquals("rejected", err.getString("body"), address);
      }
      c.clear();
      c.register("ifpulse.traffic.cust-a-1");
      c.register("ifpulse.alerts");
      noc.register("ifpulse.alerts");
      // Over a window in which the unlimited user sees alerts of both customers, the limited one
      // sees cust-a-1's and never cust-b-1's.
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> devicesOf(noc.received("ifpulse.alerts")).containsAll(Set.of("cust-a-1", "cust-b-1"))
              && devicesOf(c.received("ifpulse.alerts")).contains("cust-a-1"));
      assertEquals(Set.of("cust-a-1"), devicesOf(c.received("ifpulse.alerts")));
      assertFalse(c.received("ifpulse.traffic.cust-a-1").isEmpty(), "its own device's samples arrive");
    }
  }

  private static Set<String> devicesOf(List<JsonObject> frames) {
    Set<String> out = new TreeSet<>();
    for (JsonObject f : frames) out.add(f.getJsonObject("body").getString("device"));
    return out;
  }

  @Test
  void aWatchForAnotherCustomersDeviceIsDropped() throws Exception {
    long before = refused("watch");
    try (BridgeClient c = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", cust), true)) {
      c.watch("cust-b-1");
      c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> refused("watch") == before + 1);
      JsonObject b = deviceJson("cust-b-1");
      assertEquals(0, b.getJsonObject("stats").getInteger("watchers"), "nobody watches cust-b-1: " + b);
      c.watch("cust-a-2");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> deviceJson("cust-a-2").getJsonObject("stats").getInteger("watchers") == 1);
    }
  }

  private JsonObject deviceJson(String id) throws Exception {
    for (Object o : get(all, "/api/devices").getJsonArray("devices")) {
      if (id.equals(((JsonObject) o).getString("id"))) return (JsonObject) o;
    }
    throw new AssertionError("no " + id);
  }

  private long refused(String reason) throws Exception {
    String series = "ifpulse_bridge_refused_total{reason=\"" + reason + "\"} ";
    for (String line : HttpProbe.to(port).header("Cookie", all).get("/metrics").body().split("\n")) {
      if (line.startsWith(series)) return (long) Double.parseDouble(line.substring(series.length()));
    }
    throw new AssertionError("no " + series);
  }

  @Test
  void aLimitedOperatorManagesOnlyItsOwnDevices() throws Exception {
    String op = TestUsers.signIn(port, "custop", PW);
    HttpProbe p = HttpProbe.to(port).header("Cookie", op).header("Origin", own).header("Content-Type", "application/json");
    assertEquals(403, p.send("POST", "/api/devices", "{\"id\":\"cust-b-9\",\"host\":\"127.0.0.2\"}").status());
    assertEquals(403, p.send("POST", "/api/devices", "{\"id\":\"cust-a-8\",\"host\":\"127.0.0.2\",\"tags\":[\"cust-b\"]}").status(),
        "no tags beyond its own");
    assertEquals(404, p.send("PUT", "/api/devices/cust-b-1", "{\"host\":\"127.0.0.2\"}").status());
    assertEquals(404, p.send("DELETE", "/api/devices/cust-b-1", null).status());
    HttpProbe.Response added = p.send("POST", "/api/devices", "{\"id\":\"cust-a-9\",\"host\":\"127.0.0.2\",\"port\":9,\"credentials\":\"lab\"}");
    assertEquals(201, added.status(), added.body());
    assertEquals(204, p.send("DELETE", "/api/devices/cust-a-9", null).status());
    JsonArray devices = get(all, "/api/devices").getJsonArray("devices");
    assertTrue(devices.stream().anyMatch(o -> "cust-b-1".equals(((JsonObject) o).getString("id"))), "cust-b-1 untouched");
  }
}
