package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attacks of a hostile web page on a hub an operator runs open on loopback, each tried the
 * way a browser would send it, through the real HTTP server. The page can make the browser POST
 * "simple" bodies (text/plain, forms, multipart) cross-site with no preflight, and with DNS
 * rebinding it can even reach the hub under its own name. None of it may add a device, and the
 * hub must send nothing to the host the page names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsrfAndRebindingTest {
  private Main.Hub hub;
  private int port;
  private String own;

  @BeforeAll
  void start() throws Exception {
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 300, "retries": 0},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "sw1", "sim": {"model": "steady", "interfaces": 2}}]}""");
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  private HttpProbe probe() {
    return HttpProbe.to(port);
  }

  /** The would-be device: a UDP socket on 127.0.0.2 that fails the test if the hub writes to it. */
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

  private boolean listed(String id) throws IOException {
    JsonObject devices = new JsonObject(probe().get("/api/devices").body());
    return devices.getJsonArray("devices").stream().anyMatch(o -> id.equals(((JsonObject) o).getString("id")));
  }

  @ParameterizedTest(name = "{0} from {1}")
  @CsvSource(textBlock = """
      text/plain,                         http://evil.example, 403
      application/x-www-form-urlencoded,  http://evil.example, 403
      multipart/form-data,                http://evil.example, 403
      text/plain,                         null,                403
      text/plain,                         OWN,                 415
      application/x-www-form-urlencoded,  OWN,                 415
      multipart/form-data,                OWN,                 415
      text/plain,                         NONE,                415
      """)
  void simpleBodiesAddNoDeviceAndSendNoDatagram(String type, String origin, int expected) throws Exception {
    try (DatagramSocket target = wouldBeDevice()) {
      String id = "csrf-" + Math.abs((type + origin).hashCode());
      String json = new JsonObject().put("id", id).put("host", "127.0.0.2").put("port", target.getLocalPort()).put("credentials", "lab").encode();
      String contentType = type;
      String body = json;
      if (type.startsWith("application/x-www-form")) {
        body = "id=" + id + "&host=127.0.0.2&port=" + target.getLocalPort() + "&credentials=lab";
      } else if (type.startsWith("multipart")) {
        contentType = "multipart/form-data; boundary=XyZ";
        body = "--XyZ\r\nContent-Disposition: form-data; name=\"device\"; filename=\"d.json\"\r\nContent-Type: application/json\r\n\r\n"
            + json + "\r\n--XyZ--\r\n";
      }
      HttpProbe p = probe().header("Content-Type", contentType);
      if (!"NONE".equals(origin)) p = p.header("Origin", "OWN".equals(origin) ? own : origin);
      Path uploads = Path.of("file-uploads");
      boolean uploadsBefore = Files.exists(uploads);

      HttpProbe.Response r = p.send("POST", "/api/devices", body);

      assertEquals(expected, r.status(), r.body());
      assertNull(datagram(target), "the hub sent nothing to the host the page named");
      assertFalse(listed(id), "no device added");
      if (!uploadsBefore) assertFalse(Files.exists(uploads), "no upload directory left behind");
    }
  }

  /** The control: the same device as application/json from the hub's own page is added and walked. */
  @Test
  void aJsonChangeFromTheHubsOwnPageIsAcceptedAndTheDeviceContacted() throws Exception {
    try (DatagramSocket target = wouldBeDevice()) {
      String json = new JsonObject().put("id", "own-page").put("host", "127.0.0.2").put("port", target.getLocalPort()).put("credentials", "lab")
          .encode();
      HttpProbe.Response r = probe().header("Content-Type", "application/json").header("Origin", own).send("POST", "/api/devices", json);
      assertEquals(201, r.status(), r.body());
      assertNotNull(datagram(target), "the new device is asked for its interfaces at once");
      assertEquals(204, probe().header("Origin", own).send("DELETE", "/api/devices/own-page", null).status());
    }
  }

  @Test
  void aJsonChangeFromAForeignPageIsRefused() throws Exception {
    String json = new JsonObject().put("id", "foreign-json").put("host", "127.0.0.2").put("credentials", "lab").encode();
    HttpProbe.Response r = probe().header("Content-Type", "application/json").header("Origin", "http://evil.example")
        .send("POST", "/api/devices", json);
    assertEquals(403, r.status());
    assertEquals(403, probe().header("Origin", "http://evil.example").send("DELETE", "/api/devices/sw1", null).status());
    assertTrue(listed("sw1") && !listed("foreign-json"));
  }

  /** DNS rebinding: the attacker's name resolves to 127.0.0.1, so Host and Origin agree and are both foreign. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(textBlock = """
      GET,  /api/devices
      GET,  /api/devices/sw1
      GET,  /metrics
      GET,  /health
      GET,  /eventbus/info
      GET,  /
      POST, /api/devices
      """)
  void aForeignHostIsRefused(String method, String path) throws Exception {
    HttpProbe evil = probe().header("Host", "evil.test:" + port).header("Origin", "http://evil.test:" + port)
        .header("Content-Type", "application/json");
    HttpProbe.Response r = evil.send(method, path, "POST".equals(method) ? "{\"id\":\"rebound\",\"host\":\"127.0.0.2\"}" : null);
    assertEquals(421, r.status(), r.body());
    assertFalse(r.body().contains("sw1"), "nothing of the hub's data in the refusal: " + r.body());
    // The same request under one of the hub's own names is served.
    HttpProbe.Response ok = probe().header("Host", "localhost:" + port).get("GET".equals(method) ? path : "/api/devices");
    assertEquals(200, ok.status(), path);
  }

  @Test
  void theBridgesWebSocketRefusesAForeignHost() throws Exception {
    assertEquals(421, upgrade("evil.test:" + port, "http://evil.test:" + port));
    assertEquals(421, upgrade("evil.test:" + port, null));
    assertEquals(101, upgrade("127.0.0.1:" + port, own), "the hub's own name still opens the bridge");
  }

  /** The status line of a WebSocket upgrade to the bridge with this Host and Origin. */
  private int upgrade(String host, String origin) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      String req = "GET /eventbus/websocket HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
      OutputStream out = s.getOutputStream();
      out.write(req.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c; (c = in.read()) != -1 && c != '\n'; ) line.append((char) c);
      return Integer.parseInt(line.toString().split(" ")[1]);
    }
  }

  @Test
  void refusalsAreCountedInMetrics() throws Exception {
    long before = counter("ifpulse_http_refused_total{reason=\"host\"}");
    probe().header("Host", "rebind.example:" + port).get("/api/devices");
    assertEquals(before + 1, counter("ifpulse_http_refused_total{reason=\"host\"}"));
    long ct = counter("ifpulse_http_refused_total{reason=\"content-type\"}");
    probe().header("Content-Type", "text/plain").send("POST", "/api/devices", "{}");
    assertEquals(ct + 1, counter("ifpulse_http_refused_total{reason=\"content-type\"}"));
  }

  private long counter(String series) throws IOException {
    for (String line : probe().get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) return (long) Double.parseDouble(line.substring(series.length() + 1));
    }
    throw new AssertionError("no " + series + " in /metrics");
  }

  @Test
  void responsesCarryTheSecurityHeaders() throws Exception {
    HttpProbe.Response r = probe().get("/");
    assertEquals(200, r.status());
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertEquals("DENY", r.header("X-Frame-Options"));
    assertTrue(r.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
    assertNull(r.header("Strict-Transport-Security"), "no HSTS over plain HTTP");
  }
}
