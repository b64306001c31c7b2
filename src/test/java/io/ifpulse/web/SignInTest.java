package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hub with a users file, on loopback, through the real HTTP server: who may do what, sessions,
 * tokens, sign-out. Each test signs in for itself; none depends on another's side effects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInTest {
  private static final String OPS_PW = "operator-password-1";
  private static final String VIEW_PW = "viewer-password-1";

  private Path dir;
  private Path usersFile;
  private TestUsers users;
  private Main.Hub hub;
  private int port;
  private String own;
  private final Vertx client = Vertx.vertx();

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("ifpulse-signin");
    users = new TestUsers()
        .user("ops", Role.OPERATOR, OPS_PW)
        .user("view", Role.VIEWER, VIEW_PW)
        .user("leaver", Role.VIEWER, "leaver-password-1")
        .user("changer", Role.VIEWER, "changer-password-1")
        .token("prom", Role.VIEWER)
        .token("deploy", Role.OPERATOR);
    usersFile = users.write(dir.resolve("users.json"));
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "web": {"auth": {"usersFile": "%s"}},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "sw1", "sim": {"model": "steady", "interfaces": 2}}]}""".formatted(usersFile));
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
  }

  @AfterAll
  void stop() {
    client.close().await();
    hub.close();
  }

  private HttpProbe as(String cookie) {
    return HttpProbe.to(port).header("Cookie", cookie);
  }

  private HttpProbe bearer(String token) {
    return HttpProbe.to(port).header("Authorization", "Bearer " + token);
  }

  private HttpProbe change(HttpProbe p) {
    return p.header("Origin", own).header("Content-Type", "application/json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/devices", "/api/devices/sw1", "/api/devices/sw1/history", "/api/alerts", "/api/cluster",
      "/api/poller/timing", "/metrics", "/health", "/eventbus/info"})
  void anonymousRequestsGet401(String path) throws Exception {
    HttpProbe.Response r = HttpProbe.to(port).get(path);
    assertEquals(401, r.status(), path + ": " + r.body());
    assertFalse(r.body().contains("sw1"), "nothing of the hub in the answer");
  }

  @Test
  void theDashboardItselfAndReadinessArePublic() throws Exception {
    assertEquals(200, HttpProbe.to(port).get("/").status());
    assertEquals(200, HttpProbe.to(port).get("/js/app.js").status());
    assertEquals(200, HttpProbe.to(port).get("/ready").status());
    JsonObject who = new JsonObject(HttpProbe.to(port).get("/api/session").body());
    assertEquals("users", who.getString("mode"));
    assertNull(who.getValue("user"));
  }

  @Test
  void anAnonymousBridgeSocketIsRefused() {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> BridgeClient.connect(client, port, own));
    assertTrue(String.valueOf(e.getMessage()).contains("401"), e.toString());
  }

  @Test
  void aViewerReadsButCannotChange() throws Exception {
    String cookie = TestUsers.signIn(port, "view", VIEW_PW);
    assertEquals(200, as(cookie).get("/api/devices").status());
    assertEquals(200, as(cookie).get("/metrics").status());
    HttpProbe.Response post = change(as(cookie)).send("POST", "/api/devices", "{\"id\":\"v1\",\"host\":\"127.0.0.2\"}");
    assertEquals(403, post.status(), post.body());
    assertEquals(403, change(as(cookie)).send("PUT", "/api/devices/sw1", "{\"host\":\"127.0.0.2\"}").status());
    assertEquals(403, as(cookie).header("Origin", own).send("DELETE", "/api/devices/sw1", null).status());
    assertFalse(as(cookie).get("/api/devices").body().contains("\"v1\""));
  }

  @Test
  void anOperatorAddsAndRemovesDevices() throws Exception {
    String cookie = TestUsers.signIn(port, "ops", OPS_PW);
    HttpProbe.Response post = change(as(cookie)).send("POST", "/api/devices", "{\"id\":\"op-added\",\"host\":\"127.0.0.2\",\"port\":9,\"credentials\":\"lab\"}");
    assertEquals(201, post.status(), post.body());
    assertTrue(as(cookie).get("/api/devices").body().contains("\"op-added\""));
    assertEquals(204, as(cookie).header("Origin", own).send("DELETE", "/api/devices/op-added", null).status());
  }

  @Test
  void aSessionCookieIsHttpOnlyStrictAndNew() throws Exception {
    HttpProbe.Response r = change(HttpProbe.to(port)).header("Cookie", WebVerticle.SESSION_COOKIE + "=" + "a".repeat(64))
        .send("POST", "/api/session", new JsonObject().put("user", "view").put("password", VIEW_PW).encode());
    assertEquals(200, r.status(), r.body());
    String set = TestUsers.setCookie(r);
    assertTrue(set.toLowerCase(java.util.Locale.ROOT).contains("; httponly"), set); // attribute names are case-insensitive
    assertTrue(set.contains("SameSite=Strict"), set);
    assertFalse(set.contains("Secure"), "no Secure flag over plain HTTP (the browser would drop it): " + set);
    assertNotEquals(WebVerticle.SESSION_COOKIE + "=" + "a".repeat(64), TestUsers.cookie(r), "a session id the client chose is never adopted");
    JsonObject who = new JsonObject(r.body());
    assertEquals("view", who.getString("user"));
    assertEquals("viewer", who.getString("role"));
  }

  @Test
  void aWrongPasswordOrUnknownUserIsRefusedAlike() throws Exception {
    HttpProbe.Response wrong = change(HttpProbe.to(port).from("127.0.0.3"))
        .send("POST", "/api/session", new JsonObject().put("user", "view").put("password", "not-the-password").encode());
    HttpProbe.Response unknown = change(HttpProbe.to(port).from("127.0.0.3"))
        .send("POST", "/api/session", new JsonObject().put("user", "nobody").put("password", "not-the-password").encode());
    assertEquals(401, wrong.status());
    assertEquals(401, unknown.status());
    assertEquals(wrong.body(), unknown.body(), "the answer does not tell which user names exist");
    assertTrue(wrong.all("Set-Cookie").isEmpty(), "no session for a failed sign-in");
  }

  @Test
  void aChangeWithTheCookieNeedsTheHubsOrigin() throws Exception {
    String cookie = TestUsers.signIn(port, "ops", OPS_PW);
    String body = "{\"id\":\"no-origin\",\"host\":\"127.0.0.2\"}";
    assertEquals(403, as(cookie).header("Content-Type", "application/json").send("POST", "/api/devices", body).status());
    assertEquals(403, as(cookie).header("Content-Type", "application/json").header("Origin", "http://evil.example")
        .send("POST", "/api/devices", body).status());
    assertFalse(as(cookie).get("/api/devices").body().contains("no-origin"));
  }

  @Test
  void signOutEndsTheSessionAndClosesItsBridgeSocket() throws Exception {
    String cookie = TestUsers.signIn(port, "view", VIEW_PW);
    try (BridgeClient bridge = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", cookie), true)) {
      bridge.register("ifpulse.traffic.sw1");
      bridge.await(f -> "rec".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals(204, as(cookie).header("Origin", own).send("DELETE", "/api/session", null).status());
      assertTrue(bridge.awaitClosed(Duration.ofSeconds(5)), "the session's bridge socket is closed at sign-out");
    }
    assertEquals(401, as(cookie).get("/api/devices").status(), "the old cookie is worthless");
  }

  @Test
  void tokensServeScriptsWithoutCookiesOrOrigin() throws Exception {
    HttpProbe.Response metrics = bearer(users.token("prom")).get("/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains("ifpulse_interface_bits_per_second{device=\"sw1\""), "a scrape sees the device");
    assertEquals(401, bearer("ifp_" + "x".repeat(43)).get("/metrics").status(), "an unknown token");
    assertEquals(401, bearer("not-a-token").get("/metrics").status());
    assertEquals(403, bearer(users.token("prom")).header("Content-Type", "application/json")
        .send("POST", "/api/devices", "{\"id\":\"by-prom\",\"host\":\"127.0.0.2\"}").status(), "a viewer token cannot change");
    HttpProbe.Response deploy = bearer(users.token("deploy")).header("Content-Type", "application/json")
        .send("POST", "/api/devices", "{\"id\":\"by-deploy\",\"host\":\"127.0.0.2\",\"port\":9,\"credentials\":\"lab\"}");
    assertEquals(201, deploy.status(), "an operator token changes without cookie or Origin: " + deploy.body());
    assertEquals(204, bearer(users.token("deploy")).send("DELETE", "/api/devices/by-deploy", null).status());
  }

  @Test
  void aRemovedUserLosesSessionAndBridgeWithinSeconds() throws Exception {
    String cookie = TestUsers.signIn(port, "leaver", "leaver-password-1");
    try (BridgeClient bridge = BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Cookie", cookie), true)) {
      assertEquals(200, as(cookie).get("/api/devices").status());
      users.file().withoutUser("leaver").write(usersFile);
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> as(cookie).get("/api/devices").status() == 401);
      assertTrue(bridge.awaitClosed(Duration.ofSeconds(20)), "the removed user's bridge socket is closed by the periodic check");
    } finally {
      users.write(usersFile);
    }
  }

  @Test
  void aNewPasswordEndsTheOldSessions() throws Exception {
    String cookie = TestUsers.signIn(port, "changer", "changer-password-1");
    TestUsers changed = new TestUsers().user("changer", Role.VIEWER, "changer-password-2");
    var file = users.file().withUser(changed.file().users().get("changer"));
    file.write(usersFile);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> as(cookie).get("/api/devices").status() == 401);
      assertEquals(200, as(TestUsers.signIn(port, "changer", "changer-password-2")).get("/api/devices").status());
    } finally {
      users.write(usersFile);
    }
  }

  @Test
  void whoAmIShowsTheRoleAndDevices() throws Exception {
    JsonObject who = new JsonObject(as(TestUsers.signIn(port, "ops", OPS_PW)).get("/api/session").body());
    assertEquals("ops", who.getString("user"));
    assertEquals("operator", who.getString("role"));
    assertEquals(new JsonArray(), who.getJsonArray("devices"));
  }
}
