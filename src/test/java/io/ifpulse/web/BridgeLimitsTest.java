package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.BridgeClient;
import io.ifpulse.Main;
import io.ifpulse.auth.Role;
import io.ifpulse.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What one client can hold of a node: registrations per socket, sockets per account and per node,
 * watch declarations per second, and how long a silent connection lives. Each refusal is counted
 * in /metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeLimitsTest {
  private Main.Hub hub;
  private int port;
  private String own;
  private TestUsers users;
  private final Vertx client = Vertx.vertx();

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-limits");
    users = new TestUsers().token("t1", Role.VIEWER).token("t2", Role.VIEWER).token("t3", Role.VIEWER).token("admin", Role.OPERATOR);
    Path file = users.write(dir.resolve("users.json"));
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "web": {"auth": {"usersFile": "%s"}, "maxHandlersPerSocket": 3, "maxSocketsPerUser": 2, "maxSockets": 4,
                 "watchesPerSecond": 1, "idleTimeoutS": 5},
         "devices": [{"id": "d1", "sim": {"model": "steady", "interfaces": 1}},
                     {"id": "d2", "sim": {"model": "steady", "interfaces": 1}}]}""".formatted(file));
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
  }

  @AfterAll
  void stop() {
    client.close().await();
    hub.close();
  }

  /** Every test starts with no socket left over from another. */
  @BeforeEach
  void noSockets() {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> health().getInteger("bridgeClients") == 0);
  }

  private BridgeClient socket(String token, boolean ping) {
    return BridgeClient.connect(client, port, own, BridgeClient.options(), Map.of("Authorization", "Bearer " + users.token(token)), ping);
  }

  private JsonObject health() throws Exception {
    return new JsonObject(HttpProbe.to(port).header("Authorization", "Bearer " + users.token("admin")).get("/health").body());
  }

  private long refused(String reason) throws Exception {
    String series = "ifpulse_bridge_refused_total{reason=\"" + reason + "\"} ";
    for (String line : HttpProbe.to(port).header("Authorization", "Bearer " + users.token("admin")).get("/metrics").body().split("\n")) {
      if (line.startsWith(series)) return (long) Double.parseDouble(line.substring(series.length()));
    }
    throw new AssertionError("no " + series);
  }

  @Test
  void registrationsPastTheSocketsCapAreRefusedAndCounted() throws Exception {
    long before = refused("registrations");
    try (BridgeClient c = socket("t1", true)) {
      c.register("ifpulse.traffic.d1");
      c.register("ifpulse.status.d1");
      c.register("ifpulse.alerts");
      c.register("ifpulse.traffic.d2");
      JsonObject err = c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
      assertEquals("rejected", err.getString("body"));
      assertEquals(before + 1, refused("registrations"));
      assertTrue(c.frames.stream().noneMatch(f -> "ifpulse.traffic.d2".equals(f.getString("address"))));
      c.await(f -> "ifpulse.traffic.d1".equals(f.getString("address")), Duration.ofSeconds(5));
    }
  }

  @Test
  void socketsPastTheAccountsCapAreClosedAndCounted() throws Exception {
    long before = refused("user-sockets");
    try (BridgeClient a = socket("t1", true); BridgeClient b = socket("t1", true); BridgeClient c = socket("t1", true)) {
      assertTrue(c.awaitClosed(Duration.ofSeconds(5)), "the third socket of one account is closed");
      assertFalse(a.isClosed() || b.isClosed(), "the first two stay");
      assertEquals(before + 1, refused("user-sockets"));
      try (BridgeClient other = socket("t2", true)) {
        other.register("ifpulse.traffic.d1");
        other.await(f -> "rec".equals(f.getString("type")), Duration.ofSeconds(5)); // another account is not held back
      }
    }
  }

  @Test
  void socketsPastTheNodesCapAreClosedAndCounted() throws Exception {
    long before = refused("node-sockets");
    List<BridgeClient> held = new ArrayList<>();
    try {
      for (String t : List.of("t1", "t1", "t2", "t2")) held.add(socket(t, true));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> health().getInteger("bridgeClients") == 4);
      try (BridgeClient fifth = socket("t3", true)) {
        assertTrue(fifth.awaitClosed(Duration.ofSeconds(5)), "a fifth socket on a node of four is closed");
      }
      assertEquals(before + 1, refused("node-sockets"));
    } finally {
      held.forEach(BridgeClient::close);
    }
  }

  /**
   * Frames that Vert.x's bridge answers with a log line each — an unknown type (logged with the type
   * the browser chose), a REGISTER of an address already registered or too long — cost the log one
   * line per kind, not one per frame; the registrations are refused and counted, and the socket
   * goes on working.
   */
  @Test
  void aBrowserCannotWriteTheLogFull() throws Exception {
    LogCapture bridge = LogCapture.on("io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl");
    List<LogRecord> bridgeLog = bridge.records;
    long before = refused("bad-register");
    try (BridgeClient c = socket("t1", true)) {
      c.register("ifpulse.traffic.d1");
      c.await(f -> "ifpulse.traffic.d1".equals(f.getString("address")), Duration.ofSeconds(5));
      String junk = "x".repeat(10_000); // under the hub's 16 KB frame limit
      for (int i = 0; i < 500; i++) {
        c.frame(new JsonObject().put("type", junk + i).put("address", "a"));
        c.register("ifpulse.traffic.d1");
        c.register("ifpulse.traffic." + "y".repeat(200) + i);
      }
      Awaitility.await("every frame answered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> c.frames.stream().filter(f -> "err".equals(f.getString("type"))).count() >= 1500);
      assertEquals(before + 1000, refused("bad-register"));
      assertTrue(bridgeLog.size() <= 1, "one line for the kind at most (none if another test wrote it first): "
          + bridgeLog.stream().map(r -> r.getMessage().length() + " chars").toList());
      for (LogRecord r : bridgeLog) assertTrue(r.getMessage().length() < 500, "cut short: " + r.getMessage().length());
      c.clear();
      c.await(f -> "ifpulse.traffic.d1".equals(f.getString("address")), Duration.ofSeconds(5));
    } finally {
      bridge.close();
    }
  }

  @Test
  void watchesPastTheRateAreDroppedAndCounted() throws Exception {
    long before = refused("watch");
    try (BridgeClient c = socket("t1", true)) {
      for (int i = 0; i < 30; i++) c.watch("d1");
      // A burst of ten (ten seconds' worth at one a second) passes; the other twenty are refused.
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> c.frames.stream().filter(f -> "err".equals(f.getString("type"))).count() >= 19);
      long refusedNow = refused("watch") - before;
      assertTrue(refusedNow >= 19 && refusedNow <= 21, "refused " + refusedNow + " of 30");
    }
  }

  @Test
  void aSocketThatStopsPingingIsClosedAndCounted() throws Exception {
    long before = refused("idle");
    try (BridgeClient silent = socket("t1", false)) {
      silent.register("ifpulse.traffic.d1");
      // The bridge expects a ping every 10 s and checks every 10 s.
      assertTrue(silent.awaitClosed(Duration.ofSeconds(25)), "a socket without pings is closed");
    }
    assertEquals(before + 1, refused("idle"));
  }

  @Test
  void aSilentOrHalfSentHttpConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    for (String sent : List.of("", "GET /api/devices HTTP/1.1\r\nHost: 127.0.0.1\r\n")) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
        s.setSoTimeout(15_000);
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        int read;
        try {
          while ((read = in.read()) != -1) { /* a 408 or nothing: wait for the close */ }
        } catch (SocketTimeoutException e) {
          throw new AssertionError("still open after 15 s (idle timeout 5 s), having sent " + sent.length() + " bytes");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds >= 4 && seconds < 10, "closed after " + seconds + " s");
      }
    }
  }
}
