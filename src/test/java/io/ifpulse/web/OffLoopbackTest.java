package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ifpulse.testing.NetworkNamespace;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safe defaults of a hub that listens beyond loopback, over a real network path: the hub runs
 * as its own JVM inside a network namespace, bound to its end of a veth pair, and this JVM reaches
 * it from the other end, as a machine on the LAN would (see {@link NetworkNamespace}; needs root).
 *
 * <p>Without a users file such a hub refuses to start; with one, nothing but the sign-in answers an
 * anonymous request and the roles hold; {@code web.auth.mode: none} is the operator's explicit way
 * out, and it says so in the log.
 */
class OffLoopbackTest {
  private static final String VIEWER = "vera";
  private static final String OPERATOR = "otto";
  private static final String VIEWER_PASSWORD = "viewer-pass-0123";
  private static final String OPERATOR_PASSWORD = "operator-pass-4567";
  /** A fresh namespace has every port free and the hub is the only process in it. */
  private static final int PORT = 18080;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private NetworkNamespace ns;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void createNamespace() {
    ns = NetworkNamespace.create();
  }

  @AfterEach
  void removeNamespace() throws InterruptedException {
    if (ns == null) return; // creating it failed, and said why
    try {
      for (Process p : processes) stop(p);
    } finally {
      ns.close(); // fails the test if the namespace or the veth pair remains
    }
    assertFalse(ns.exists(), ns + " is gone");
    assertFalse(ns.linkExists(), ns + ": the veth pair is gone");
  }

  @Test
  void withoutUsersFileRefusesToStartNamingHostAndHowToAddUser() throws Exception {
    Path users = dir.resolve("users.json");
    Process hub = startHub(config(users, null), "none");
    assertTrue(hub.waitFor(30, TimeUnit.SECONDS), "exits by itself; stderr: " + stderr("none"));
    String err = stderr("none");
    assertEquals(2, hub.exitValue(), err);
    assertTrue(err.contains("web.host = \"" + ns.insideAddress() + "\""), "names web.host and its value: " + err);
    assertTrue(err.contains("--add-user"), "says how to add a user: " + err);
    assertTrue(err.contains(users.toString()), "names the users file it looked for: " + err);
    // The refusal itself speaks of "the dashboard"; these are the lines of things that started.
    for (String started : List.of("polling", "dashboard at", "dashboard on", "simulator:", "node ready")) {
      assertFalse(err.contains(started), "nothing started (\"" + started + "\"): " + err);
    }
    assertFalse(Files.exists(users), "no users file made up");
    assertFalse(Files.exists(dir.resolve("devices.json")), "no registry written");
  }

  @Test
  void withUsersNothingAnswersAnonymouslyAndRolesHold() throws Exception {
    Path users = dir.resolve("users.json");
    addUser(users, VIEWER, "viewer", VIEWER_PASSWORD);
    addUser(users, OPERATOR, "operator", OPERATOR_PASSWORD);
    Process hub = startHub(config(users, null), "hub");
    awaitReady(hub, "hub");

    for (String path : List.of("/api/devices", "/metrics", "/health", "/eventbus/info")) {
      HttpResponse<String> r = get(path, null);
      assertEquals(401, r.statusCode(), "anonymous GET " + path + ": " + r.body());
    }
    assertEquals(401, webSocketUpgrade(null), "anonymous WebSocket upgrade to the bridge");
    assertEquals(401, post("/api/devices", null, device("anonymous-added")).statusCode(), "anonymous POST /api/devices");

    String viewer = signIn(VIEWER, VIEWER_PASSWORD, "viewer");
    // The hub saw this JVM at the far end of the veth, not on loopback.
    awaitCondition("the sign-in in the hub's log", Duration.ofSeconds(10),
        () -> stderr("hub").contains("user " + VIEWER + " signed in from " + ns.outsideAddress()));
    assertTrue(deviceIds(viewer).contains("demo"), "the viewer sees the configured device");
    // The same paths answer a signed-in user: the 401s above were about the missing account.
    for (String path : List.of("/metrics", "/health", "/eventbus/info")) {
      HttpResponse<String> r = get(path, viewer);
      assertEquals(200, r.statusCode(), "viewer GET " + path + ": " + r.body());
    }
    assertEquals(101, webSocketUpgrade(viewer), "the viewer's WebSocket upgrade to the bridge");
    HttpResponse<String> refused = post("/api/devices", viewer, device("viewer-added"));
    assertEquals(403, refused.statusCode(), "a viewer may not add a device: " + refused.body());

    String operator = signIn(OPERATOR, OPERATOR_PASSWORD, "operator");
    HttpResponse<String> created = post("/api/devices", operator, device("operator-added"));
    assertEquals(201, created.statusCode(), "the operator adds a device: " + created.body());
    assertEquals("operator-added", new JsonObject(created.body()).getString("id"));

    awaitCondition("operator-added in GET /api/devices", Duration.ofSeconds(15),
        () -> deviceIds(operator).contains("operator-added"));
    List<String> seen = deviceIds(viewer);
    assertTrue(seen.contains("operator-added"), "the viewer sees it too: " + seen);
    assertFalse(seen.contains("viewer-added"), "the viewer's refused POST added nothing: " + seen);
    assertFalse(seen.contains("anonymous-added"), "the anonymous POST added nothing: " + seen);
  }

  @Test
  void authModeNoneStartsOpenAndWarnsThatAnyoneCanChangeDevices() throws Exception {
    Path users = dir.resolve("users.json");
    Process hub = startHub(config(users, "none"), "open");
    awaitReady(hub, "open");
    awaitCondition("the warning in the log", Duration.ofSeconds(10), () -> stderr("open").contains("change the device list"));
    String warning = stderr("open").lines().filter(l -> l.contains("change the device list")).findFirst().orElseThrow();
    assertTrue(warning.contains("WARNING"), "logged as a warning: " + warning);
    assertTrue(warning.contains("anyone who reaches " + origin() + "/"), "names who and where: " + warning);

    HttpResponse<String> r = get("/api/devices", null);
    assertEquals(200, r.statusCode(), "anonymous GET /api/devices: " + r.body());
    assertTrue(ids(new JsonObject(r.body())).contains("demo"), r.body());
    assertFalse(Files.exists(users), "no users file made up");
  }

  // ---- the hub

  private String config(Path users, String authMode) {
    JsonObject auth = new JsonObject().put("usersFile", users.toString());
    if (authMode != null) auth.put("mode", authMode);
    return new JsonObject()
        .put("simulator", new JsonObject().put("basePort", 0))
        .put("registry", new JsonObject().put("file", dir.resolve("devices.json").toString()))
        .put("web", new JsonObject().put("host", ns.insideAddress()).put("port", PORT).put("auth", auth))
        .put("credentials", new JsonObject().put("lab", new JsonObject().put("community", "public")))
        .put("devices", new JsonArray().add(new JsonObject().put("id", "demo")
            .put("sim", new JsonObject().put("model", "steady").put("interfaces", 2))))
        .encodePrettily();
  }

  /** Main in its own JVM inside the namespace, stderr to {@code <name>.stderr}. */
  private Process startHub(String config, String name) throws IOException {
    Path cfg = dir.resolve(name + ".json");
    Files.writeString(cfg, config);
    List<String> java = List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "io.ifpulse.Main", "--config", cfg.toString());
    Process p = new ProcessBuilder(ns.inside(java))
        .redirectError(dir.resolve(name + ".stderr").toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    processes.add(p);
    return p;
  }

  /** Ready when Main says so and /ready answers over the veth; fails early if the hub died. */
  private void awaitReady(Process hub, String name) throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("no answer yet");
    try {
      Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!hub.isAlive()) fail("the hub exited with " + hub.exitValue() + " before it was ready: " + stderr(name));
        if (!stderr(name).contains("ifpulse: node ready")) return false;
        try {
          HttpResponse<String> r = get("/ready", null);
          last.set(r.statusCode() + " " + r.body());
          return r.statusCode() == 200;
        } catch (IOException e) {
          last.set(e.toString());
          return false;
        }
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      fail("the hub was not ready on " + origin() + " within " + START_TIMEOUT + " (" + last.get() + "): " + stderr(name));
    }
  }

  /** Adds a user with the real command line, the password as one line on standard input. */
  private void addUser(Path users, String name, String role, String password) throws Exception {
    Path err = dir.resolve("add-" + name + ".stderr");
    Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"), "io.ifpulse.Main",
        "--users-file", users.toString(), "--add-user", name, "--role", role)
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    try (OutputStream in = p.getOutputStream()) {
      in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "--add-user " + name + " finishes");
    assertEquals(0, p.exitValue(), "--add-user " + name + ": " + Files.readString(err));
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String stderr(String name) {
    try {
      Path f = dir.resolve(name + ".stderr");
      return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read: " + e + ")";
    }
  }

  private static void stop(Process p) throws InterruptedException {
    if (!p.isAlive()) return;
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  // ---- HTTP over the veth, as a browser on another machine would send it

  private String origin() {
    return "http://" + ns.insideAddress() + ":" + PORT;
  }

  private HttpRequest.Builder request(String path, String cookie) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(15))
        .header("Origin", origin());
    if (cookie != null) b.header("Cookie", cookie);
    return b;
  }

  private HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
    return http.send(request(path, cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String cookie, JsonObject body) throws IOException, InterruptedException {
    return http.send(request(path, cookie).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in; returns the session cookie as a Cookie header value. */
  private String signIn(String user, String password, String role) throws Exception {
    HttpResponse<String> r = post("/api/session", null, new JsonObject().put("user", user).put("password", password));
    assertEquals(200, r.statusCode(), user + " signs in: " + r.body());
    JsonObject who = new JsonObject(r.body());
    assertEquals(user, who.getString("user"), r.body());
    assertEquals(role, who.getString("role"), r.body());
    String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ifpulse-session="))
        .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst().orElse(null);
    assertNotNull(cookie, "a session cookie: " + r.headers().map());
    return cookie;
  }

  private List<String> deviceIds(String cookie) {
    try {
      HttpResponse<String> r = get("/api/devices", cookie);
      assertEquals(200, r.statusCode(), "GET /api/devices: " + r.body());
      return ids(new JsonObject(r.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> ids(JsonObject devices) {
    return devices.getJsonArray("devices").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static JsonObject device(String id) {
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", 1161).put("credentials", "lab");
  }

  /** The HTTP status of a WebSocket upgrade to the bridge's raw endpoint: 101 when it opened. */
  private int webSocketUpgrade(String cookie) throws Exception {
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).header("Origin", origin());
    if (cookie != null) b.header("Cookie", cookie);
    URI uri = URI.create("ws://" + ns.insideAddress() + ":" + PORT + "/eventbus/websocket");
    try {
      WebSocket ws = b.buildAsync(uri, new WebSocket.Listener() {}).get(15, TimeUnit.SECONDS);
      ws.abort();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) return h.getResponse().statusCode();
      throw e;
    }
  }

  private static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
  }
}
