package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.auth.Role;
import io.ifpulse.testing.LogCapture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secrets stay in the operator's config file. Whoever may add devices over the API (an operator,
 * or anyone at all on an open loopback hub) can point a device anywhere: if the API took a
 * community or passphrase, or expanded {@code ${VAR}} in one, it could make the hub send the
 * node's environment to a host of its choosing. So the API takes a credential's name only, a
 * REST device never falls back to the defaults' community, and every change is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsOverRestTest {
  private static final String LAB_COMMUNITY = "lab-community-3318";
  private static final String DEFAULTS_COMMUNITY = "defaults-community-6620";
  /** What {@code ${IFPULSE_TEST_UNSET_VAR:-...}} would expand to: the expansion needs no variable set. */
  private static final String FALLBACK = "fallback-secret-4471";
  private static final String LITERAL_PASSPHRASE = "literal-passphrase-5512";

  private Main.Hub hub;
  private int port;
  private String own;
  /** What the hub logs (everything under io.ifpulse) while a test runs. */
  private LogCapture logged;

  @BeforeAll
  void start() throws Exception {
    logged = LogCapture.on("io.ifpulse");
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 300, "retries": 0, "community": "%s"},
         "credentials": {"lab": {"community": "%s"}},
         "devices": [{"id": "sim-lab", "credentials": "lab", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "sim-defaults", "sim": {"model": "steady", "interfaces": 2}}]}""".formatted(DEFAULTS_COMMUNITY, LAB_COMMUNITY));
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
  }

  @AfterAll
  void stop() {
    logged.close();
    hub.close();
  }

  private HttpProbe.Response post(JsonObject body) throws IOException {
    return HttpProbe.to(port).header("Content-Type", "application/json").header("Origin", own).send("POST", "/api/devices", body.encode());
  }

  private boolean listed(String id) throws IOException {
    JsonObject devices = new JsonObject(HttpProbe.to(port).get("/api/devices").body());
    return devices.getJsonArray("devices").stream().anyMatch(o -> id.equals(((JsonObject) o).getString("id")));
  }

  /** The would-be device: a UDP socket on 127.0.0.2 that records what the hub sends it. */
  private static DatagramSocket wouldBeDevice() throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
    s.setSoTimeout(3000);
    return s;
  }

  /** The first datagram within the socket's timeout, or null. */
  private static byte[] datagram(DatagramSocket s) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    try {
      s.receive(p);
      return java.util.Arrays.copyOf(p.getData(), p.getLength());
    } catch (SocketTimeoutException none) {
      return null;
    }
  }

  /** What must never come back, in an answer or a log: the texts of the secrets and what they would expand to. */
  private static List<String> secretTexts() {
    List<String> out = new ArrayList<>(List.of("HOME", "PATH", "IFPULSE_TEST_UNSET_VAR", FALLBACK, LITERAL_PASSPHRASE));
    for (String v : new String[] {System.getProperty("user.home"), System.getenv("HOME"), System.getenv("PATH")}) {
      if (v != null && v.length() > 1) out.add(v);
    }
    return out;
  }

  private static JsonObject v3Block(String authPassphrase, String privPassphrase) {
    return new JsonObject().put("user", "opsuser").put("authProtocol", "SHA-256").put("authPassphrase", authPassphrase)
        .put("privProtocol", "AES-128").put("privPassphrase", privPassphrase);
  }

  static Stream<Arguments> bodiesWithSecrets() {
    return Stream.of(
        Arguments.of("a community from the environment", new JsonObject().put("community", "${HOME}"), "device.community"),
        Arguments.of("a community with a fallback", new JsonObject().put("community", "${IFPULSE_TEST_UNSET_VAR:-" + FALLBACK + "}"),
            "device.community"),
        Arguments.of("a v3 block from the environment", new JsonObject().put("version", "v3").put("v3", v3Block("${HOME}", "${PATH}")),
            "device.v3"),
        Arguments.of("a v3 block written out", new JsonObject().put("version", "v3").put("v3", v3Block(LITERAL_PASSPHRASE, LITERAL_PASSPHRASE)),
            "device.v3"),
        Arguments.of("a credential and a community", new JsonObject().put("credentials", "lab").put("community", "${HOME}"), "device.community"),
        Arguments.of("a credential and a v3 block", new JsonObject().put("credentials", "lab").put("v3", v3Block("${HOME}", LITERAL_PASSPHRASE)),
            "device.v3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodiesWithSecrets")
  void aBodyWithASecretIsRefusedNamingTheFieldAndNothingIsSent(String name, JsonObject secret, String field) throws Exception {
    try (DatagramSocket target = wouldBeDevice()) {
      String id = "secret-" + Math.abs(name.hashCode());
      JsonObject body = new JsonObject().put("id", id).put("host", "127.0.0.2").put("port", target.getLocalPort()).mergeIn(secret);

      HttpProbe.Response r = post(body);

      assertEquals(400, r.status(), r.body());
      assertTrue(r.body().contains(field), "names " + field + ": " + r.body());
      for (String s : secretTexts()) assertFalse(r.body().contains(s), "the answer shows nothing of the value (" + s + "): " + r.body());
      assertNull(datagram(target), "the hub sent nothing to the host in the body");
      assertFalse(listed(id), "no device added");
      assertNoSecretLogged();
    }
  }

  @Test
  void aChangeOfAnExistingDeviceWithACommunityIsRefusedAndTheDeviceKeepsItsCredential() throws Exception {
    HttpProbe.Response r = HttpProbe.to(port).header("Content-Type", "application/json").header("Origin", own)
        .send("PUT", "/api/devices/sim-lab", new JsonObject().put("host", "127.0.0.2").put("community", "${HOME}").encode());
    assertEquals(400, r.status(), r.body());
    assertTrue(r.body().contains("device.community"), r.body());
    JsonObject d = new JsonObject(HttpProbe.to(port).get("/api/devices/sim-lab").body()).getJsonObject("device");
    assertEquals("lab", d.getString("credentials"));
    assertEquals("127.0.0.1", d.getString("host"), "unchanged");
  }

  /** The control: the same device naming a credential is added and asked for its interfaces at once. */
  @Test
  void theSameDeviceNamingACredentialIsAcceptedAndContactedWithThatCredential() throws Exception {
    try (DatagramSocket target = wouldBeDevice()) {
      JsonObject body = new JsonObject().put("id", "named-ok").put("host", "127.0.0.2").put("port", target.getLocalPort()).put("credentials", "lab");

      HttpProbe.Response r = post(body);

      assertEquals(201, r.status(), r.body());
      JsonObject answer = new JsonObject(r.body());
      assertEquals("lab", answer.getString("credentials"));
      assertEquals("v2c", answer.getString("version"));
      assertFalse(r.body().contains(LAB_COMMUNITY), "the answer names the credential, never its community");
      byte[] request = datagram(target);
      assertNotNull(request, "the new device is walked at once");
      String bytes = new String(request, StandardCharsets.ISO_8859_1);
      assertTrue(bytes.contains(LAB_COMMUNITY), "sent with the credential's community");
      assertFalse(bytes.contains(DEFAULTS_COMMUNITY), "never with the defaults' community");
      assertEquals(204, HttpProbe.to(port).header("Origin", own).send("DELETE", "/api/devices/named-ok", null).status());
      assertNoSecretLogged();
    }
  }

  static Stream<Arguments> badCredentialNames() {
    return Stream.of(
        Arguments.of("no credentials", null),
        Arguments.of("an unknown name", "nope"),
        Arguments.of("an empty name", ""),
        Arguments.of("a number", 42),
        Arguments.of("an object", new JsonObject().put("community", LITERAL_PASSPHRASE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCredentialNames")
  void aDeviceMustNameACredentialThisNodeHas(String name, Object credentials) throws Exception {
    try (DatagramSocket target = wouldBeDevice()) {
      String id = "cred-" + Math.abs(name.hashCode());
      JsonObject body = new JsonObject().put("id", id).put("host", "127.0.0.2").put("port", target.getLocalPort());
      if (credentials != null) body.put("credentials", credentials);

      HttpProbe.Response r = post(body);

      assertEquals(400, r.status(), r.body());
      assertTrue(r.body().contains("device.credentials"), r.body());
      assertFalse(r.body().contains(LITERAL_PASSPHRASE), r.body());
      assertNull(datagram(target), "nothing sent");
      assertFalse(listed(id));
    }
  }

  /**
   * The defaults lend a REST device its timing, never their community: against an agent that
   * answers the credential's community the device is polled; against one that answers only the
   * defaults' community it is not.
   */
  @Test
  void theDefaultsCommunityIsNeverUsedForARestDevice() throws Exception {
    int labAgent = hub.simulator().port("sim-lab");
    int defaultsAgent = hub.simulator().port("sim-defaults");
    assertEquals(201, post(new JsonObject().put("id", "rest-on-lab").put("host", "127.0.0.1").put("port", labAgent).put("credentials", "lab"))
        .status());
    assertEquals(201, post(new JsonObject().put("id", "rest-on-defaults").put("host", "127.0.0.1").put("port", defaultsAgent)
        .put("credentials", "lab")).status());
    try {
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
        JsonObject d = device("rest-on-lab");
        return d.getValue("lastTs") != null && Boolean.TRUE.equals(d.getBoolean("reachable"));
      });
      // The other agent is alive: the config's own device, with the defaults' community, is polled.
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
          .until(() -> device("sim-defaults").getValue("lastTs") != null);
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
          .until(() -> Boolean.FALSE.equals(device("rest-on-defaults").getBoolean("reachable")));
      assertNull(device("rest-on-defaults").getValue("lastTs"), "no sample from the agent that only knows the defaults' community");
      assertNoSecretLogged();
    } finally {
      HttpProbe.to(port).header("Origin", own).send("DELETE", "/api/devices/rest-on-lab", null);
      HttpProbe.to(port).header("Origin", own).send("DELETE", "/api/devices/rest-on-defaults", null);
    }
  }

  private JsonObject device(String id) throws IOException {
    HttpProbe.Response r = HttpProbe.to(port).get("/api/devices/" + id);
    assertEquals(200, r.status(), id + ": " + r.body());
    return new JsonObject(r.body()).getJsonObject("device");
  }

  /** Nothing the hub logged so far carries a secret of the config or of a refused body. */
  private void assertNoSecretLogged() {
    StringBuilder all = new StringBuilder();
    for (LogRecord r : logged.records) all.append(r.getMessage()).append('\n');
    for (String s : List.of(LAB_COMMUNITY, DEFAULTS_COMMUNITY, FALLBACK, LITERAL_PASSPHRASE)) {
      assertFalse(all.toString().contains(s), "no " + s + " in the log:\n" + all);
    }
  }

  /** Who changed the device list, seen by operators: a hub with users and tokens. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Audit {
    private static final String OPS_PW = "audit-operator-password-1";
    private static final String VIEW_PW = "audit-viewer-password-1";
    private TestUsers users;
    private Main.Hub usersHub;
    private int usersPort;
    private String usersOrigin;
    private String aliceCookie;
    private LogCapture audit;

    @BeforeAll
    void changeTheDeviceListAsThreeAccounts() throws Exception {
      audit = LogCapture.on("io.ifpulse.audit");
      Path dir = Files.createTempDirectory("ifpulse-audit");
      users = new TestUsers()
          .user("alice", Role.OPERATOR, OPS_PW)
          .user("vic", Role.VIEWER, VIEW_PW)
          .token("deploy", Role.OPERATOR)
          .token("cust-a-ops", Role.OPERATOR, "cust-a-*");
      Path usersFile = users.write(dir.resolve("users.json"));
      usersHub = WebHubFixture.start("""
          {"defaults": {"intervalMs": 1000, "timeoutMs": 300, "retries": 0, "community": "%s"},
           "web": {"auth": {"usersFile": "%s"}},
           "credentials": {"lab": {"community": "%s"}},
           "devices": [{"id": "sw1", "credentials": "lab", "sim": {"model": "steady", "interfaces": 1}}]}"""
          .formatted(DEFAULTS_COMMUNITY, usersFile, LAB_COMMUNITY));
      usersPort = usersHub.httpPort();
      usersOrigin = "http://127.0.0.1:" + usersPort;
      aliceCookie = TestUsers.signIn(usersPort, "alice", OPS_PW);

      HttpProbe alice = HttpProbe.to(usersPort).header("Cookie", aliceCookie).header("Origin", usersOrigin).header("Content-Type", "application/json");
      assertEquals(201, alice.send("POST", "/api/devices",
          new JsonObject().put("id", "cust-a-1").put("host", "127.0.0.2").put("port", 9).put("credentials", "lab").encode()).status());
      assertEquals(201, alice.send("POST", "/api/devices",
          new JsonObject().put("id", "other-1").put("host", "127.0.0.2").put("port", 9).put("credentials", "lab").encode()).status());
      HttpProbe.Response put = HttpProbe.to(usersPort).from("127.0.0.5").header("Authorization", "Bearer " + users.token("deploy"))
          .header("Content-Type", "application/json").send("PUT", "/api/devices/cust-a-1",
              new JsonObject().put("host", "127.0.0.3").put("port", 9).put("credentials", "lab").put("tags", new JsonArray().add("edge")).encode());
      assertEquals(200, put.status(), put.body());
      assertEquals(204, HttpProbe.to(usersPort).header("Cookie", aliceCookie).header("Origin", usersOrigin)
          .send("DELETE", "/api/devices/cust-a-1", null).status());
    }

    @AfterAll
    void stopUsersHub() {
      audit.close();
      if (usersHub != null) usersHub.close();
    }

    private HttpProbe.Response audit(HttpProbe as) throws IOException {
      return as.get("/api/audit");
    }

    private List<JsonObject> changes(HttpProbe.Response r) {
      assertEquals(200, r.status(), r.body());
      List<JsonObject> out = new ArrayList<>();
      new JsonObject(r.body()).getJsonArray("changes").forEach(o -> out.add((JsonObject) o));
      return out;
    }

    @Test
    void anOperatorSeesWhoChangedWhatFromWhereNewestFirst() throws Exception {
      List<JsonObject> c = changes(audit(HttpProbe.to(usersPort).header("Cookie", aliceCookie)));

      assertEquals(List.of("cust-a-1 removed", "cust-a-1 changed", "other-1 added", "cust-a-1 added"),
          c.stream().map(r -> r.getString("device") + " " + r.getString("action")).toList(), c.toString());
      JsonObject removed = c.get(0);
      JsonObject changed = c.get(1);
      JsonObject added = c.get(3);
      assertEquals("user alice", removed.getString("by"));
      assertEquals("127.0.0.1", removed.getString("from"));
      assertEquals("token deploy", changed.getString("by"));
      assertEquals("127.0.0.5", changed.getString("from"), "the address the change came from");
      assertEquals(new JsonArray().add("host").add("tags"), changed.getJsonArray("fields"), "the names of the fields it changed");
      assertEquals("127.0.0.3", changed.getJsonObject("entry").getString("host"), "the device as it is after the change");
      assertEquals("user alice", added.getString("by"));
      assertEquals("127.0.0.1", added.getString("from"));
      assertEquals("lab", added.getJsonObject("entry").getString("credentials"));
      assertNull(removed.getValue("entry"), "a removed device has no entry after the change");
      for (int i = 1; i < c.size(); i++) {
        assertTrue(c.get(i - 1).getLong("ts") >= c.get(i).getLong("ts"), "newest first: " + c);
      }
      assertTrue(added.getLong("ts") > System.currentTimeMillis() - 120_000, "ts in epoch milliseconds: " + added);
    }

    @Test
    void noRecordCarriesACommunity() throws Exception {
      String body = audit(HttpProbe.to(usersPort).header("Authorization", "Bearer " + users.token("deploy"))).body();
      assertFalse(body.contains(LAB_COMMUNITY), body);
      assertFalse(body.contains(DEFAULTS_COMMUNITY), body);
      assertFalse(body.contains("\"community\""), body);
    }

    @Test
    void aViewerMayNotReadTheAuditNorAnyoneSignedOut() throws Exception {
      String vic = TestUsers.signIn(usersPort, "vic", VIEW_PW);
      HttpProbe.Response r = audit(HttpProbe.to(usersPort).header("Cookie", vic));
      assertEquals(403, r.status(), r.body());
      assertFalse(r.body().contains("cust-a-1"), r.body());
      assertEquals(401, audit(HttpProbe.to(usersPort)).status());
    }

    @Test
    void aLimitedOperatorSeesOnlyTheRecordsOfItsDevices() throws Exception {
      List<JsonObject> c = changes(audit(HttpProbe.to(usersPort).header("Authorization", "Bearer " + users.token("cust-a-ops"))));
      assertEquals(List.of("removed", "changed", "added"), c.stream().map(r -> r.getString("action")).toList(), c.toString());
      assertTrue(c.stream().allMatch(r -> "cust-a-1".equals(r.getString("device"))), "nothing of other-1: " + c);
    }

    @Test
    void eachChangeIsLoggedOnTheAuditLogger() {
      assertTrue(audit.messages().contains("device cust-a-1 added by user alice from 127.0.0.1"), audit.messages().toString());
      assertTrue(audit.messages().contains("device cust-a-1 changed by token deploy from 127.0.0.5 (host, tags)"), audit.messages().toString());
      assertTrue(audit.messages().contains("device cust-a-1 removed by user alice from 127.0.0.1"), audit.messages().toString());
      assertTrue(audit.messages().contains("device other-1 added by user alice from 127.0.0.1"), audit.messages().toString());
    }
  }
}
