package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.events.Addresses;
import io.ifpulse.history.HistoryVerticle;
import io.ifpulse.poll.PollerVerticle;
import io.ifpulse.testing.LogCapture;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
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
    // A few samples of sw1 in the history, and the dead device's first timeout, before any test
    // looks: every test reads this state, none makes it.
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonObject sw1 = device("sw1");
      JsonObject dead = device("dead");
      return sw1 != null && sw1.getJsonObject("stats").getLong("polls") >= 4
          && json("/api/devices/sw1/interfaces/1/history?seconds=900").getJsonArray("ts").size() >= 4
          && dead != null && dead.getJsonObject("stats").getLong("timeouts") >= 1;
    });
  }

  /** A device id no other test uses: tests add and remove devices on the shared hub. */
  private static String uniqueId(String prefix) {
    return prefix + "-" + UNIQUE.incrementAndGet();
  }

  private static final java.util.concurrent.atomic.AtomicInteger UNIQUE = new java.util.concurrent.atomic.AtomicInteger();

  /** The entry of one device in GET /api/devices, or null. */
  private JsonObject device(String id) throws Exception {
    for (Object o : json("/api/devices").getJsonArray("devices")) {
      if (id.equals(((JsonObject) o).getString("id"))) return (JsonObject) o;
    }
    return null;
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
    // Other tests add devices for a while: look at this one's two by id, not at the whole list.
    JsonObject sw1 = device("sw1");
    assertNotNull(sw1);
    assertTrue(sw1.getBoolean("reachable"));
    assertEquals(3, sw1.getInteger("interfaces"));
    double expectedIn = hub.simulator().device("sw1").expectedBps(1, true, 0, 1)
        + hub.simulator().device("sw1").expectedBps(2, true, 0, 1) + hub.simulator().device("sw1").expectedBps(3, true, 0, 1);
    assertEquals(expectedIn, sw1.getDouble("inBps"), expectedIn * 0.01, "total in of the device");
    assertTrue(sw1.getJsonObject("stats").getLong("polls") >= 3, sw1.toString());
    JsonObject dead = device("dead");
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
    assertEquals("text/plain; version=0.0.4; charset=utf-8", m.headers().firstValue("content-type").orElse(""));
    // Every line is checked: one HELP and TYPE per family before its samples, quoted labels, numbers.
    Map<String, ExpositionParser.Family> f = ExpositionParser.parse(m.body(), false);
    assertEquals("gauge", f.get("ifpulse_interface_bits_per_second").type);
    double eth0In = f.get("ifpulse_interface_bits_per_second").value("device", "sw1", "direction", "in", "ifindex", "1", "name", "eth0");
    assertEquals(100e6, eth0In, 2e6, "the rate of the simulated 100 Mbit/s");
    assertEquals("counter", f.get("ifpulse_interface_counter_total").type);
    assertTrue(f.get("ifpulse_interface_counter_total").value("counter", "in_octets", "device", "sw1", "ifindex", "1", "name", "eth0") > 0,
        "raw counters");
    assertTrue(f.get("ifpulse_poll_timeouts_total").value("device", "dead") >= 1);
    assertEquals(0, f.get("ifpulse_device_reachable").value("device", "dead"));
    assertEquals(1, f.get("ifpulse_device_reachable").value("device", "sw1"));
    assertEquals(1, f.get("ifpulse_device_poll_interval_seconds").value("device", "sw1"));
    assertEquals(1, f.get("ifpulse_interface_oper_up").value("device", "sw1", "ifindex", "1", "name", "eth0"));
    assertEquals(1e9, f.get("ifpulse_interface_speed_bits").value("device", "sw1", "ifindex", "1", "name", "eth0"));
    assertEquals(0, f.get("ifpulse_bridge_dropped_messages_total").value());
    assertEquals(0, f.get("ifpulse_bridge_clients").value());
    assertEquals(0, f.get("ifpulse_http_refused_total").value("reason", "origin"));
    assertEquals("summary", f.get("ifpulse_poll_start_lateness_seconds").type);
    f.get("ifpulse_poll_start_lateness_seconds").value("quantile", "0.99");
    assertTrue(f.get("ifpulse_poll_duration_seconds").value("ifpulse_poll_duration_seconds_count", Map.of()) >= 1);
  }

  @Test
  void openMetricsWhenAskedFor() throws Exception {
    HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + "/metrics"))
        .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, m.statusCode());
    assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", m.headers().firstValue("content-type").orElse(""));
    assertTrue(m.body().endsWith("\n# EOF\n"), m.body());
    Map<String, ExpositionParser.Family> f = ExpositionParser.parse(m.body(), true);
    assertEquals("counter", f.get("ifpulse_poll_timeouts").type);
    assertTrue(f.get("ifpulse_poll_timeouts").value("ifpulse_poll_timeouts_total", Map.of("device", "dead")) >= 1);
  }

  /**
   * A scrape asks the history once, for all devices, and the poller once for each of its three
   * answers: twenty more devices cost no more requests on the bus (it was one request per device).
   */
  @Test
  void aScrapeCostsTheSameRequestsWhateverTheNumberOfDevices() throws Exception {
    Map<String, Integer> few = requestsOfOneScrape();
    assertEquals(Map.of(Addresses.HISTORY_CURRENT, 1, Addresses.POLLER_COUNTERS, 1, Addresses.POLLER_STATS, 1,
        Addresses.POLLER_TIMING, 1), few);
    int port = hub.simulator().port("sw1");
    int devicesBefore = ExpositionParser.parse(get("/metrics").body(), false).get("ifpulse_device_poll_interval_seconds").samples.size();
    List<String> added = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        String id = uniqueId("scale");
        HttpResponse<String> r = send("POST", "/api/devices",
            "{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"credentials\":\"lab\",\"intervalMs\":1000}");
        assertEquals(201, r.statusCode(), r.body());
        added.add(id);
      }
      // Their series are in the scrape once their first samples reach the history.
      String last = added.get(added.size() - 1);
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
          .until(() -> get("/metrics").body().contains("ifpulse_interface_bits_per_second{device=\"" + last + "\""));
      Map<String, ExpositionParser.Family> f = ExpositionParser.parse(get("/metrics").body(), false);
      assertEquals(devicesBefore + 20, f.get("ifpulse_device_poll_interval_seconds").samples.size(), "20 more");
      f.get("ifpulse_interface_bits_per_second").value("device", last, "direction", "in", "ifindex", "1", "name", "eth0");
      assertEquals(few, requestsOfOneScrape());
    } finally {
      for (String id : added) send("DELETE", "/api/devices/" + id, null);
    }
  }

  /** The requests one GET /metrics sends on the hub's bus to the history and the poller, by address. */
  private Map<String, Integer> requestsOfOneScrape() throws Exception {
    Map<String, Integer> requests = new java.util.concurrent.ConcurrentHashMap<>();
    Handler<DeliveryContext<Object>> count = dc -> {
      String address = dc.message().address();
      if (dc.message().replyAddress() != null && (address.startsWith("ifpulse.history.") || address.startsWith("ifpulse.poller."))) {
        requests.merge(address, 1, Integer::sum);
      }
      dc.next();
    };
    hub.vertx().eventBus().addOutboundInterceptor(count);
    try {
      assertEquals(200, get("/metrics").statusCode());
    } finally {
      hub.vertx().eventBus().removeOutboundInterceptor(count);
    }
    return new TreeMap<>(requests);
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
      assertEquals(h.getLong("p99"), decoded.getValueAtPercentile(99), key);
    }
    // How late polls start is PollSlotsTest's subject and a figure of the benchmarks, not
    // asserted here: the answer only has to agree with its own histograms.
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A body over the REST limit (64 KB) is answered 413 in the API's own shape and counted, and
   * costs the log nothing: without a handler of ours Vert.x logged a line for each such request.
   */
  @Test
  void aBodyOverTheLimitIsRefusedCountedAndNotLogged() throws Exception {
    try (LogCapture router = LogCapture.on("io.vertx.ext.web.RoutingContext")) {
      long before = (long) ExpositionParser.parse(get("/metrics").body(), false).get("ifpulse_http_refused_total").value("reason", "too-large");
      String big = "{\"id\":\"" + "x".repeat(200_000) + "\"}";
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = send(i % 2 == 0 ? "POST" : "PUT", i % 2 == 0 ? "/api/devices" : "/api/devices/sw1", big);
        assertEquals(413, r.statusCode());
        assertEquals("request body too large", new JsonObject(r.body()).getString("error"));
      }
      assertEquals(before + 20,
          (long) ExpositionParser.parse(get("/metrics").body(), false).get("ifpulse_http_refused_total").value("reason", "too-large"));
      assertEquals(List.of(), router.messages(), "nothing logged for them");
    }
    assertTrue(device("sw1") != null, "the device the PUTs named is unchanged and still there");
  }

  @Test
  void devicesAddedChangedAndRemovedAtRunTime() throws Exception {
    // The agent exists (the simulator serves "sw1"); a second device entry points at it.
    int port = hub.simulator().port("sw1");
    String id = uniqueId("edge");
    HttpResponse<String> bad = send("POST", "/api/devices", "{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":70000,\"credentials\":\"lab\"}");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("device.port = 70000"), bad.body());
    HttpResponse<String> created = send("POST", "/api/devices",
        "{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"credentials\":\"lab\",\"intervalMs\":1000}");
    assertEquals(201, created.statusCode(), created.body());
    assertTrue(!created.body().contains("public"), "no community in the answer");
    assertEquals("lab", new JsonObject(created.body()).getString("credentials"));
    assertEquals(409, send("POST", "/api/devices", "{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"credentials\":\"lab\"}").statusCode());
    Awaitility.await("the added device is polled and its samples reach the history").atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          JsonObject d = device(id);
          return d != null && d.getValue("lastTs") != null && d.getInteger("interfaces") == 3;
        });
    assertEquals(200, send("PUT", "/api/devices/" + id,
        "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"credentials\":\"lab\",\"intervalMs\":2000}").statusCode());
    assertEquals(204, send("DELETE", "/api/devices/" + id, null).statusCode());
    assertEquals(404, send("DELETE", "/api/devices/" + id, null).statusCode());
    Awaitility.await("the removed device leaves the list").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> device(id) == null);
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
