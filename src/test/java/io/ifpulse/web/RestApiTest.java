package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
  private Main.Hub hub;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "sw1", "sim": {"model": "steady", "interfaces": 3, "rateMbps": 100}},
                     {"id": "dead", "timeoutMs": 200, "retries": 0, "sim": {"model": "steady", "silent": true}}]}""");
    Thread.sleep(6000); // a few samples into the history
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    return new JsonObject(r.body());
  }

  @Test
  void devicesWithStatusAndPollStatistics() throws Exception {
    JsonArray devices = json("/api/devices").getJsonArray("devices");
    devices = new JsonArray(devices.stream().filter(o -> !"edge-9".equals(((JsonObject) o).getString("id"))).toList());
    assertEquals(2, devices.size());
    JsonObject sw1 = devices.getJsonObject(0);
    assertEquals("sw1", sw1.getString("id"));
    assertTrue(sw1.getBoolean("reachable"));
    assertEquals(3, sw1.getInteger("interfaces"));
    double expectedIn = hub.simulator().device("sw1").expectedBps(1, true, 0, 1)
        + hub.simulator().device("sw1").expectedBps(2, true, 0, 1) + hub.simulator().device("sw1").expectedBps(3, true, 0, 1);
    assertEquals(expectedIn, sw1.getDouble("inBps"), expectedIn * 0.01, "total in of the device");
    assertTrue(sw1.getJsonObject("stats").getLong("polls") >= 3, sw1.toString());
    JsonObject dead = devices.getJsonObject(1);
    assertEquals(false, dead.getBoolean("reachable"));
    assertTrue(dead.getJsonObject("stats").getLong("timeouts") >= 1, dead.toString());
    assertEquals("timeout", dead.getJsonObject("stats").getString("lastError"));
  }

  @Test
  void deviceInterfacesWithMetadataAndCurrentRates() throws Exception {
    JsonObject d = json("/api/devices/sw1");
    JsonArray ifs = d.getJsonArray("interfaces");
    assertEquals(3, ifs.size());
    JsonObject eth0 = ifs.getJsonObject(0);
    assertEquals("eth0", eth0.getString("name"));
    assertEquals(1_000_000_000L, eth0.getLong("speedBps"));
    assertNotNull(eth0.getString("alias"));
    assertEquals("up", eth0.getString("admin"));
    assertEquals("ok", eth0.getJsonObject("rate").getString("state"));
    assertEquals(100e6, eth0.getJsonObject("rate").getDouble("inBps"), 1e6);
    assertEquals(404, get("/api/devices/nope").statusCode());
  }

  @Test
  void historyOfAnInterfaceAndOfADevice() throws Exception {
    JsonObject h = json("/api/devices/sw1/interfaces/1/history?seconds=900");
    JsonArray ts = h.getJsonArray("ts");
    JsonArray in = h.getJsonArray("inBps");
    assertTrue(ts.size() >= 4, "backfill has the samples so far: " + h);
    assertEquals(ts.size(), in.size());
    assertNull(in.getValue(0), "the first reading is a gap, served as null");
    assertEquals(100e6, in.getDouble(in.size() - 1), 1e6);
    for (int i = 1; i < ts.size(); i++) assertTrue(ts.getLong(i) > ts.getLong(i - 1));
    JsonObject window = json("/api/devices/sw1/interfaces/1/history?seconds=2");
    assertTrue(window.getJsonArray("ts").size() <= 3, "the window is honoured: " + window);
    JsonObject all = json("/api/devices/sw1/history");
    assertEquals(3, all.getJsonObject("interfaces").size());
    assertEquals(400, get("/api/devices/sw1/history?seconds=abc").statusCode());
    assertEquals(404, get("/api/devices/sw1/interfaces/99/history").statusCode());
  }

  @Test
  void healthReadyAndPrometheusMetrics() throws Exception {
    assertEquals("UP", json("/health").getString("status"));
    assertEquals(true, json("/ready").getBoolean("ready"));
    HttpResponse<String> m = get("/metrics");
    assertEquals(200, m.statusCode());
    String text = m.body();
    assertTrue(text.contains("# TYPE ifpulse_interface_bits_per_second gauge"), text);
    assertTrue(text.matches("(?s).*ifpulse_interface_bits_per_second\\{device=\"sw1\",ifindex=\"1\",name=\"eth0\",direction=\"in\"} 1\\.0\\d*E8.*")
        || text.matches("(?s).*ifpulse_interface_bits_per_second\\{device=\"sw1\",ifindex=\"1\",name=\"eth0\",direction=\"in\"} 9\\.9\\d*E7.*"), text);
    assertTrue(text.contains("ifpulse_interface_counter_total{device=\"sw1\",ifindex=\"1\",name=\"eth0\",counter=\"in_octets\"}"), "raw counters");
    assertTrue(text.contains("ifpulse_poll_timeouts_total{device=\"dead\"}"));
    assertTrue(text.contains("ifpulse_device_reachable{device=\"dead\"} 0"));
    assertTrue(text.contains("ifpulse_bridge_dropped_messages_total 0"));
    assertTrue(text.contains("ifpulse_bridge_clients 0"));
    // Every family has one TYPE line.
    long types = text.lines().filter(l -> l.startsWith("# TYPE ifpulse_interface_bits_per_second")).count();
    assertEquals(1, types);
    assertTrue(text.contains("# TYPE ifpulse_poll_start_lateness_seconds summary"), text);
    assertTrue(text.matches("(?s).*\nifpulse_poll_duration_seconds_count [1-9]\\d*\n.*"), text);
  }

  /** Poll timing comes as whole histograms that decode to the counts shown beside them. */
  @Test
  void pollTimingHistograms() throws Exception {
    JsonObject t = json("/api/poller/timing");
    for (String key : new String[] {"startLatenessUs", "durationUs"}) {
      JsonObject h = t.getJsonObject(key);
      byte[] bytes = java.util.Base64.getDecoder().decode(h.getString("histogram"));
      org.HdrHistogram.Histogram decoded = org.HdrHistogram.Histogram.decodeFromCompressedByteBuffer(
          java.nio.ByteBuffer.wrap(bytes), 0);
      assertTrue(h.getLong("count") > 0, key + ": " + h.encode());
      assertEquals(h.getLong("count"), decoded.getTotalCount(), key);
      assertEquals(h.getLong("max"), decoded.getMaxValue(), key);
    }
    // Polls keep their slots on an idle hub: a late start is a scheduling bug (or a blocked loop).
    assertTrue(t.getJsonObject("startLatenessUs").getLong("p99") < 200_000, t.encode());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void devicesAddedChangedAndRemovedAtRunTime() throws Exception {
    // The agent exists (the simulator serves "sw1"); a second device entry points at it.
    int port = hub.simulator().port("sw1");
    HttpResponse<String> bad = send("POST", "/api/devices", "{\"id\":\"edge-9\",\"host\":\"127.0.0.1\",\"port\":70000,\"credentials\":\"lab\"}");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("device.port = 70000"), bad.body());
    HttpResponse<String> created = send("POST", "/api/devices",
        "{\"id\":\"edge-9\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"credentials\":\"lab\",\"intervalMs\":1000}");
    assertEquals(201, created.statusCode(), created.body());
    assertTrue(!created.body().contains("public"), "no community in the answer");
    assertEquals("lab", new JsonObject(created.body()).getString("credentials"));
    assertEquals(409, send("POST", "/api/devices", "{\"id\":\"edge-9\",\"host\":\"127.0.0.1\",\"credentials\":\"lab\"}").statusCode());
    long end = System.nanoTime() + 15_000_000_000L;
    JsonObject edge = null;
    while (System.nanoTime() < end) {
      for (Object o : json("/api/devices").getJsonArray("devices")) {
        JsonObject d = (JsonObject) o;
        if ("edge-9".equals(d.getString("id")) && d.getValue("lastTs") != null && d.getInteger("interfaces") == 3) edge = d;
      }
      if (edge != null) break;
      Thread.sleep(200);
    }
    assertNotNull(edge, "the added device is polled and its samples reach the history");
    assertEquals(200, send("PUT", "/api/devices/edge-9",
        "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"credentials\":\"lab\",\"intervalMs\":2000}").statusCode());
    assertEquals(204, send("DELETE", "/api/devices/edge-9", null).statusCode());
    assertEquals(404, send("DELETE", "/api/devices/edge-9", null).statusCode());
    Thread.sleep(300);
    assertTrue(json("/api/devices").getJsonArray("devices").stream().noneMatch(o -> "edge-9".equals(((JsonObject) o).getString("id"))));
  }

  @Test
  void securityHeadersAndNoCdn() throws Exception {
    HttpResponse<String> r = get("/api/devices");
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    assertEquals(200, get("/vendor/uplot/uPlot.iife.min.js").statusCode());
    assertEquals(200, get("/vendor/sockjs/sockjs.min.js").statusCode());
    // SockJS's iframe page points at the hub's own copy of the library.
    assertTrue(get("/eventbus/iframe.html").body().contains("/vendor/sockjs/sockjs.min.js"));
  }
}
