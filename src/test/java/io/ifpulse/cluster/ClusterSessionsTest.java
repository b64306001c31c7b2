package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.auth.DeviceScope;
import io.ifpulse.auth.Passwords;
import io.ifpulse.auth.UsersFile;
import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two web nodes of one cluster behind one name (a load balancer, or DNS round robin): a browser
 * that signs in on one and lands on the other stays signed in, and signing out on either ends the
 * session on both.
 */
class ClusterSessionsTest {
  private static final String PASSWORD = "viewer-password-1";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aSessionMadeOnOneWebNodeHoldsOnTheOtherUntilSignOut() throws Exception {
    List<String> ids = ClusterNodes.ids("s", 2);
    Path dir = Files.createTempDirectory("ifpulse-cluster-sessions");
    Path users = dir.resolve("users.json");
    UsersFile.EMPTY.withUser(new UsersFile.Entry("view", io.ifpulse.auth.Role.VIEWER, Passwords.hash(PASSWORD, 10), DeviceScope.ALL))
        .write(users);
    try (Simulator sim = ClusterNodes.simulator(ids);
        ClusterNodes nodes = new ClusterNodes("sessions", ClusterNodes.config(ClusterNodes.ports(sim, ids)))
            .env("IFPULSE__web__auth__usersFile", users.toString())) {
      nodes.startAndWait(0, Role.ALL, Duration.ofSeconds(90));
      nodes.startAndWait(1, Role.WEB, Duration.ofSeconds(90));
      int a = nodes.node(0).httpPort;
      int b = nodes.node(1).httpPort;

      HttpResponse<String> signIn = send(a, "POST", "/api/session", null, new JsonObject().put("user", "view").put("password", PASSWORD).encode());
      assertEquals(200, signIn.statusCode(), signIn.body());
      String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

      assertEquals(200, send(a, "GET", "/api/devices", cookie, null).statusCode(), "signed in where it signed in");
      assertEquals(200, send(b, "GET", "/api/devices", cookie, null).statusCode(), "and on the other web node at once");
      char last = cookie.charAt(cookie.length() - 1);
      String other = cookie.substring(0, cookie.length() - 1) + (last == '0' ? '1' : '0');
      assertEquals(401, send(b, "GET", "/api/devices", other, null).statusCode(), "another id is nobody's session");

      assertEquals(204, send(b, "DELETE", "/api/session", cookie, null).statusCode());
      assertEquals(401, send(a, "GET", "/api/devices", cookie, null).statusCode(), "signed out on both");
      assertEquals(401, send(b, "GET", "/api/devices", cookie, null).statusCode());
    }
  }

  private HttpResponse<String> send(int port, String method, String path, String cookie, String body) throws Exception {
    String origin = "http://127.0.0.1:" + port;
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (!"GET".equals(method)) r.header("Origin", origin);
    if (body != null) r.header("Content-Type", "application/json");
    if (cookie != null) r.header("Cookie", cookie);
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
