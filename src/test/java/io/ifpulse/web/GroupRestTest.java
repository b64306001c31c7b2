package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.auth.Role;
import io.ifpulse.config.HubConfig;
import io.ifpulse.testing.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Groups created, changed and removed over REST on a real hub with simulated devices: a created
 * group publishes with the members its rules name, a change changes them, a removal stops it; a
 * viewer may not write, a bad body is refused naming the field, and the changes outlive a restart
 * (a config group removed stays removed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupRestTest {
  private static final String PW = "group-rest-password-1";
  private static final String UPLINKS = "{\"members\": [{\"device\": \"core-*\", \"interfaces\": {\"includeAlias\": \"^uplink\"}}]}";
  private String config;
  private Path groupsFile;
  private Main.Hub hub;
  private String op;
  private String viewer;
  private String coreOp;
  private final Vertx client = Vertx.vertx();

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-group-rest");
    Path users = new TestUsers().user("op", Role.OPERATOR, PW).user("viewer", Role.VIEWER, PW)
        .user("coreop", Role.OPERATOR, PW, "core-*").write(dir.resolve("users.json"));
    groupsFile = HubConfig.groupsFile(dir.resolve("devices.json"));
    config = """
        {"defaults": {"intervalMs": 1000},
         "web": {"auth": {"usersFile": "%s"}},
         "registry": {"file": "%s"},
         "devices": [{"id": "core-1", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "core-2", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "edge-1", "sim": {"model": "steady", "interfaces": 2}}],
         "groups": {"configured": {"members": [{"device": "edge-1"}]}}}""".formatted(users, dir.resolve("devices.json"));
    startHub();
  }

  private void startHub() throws Exception {
    hub = WebHubFixture.start(config);
    op = TestUsers.signIn(hub.httpPort(), "op", PW);
    viewer = TestUsers.signIn(hub.httpPort(), "viewer", PW);
    coreOp = TestUsers.signIn(hub.httpPort(), "coreop", PW);
  }

  @AfterAll
  void stop() {
    client.close().await();
    hub.close();
  }

  private HttpProbe.Response send(String cookie, String method, String path, String body) throws Exception {
    HttpProbe p = HttpProbe.to(hub.httpPort()).header("Cookie", cookie).header("Origin", "http://127.0.0.1:" + hub.httpPort());
    if (body != null) p = p.header("Content-Type", "application/json");
    return p.send(method, path, body);
  }

  private Set<String> listed() throws Exception {
    Set<String> out = new TreeSet<>();
    for (Object o : new JsonObject(send(op, "GET", "/api/groups", null).body()).getJsonArray("groups")) {
      out.add(((JsonObject) o).getString("name"));
    }
    return out;
  }

  @Test
  void createChangeRemoveAndRestart() throws Exception {
    try (BridgeClient c = BridgeClient.connect(client, hub.httpPort(), "http://127.0.0.1:" + hub.httpPort(), BridgeClient.options(),
        Map.of("Cookie", op), true)) {
      HttpProbe.Response created = send(op, "POST", "/api/groups/uplinks", UPLINKS);
      assertEquals(201, created.status(), created.body());
      c.register("ifpulse.group.uplinks"); // the bridge takes a registration for a group that exists
      assertTrue(new JsonObject(Files.readString(groupsFile)).getJsonObject("groups").containsKey("uplinks"), "kept in the groups file");
      assertEquals(Set.of("core-1", "core-2"), devices(awaitComplete(c, 2)));

      HttpProbe.Response changed = send(op, "PUT", "/api/groups/uplinks",
          "{\"members\": [{\"device\": \"*\", \"interfaces\": {\"includeAlias\": \"^uplink\"}}]}");
      assertEquals(200, changed.status(), changed.body());
      assertEquals(Set.of("core-1", "core-2", "edge-1"), devices(awaitComplete(c, 3)));

      assertEquals(201, send(op, "POST", "/api/groups/kept", UPLINKS).status());
      assertEquals(204, send(op, "DELETE", "/api/groups/configured", null).status(), "a config group is removed like a config device");
      assertEquals(204, send(op, "DELETE", "/api/groups/uplinks", null).status());
      assertEquals(404, send(op, "GET", "/api/groups/uplinks", null).status());
      assertEquals(404, send(op, "DELETE", "/api/groups/uplinks", null).status());
      // At most a window in flight when the removal was answered; then nothing for three windows.
      int atRemoval = c.received("ifpulse.group.uplinks").size();
      Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> c.received("ifpulse.group.uplinks").size() <= atRemoval + 1);
    }
    assertEquals(Set.of("kept"), listed());
    JsonArray audit = new JsonObject(send(op, "GET", "/api/audit", null).body()).getJsonArray("changes");
    assertTrue(audit.stream().anyMatch(r -> "uplinks".equals(((JsonObject) r).getString("group"))
        && "user op".equals(((JsonObject) r).getString("by"))), "the audit names the group and who changed it: " + audit);

    hub.close();
    startHub();
    assertEquals(Set.of("kept"), listed(), "after a restart: the created group is back, the removed config group is not");
  }

  @Test
  void viewersMayNotWriteAndBadBodiesAreRefusedNamingTheField() throws Exception {
    assertEquals(403, send(viewer, "POST", "/api/groups/mine", UPLINKS).status());
    assertEquals(403, send(viewer, "DELETE", "/api/groups/configured", null).status());
    // An operator limited to core-*: its own groups only, as with devices.
    assertEquals(403, send(coreOp, "POST", "/api/groups/mine", "{\"members\": [{\"device\": \"edge-1\"}]}").status());
    assertEquals(404, send(coreOp, "DELETE", "/api/groups/configured", null).status(), "a group naming edge-1 is not its to see");
    assertEquals(201, send(coreOp, "POST", "/api/groups/cores", UPLINKS).status());
    assertEquals(204, send(coreOp, "DELETE", "/api/groups/cores", null).status());
    Map<String, String> bad = Map.of(
        "{\"members\": []}", "group.members",
        "{\"members\": [{\"device\": \"bad glob!\"}]}", "group.members[0].device",
        "{\"members\": [{\"device\": \"core-1\"}], \"colour\": \"red\"}", "group.colour",
        "{\"members\": [{\"device\": \"core-1\", \"interfaces\": {\"includeAlias\": \"(\"}}]}", "group.members[0].interfaces.includeAlias",
        "[1, 2]", "JSON object");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      HttpProbe.Response r = send(op, "POST", "/api/groups/bad", e.getKey());
      assertEquals(400, r.status(), e.getKey() + ": " + r.body());
      assertTrue(r.body().contains(e.getValue()), e.getKey() + " names " + e.getValue() + ": " + r.body());
    }
    HttpProbe.Response badName = send(op, "POST", "/api/groups/bad%2Fname", UPLINKS);
    assertTrue(badName.status() == 400 || badName.status() == 404, badName.status() + " " + badName.body());
    assertTrue(!listed().contains("bad") && !listed().contains("mine"), "nothing refused was kept");
  }

  private static Set<String> devices(JsonObject sample) {
    Set<String> out = new TreeSet<>();
    for (Object o : sample.getJsonArray("stack")) out.add(((JsonObject) o).getString("device"));
    return out;
  }

  /** The first complete sample with this many members. */
  private static JsonObject awaitComplete(BridgeClient c, int members) {
    return c.await(f -> "ifpulse.group.uplinks".equals(f.getString("address")) && !f.getJsonObject("body").getBoolean("partial")
        && f.getJsonObject("body").getInteger("members") == members, Duration.ofSeconds(20)).getJsonObject("body");
  }
}
