package io.ifpulse.poll;

import io.ifpulse.events.EventJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.events.Addresses;
import io.ifpulse.testing.LoopbackTraffic;
import io.ifpulse.testing.PollerHarness;
import io.ifpulse.testing.SnmpTestClient;
import io.ifpulse.testing.SnmpTestClient.V3User;
import io.ifpulse.testing.Snmpd;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

/**
 * Named credentials against Debian's real net-snmp agents, through the whole hub started in
 * process (poller, history, REST API): devices added over the API name a v2c or a v3 credential
 * and are polled with it; two agents with one v3 user name but different passphrases, as across
 * a fleet, are each polled with their own credential; and a device given the wrong passphrases
 * for an agent fails alone.
 */
class SnmpdCredentialsTest {
  /** snmpEngineID.0 (SNMP-FRAMEWORK-MIB). */
  private static final String SNMP_ENGINE_ID = "1.3.6.1.6.3.10.2.1.1.0";
  private static final String FLEET_USER = "fleet";
  private static final String A_AUTH = "fleet-auth-of-agent-a";
  private static final String A_PRIV = "fleet-priv-of-agent-a";
  private static final String B_AUTH = "fleet-auth-of-agent-b";
  private static final String B_PRIV = "fleet-priv-of-agent-b";

  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
  private final Map<String, List<JsonObject>> samples = new ConcurrentHashMap<>();
  private final Map<String, List<JsonObject>> statuses = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void closeAll() throws Exception {
    // Hub first, then the agents and the traffic it was polling.
    for (AutoCloseable c : toClose) c.close();
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(0, c);
    return c;
  }

  /** The real hub from this config, open on loopback, with a temp registry and no users file. */
  private Main.Hub hub(JsonObject cfg) throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-snmpd-credentials");
    cfg.put("simulator", new JsonObject().put("basePort", 0));
    cfg.put("web", new JsonObject().put("port", 0).put("auth", new JsonObject().put("usersFile", dir.resolve("users.json").toString())));
    cfg.put("registry", new JsonObject().put("file", dir.resolve("devices.json").toString()));
    Main.Hub hub = Main.start(ConfigLoader.parse(cfg, Map.of()), false);
    toClose.add(0, hub::close);
    return hub;
  }

  /** Records what the hub publishes for this device, as any verticle on its bus would. */
  private void listen(Main.Hub hub, String id) {
    List<JsonObject> t = samples.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
    List<JsonObject> s = statuses.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
    hub.vertx().eventBus().consumer(Addresses.traffic(id), m -> t.add(EventJson.toJson(m.body()))).completion().await();
    hub.vertx().eventBus().consumer(Addresses.status(id), m -> s.add(EventJson.toJson(m.body()))).completion().await();
  }

  private HttpResponse<String> post(Main.Hub hub, JsonObject device) throws IOException, InterruptedException {
    String own = "http://127.0.0.1:" + hub.httpPort();
    return http.send(HttpRequest.newBuilder(URI.create(own + "/api/devices")).header("Content-Type", "application/json")
        .header("Origin", own).POST(HttpRequest.BodyPublishers.ofString(device.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject listed(Main.Hub hub, String id) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/devices")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    for (Object o : new JsonObject(r.body()).getJsonArray("devices")) {
      if (id.equals(((JsonObject) o).getString("id"))) return (JsonObject) o;
    }
    return null;
  }

  private static JsonObject loOnly(String id, int port, String credentials) {
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", port).put("credentials", credentials)
        .put("interfaces", new JsonObject().put("includeName", "^lo$"));
  }

  private static JsonObject v3Credential(String user, String auth, String priv) {
    return new JsonObject().put("version", "v3").put("v3", new JsonObject().put("user", user)
        .put("authProtocol", "SHA-256").put("authPassphrase", auth).put("privProtocol", "AES-128").put("privPassphrase", priv));
  }

  /** A sample of this device whose lo has an in and out rate above zero (the test's own traffic). */
  private JsonObject awaitRates(String id, Duration timeout) {
    List<JsonObject> seen = samples.get(id);
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200))
        .alias(id + ": a sample with rates on lo; statuses " + statuses.get(id))
        .until(() -> seen.stream().anyMatch(SnmpdCredentialsTest::hasRates));
    return seen.stream().filter(SnmpdCredentialsTest::hasRates).findFirst().orElseThrow();
  }

  private static boolean hasRates(JsonObject sample) {
    JsonObject lo = PollerHarness.iface(sample, "lo");
    return lo != null && lo.getValue("inBps") instanceof Number in && in.doubleValue() > 0
        && lo.getValue("outBps") instanceof Number out && out.doubleValue() > 0;
  }

  private JsonObject awaitStatus(String id, String event, Duration timeout) {
    List<JsonObject> seen = statuses.get(id);
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).alias(id + ": status " + event + "; got " + seen)
        .until(() -> seen.stream().anyMatch(s -> event.equals(s.getString("event"))));
    return seen.stream().filter(s -> event.equals(s.getString("event"))).findFirst().orElseThrow();
  }

  @Test
  void restDevicesNamingAV2cAndAV3CredentialAreDiscoveredAndPolled() throws Exception {
    Snmpd snmpd = closeLater(Snmpd.start());
    // Rates above zero on lo whatever else this machine does; outlasts the waits below.
    closeLater(LoopbackTraffic.start(8_000_000L, 1000, Duration.ofSeconds(90)));
    Main.Hub hub = hub(new JsonObject()
        .put("defaults", new JsonObject().put("intervalMs", 1000))
        .put("credentials", new JsonObject()
            .put("agent-v2c", new JsonObject().put("version", "v2c").put("community", Snmpd.COMMUNITY))
            .put("agent-v3", v3Credential(Snmpd.SHA256_AES_USER, Snmpd.SHA256_AES_AUTH_PASSPHRASE, Snmpd.SHA256_AES_PRIV_PASSPHRASE)))
        .put("devices", new JsonArray()));
    listen(hub, "snmpd-v2c");
    listen(hub, "snmpd-v3");

    HttpResponse<String> v2 = post(hub, loOnly("snmpd-v2c", snmpd.port(), "agent-v2c"));
    HttpResponse<String> v3 = post(hub, loOnly("snmpd-v3", snmpd.port(), "agent-v3"));
    assertEquals(201, v2.statusCode(), v2.body());
    assertEquals(201, v3.statusCode(), v3.body());
    assertEquals("v3", new JsonObject(v3.body()).getString("version"));

    for (String[] d : new String[][] {{"snmpd-v2c", "agent-v2c", "v2c"}, {"snmpd-v3", "agent-v3", "v3"}}) {
      JsonObject discovered = awaitStatus(d[0], "discovered", Duration.ofSeconds(20));
      assertEquals(d[1], discovered.getString("credentials"), "the status names the credential");
      assertEquals(d[2], discovered.getString("version"));
      assertEquals("lo", discovered.getJsonArray("interfaces").getJsonObject(0).getString("name"));
      awaitRates(d[0], Duration.ofSeconds(30));
      JsonObject row = listed(hub, d[0]);
      assertNotNull(row, d[0] + " listed");
      assertEquals(d[1], row.getString("credentials"));
      assertTrue(row.getValue("lastTs") instanceof Number && row.getValue("seq") instanceof Number, "GET /api/devices has its samples: " + row);
    }
    String published = statuses.toString() + samples.toString();
    for (String secret : List.of(Snmpd.SHA256_AES_AUTH_PASSPHRASE, Snmpd.SHA256_AES_PRIV_PASSPHRASE)) {
      assertFalse(published.contains(secret), "no passphrase on the bus");
    }
  }

  /**
   * One v3 user name, a passphrase pair per agent (a fleet whose agents were set up at different
   * times). USM keys are localized per engine ID, so the client must keep the user once per agent;
   * kept once per user name, the second device's keys would replace the first's.
   */
  @Test
  void agentsSharingAV3UserNameWithDifferentPassphrasesAreEachPolledWithTheirOwnCredential() throws Exception {
    // Each agent gets its own engine ID, as real agents have. net-snmp would make a random one per
    // persistent directory anyway; written here, the test does not rest on that default.
    Snmpd a = closeLater(Snmpd.start(List.of("engineID ifpulse-agent-a",
        "createUser %s SHA-256 \"%s\" AES \"%s\"".formatted(FLEET_USER, A_AUTH, A_PRIV), "rouser " + FLEET_USER + " priv")));
    Snmpd b = closeLater(Snmpd.start(List.of("engineID ifpulse-agent-b",
        "createUser %s SHA-256 \"%s\" AES \"%s\"".formatted(FLEET_USER, B_AUTH, B_PRIV), "rouser " + FLEET_USER + " priv")));
    closeLater(LoopbackTraffic.start(8_000_000L, 1000, Duration.ofSeconds(90)));

    // Preconditions: different engine IDs, and neither agent takes the other's passphrases, so
    // both being polled means each device used its own credential.
    assertNotEquals(engineId(a), engineId(b), "the agents' engine IDs");
    V3User userA = new V3User(FLEET_USER, AuthHMAC192SHA256.ID, A_AUTH, PrivAES128.ID, A_PRIV);
    V3User userB = new V3User(FLEET_USER, AuthHMAC192SHA256.ID, B_AUTH, PrivAES128.ID, B_PRIV);
    assertThrows(IOException.class, () -> getV3(a, userB), "agent a refuses b's passphrases");
    assertThrows(IOException.class, () -> getV3(b, userA), "agent b refuses a's passphrases");

    Main.Hub hub = hub(new JsonObject()
        .put("defaults", new JsonObject().put("intervalMs", 1000))
        .put("credentials", new JsonObject()
            .put("fleet-a", v3Credential(FLEET_USER, A_AUTH, A_PRIV))
            .put("fleet-b", v3Credential(FLEET_USER, B_AUTH, B_PRIV)))
        .put("devices", new JsonArray().add(loOnly("agent-a", a.port(), "fleet-a")).add(loOnly("agent-b", b.port(), "fleet-b"))));
    listen(hub, "agent-a");
    listen(hub, "agent-b");

    for (String[] d : new String[][] {{"agent-a", "fleet-a"}, {"agent-b", "fleet-b"}}) {
      awaitRates(d[0], Duration.ofSeconds(30));
      JsonObject row = listed(hub, d[0]);
      assertEquals(d[1], row.getString("credentials"));
      assertEquals("v3", row.getString("version"));
      assertEquals(Boolean.TRUE, row.getBoolean("reachable"), row.encode());
      assertEquals(1, row.getInteger("interfaces"), "lo discovered: " + row);
    }
    // Still both, a few polls later: neither registration undid the other.
    int aNow = samples.get("agent-a").size();
    int bNow = samples.get("agent-b").size();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> samples.get("agent-a").size() >= aNow + 3 && samples.get("agent-b").size() >= bNow + 3);
    for (String id : List.of("agent-a", "agent-b")) {
      List<JsonObject> s = samples.get(id);
      assertTrue(s.get(s.size() - 1).getBoolean("reachable"), id + ": " + s.get(s.size() - 1));
      assertTrue(statuses.get(id).stream().noneMatch(st -> "unreachable".equals(st.getString("event"))), id + ": " + statuses.get(id));
    }
  }

  /**
   * A device added with the wrong credential for an agent (same user name, the other agent's
   * passphrases: a slip, or an operator limited to other devices pointing one at this agent) must
   * fail on its own, and leave the device that has the right credential polled.
   */
  @Test
  void aDeviceWithTheWrongPassphrasesForAnAgentDoesNotStopAnotherDeviceOnThatAgent() throws Exception {
    Snmpd a = closeLater(Snmpd.start(List.of("engineID ifpulse-agent-a",
        "createUser %s SHA-256 \"%s\" AES \"%s\"".formatted(FLEET_USER, A_AUTH, A_PRIV), "rouser " + FLEET_USER + " priv")));
    closeLater(LoopbackTraffic.start(8_000_000L, 1000, Duration.ofSeconds(90)));
    Main.Hub hub = hub(new JsonObject()
        .put("defaults", new JsonObject().put("intervalMs", 1000))
        .put("credentials", new JsonObject()
            .put("fleet-a", v3Credential(FLEET_USER, A_AUTH, A_PRIV))
            .put("fleet-b", v3Credential(FLEET_USER, B_AUTH, B_PRIV)))
        .put("devices", new JsonArray().add(loOnly("agent-a", a.port(), "fleet-a"))));
    listen(hub, "agent-a");
    listen(hub, "wrong-on-a");
    awaitRates("agent-a", Duration.ofSeconds(30));

    HttpResponse<String> r = post(hub, loOnly("wrong-on-a", a.port(), "fleet-b"));
    assertEquals(201, r.statusCode(), r.body());
    awaitStatus("wrong-on-a", "unreachable", Duration.ofSeconds(15));

    // Ten more polls of agent-a after the wrong device tried its keys, or agent-a going unreachable.
    int from = samples.get("agent-a").size();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> samples.get("agent-a").size() >= from + 10
        || statuses.get("agent-a").stream().anyMatch(st -> "unreachable".equals(st.getString("event"))));
    assertTrue(statuses.get("agent-a").stream().noneMatch(st -> "unreachable".equals(st.getString("event"))),
        "agent-a never unreachable: " + statuses.get("agent-a"));
    List<JsonObject> after = samples.get("agent-a").subList(from, from + 10);
    assertTrue(after.stream().allMatch(s -> s.getBoolean("reachable")), "agent-a answered every poll: " + after);
  }

  private static String engineId(Snmpd agent) throws IOException {
    try (SnmpTestClient c = SnmpTestClient.open()) {
      Object v = c.getV2c(agent.port(), Snmpd.COMMUNITY, Duration.ofSeconds(2), SNMP_ENGINE_ID).get(new OID(SNMP_ENGINE_ID));
      return ((OctetString) v).toHexString();
    }
  }

  private static void getV3(Snmpd agent, V3User user) throws IOException {
    // A client of its own: SnmpTestClient keeps one set of keys per user name.
    try (SnmpTestClient c = SnmpTestClient.open()) {
      c.getV3(agent.port(), user, Duration.ofSeconds(2), Snmpd.SYS_UPTIME);
    }
  }
}
