package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.sim.SimDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the real hub started
 * in-process on the shipped default config (conf/ifpulse.json: this-host and the simulated
 * devices) with a free HTTP port and free simulator ports. The page reads everything the way a
 * person's browser does: static files, REST, and the SockJS event-bus bridge.
 *
 * <p>The tests share one hub and one browser and run in order: the overview, a device page
 * (whose watch puts sim-steady on the 1 s live interval), that device's interface chart, and
 * last a hub restart on the same port under the open page. Screenshots of each page go to
 * target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final Path CONFIG = Path.of("conf", "ifpulse.json");
  private static final String STEADY = "sim-steady";

  private Main.Hub hub;
  private int port;
  private long hubStartedAt;
  private ChromiumBrowser browser;
  private ChromeDriver driver;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void start() throws Exception {
    browser = ChromiumBrowser.start();
    driver = browser.driver;
    hub = startHub(0);
    port = hub.httpPort();
    assertTrue(port > 0, "the hub serves the dashboard");
  }

  @AfterAll
  void stop() {
    try {
      if (browser != null) browser.close();
    } finally {
      if (hub != null) hub.close();
    }
  }

  @AfterEach
  void noScriptErrors() {
    // Network errors while the hub restarts are expected; a script error never is.
    List<String> errors = browser.drainConsole().stream()
        .filter(l -> l.contains("Uncaught") || l.contains("TypeError") || l.contains("ReferenceError")
            || l.contains("SyntaxError"))
        .toList();
    assertTrue(errors.isEmpty(), "script errors in the page: " + errors);
  }

  private static final java.nio.file.Path REGISTRY = tempRegistry();

  private static java.nio.file.Path tempRegistry() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ifpulse-dashboard");
      dir.toFile().deleteOnExit();
      return dir.resolve("devices.json");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The shipped default config, on a free (port 0) or given HTTP port and free simulator ports. */
  private Main.Hub startHub(int httpPort) throws Exception {
    HubConfig config = ConfigLoader.load(CONFIG, Map.of(
        "IFPULSE__web__port", String.valueOf(httpPort),
        "IFPULSE__web__host", "127.0.0.1",
        "IFPULSE__simulator__basePort", "0",
        // Not the user's ~/.ifpulse: devices added there at run time must not change the test.
        "IFPULSE__registry__file", REGISTRY.toString(),
        // Open on loopback, whatever the user's own ~/.ifpulse/users.json holds.
        "IFPULSE__web__auth__usersFile", REGISTRY.resolveSibling("no-users.json").toString()));
    Main.Hub h = Main.start(config, false);
    hubStartedAt = System.currentTimeMillis();
    return h;
  }

  private String url(String hash) {
    return "http://127.0.0.1:" + port + "/" + hash;
  }

  /** Loads the page anew (not just a hash change): a fresh document, socket and backfill. */
  private void open(String hash) {
    driver.get("about:blank");
    driver.get(url(hash));
  }

  private <T> T waitFor(Duration timeout, String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
          + "\nconsole: " + browser.consoleSoFar(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T js(String script, Object... args) {
    return (T) driver.executeScript(script, args);
  }

  private String connectionState() {
    return driver.findElement(By.id("conn")).getDomAttribute("data-state");
  }

  private void awaitConnection(String state, Duration timeout) {
    waitFor(timeout, "connection indicator " + state, d -> state.equals(connectionState()));
  }

  private void screenshots(String name) throws Exception {
    browser.screenshot(name + "-light");
    driver.findElement(By.id("theme-btn")).click();
    waitFor(Duration.ofSeconds(2), "dark theme", d -> "dark".equals(js("return document.documentElement.dataset.theme")));
    // The charts rebuild in the new colours on the theme event; two animation frames later they are painted.
    ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(1)));");
    browser.screenshot(name + "-dark");
    driver.findElement(By.id("theme-btn")).click();
    waitFor(Duration.ofSeconds(2), "light theme", d -> "light".equals(js("return document.documentElement.dataset.theme")));
  }

  /** Every device row, by device id: the time of the sample it last showed, its in-rate and its state. */
  private Map<String, Object> deviceRows() {
    return js("""
        const out = {};
        for (const tr of document.querySelectorAll('#devices tbody tr[data-device]')) {
          out[tr.dataset.device] = {ts: tr.querySelector('td.last').dataset.ts || null, in: tr.querySelector('td.in').dataset.bps || null,
                                    status: tr.dataset.state};
        }
        return out;""");
  }

  @Test
  @Order(1)
  void overviewListsEveryDeviceWithLiveValues() throws Exception {
    open("#/");
    awaitConnection("connected", Duration.ofSeconds(10));
    List<String> ids = hub.devices().stream().map(DeviceConfig::id).toList();
    int configured = new JsonObject(java.nio.file.Files.readString(CONFIG)).getJsonArray("devices").size();
    assertEquals(configured, ids.size(), "every device of " + CONFIG);
    assertTrue(ids.contains("this-host") && ids.contains(STEADY) && ids.size() >= 10, "the default devices: " + ids);
    waitFor(Duration.ofSeconds(10), "a row per device", d -> deviceRows().keySet().containsAll(ids));
    assertEquals(ids.size(), deviceRows().size(), "one row per device, no more");

    // Live: rows start showing samples from the bus, then show newer ones.
    Map<String, Object> first = waitFor(Duration.ofSeconds(12), "samples on the overview", d -> {
      Map<String, Object> rows = deviceRows();
      long withTs = rows.values().stream().filter(r -> ((Map<?, ?>) r).get("ts") != null).count();
      return withTs >= 3 ? rows : null;
    });
    waitFor(Duration.ofSeconds(12), "a device row to move to a newer sample with a new value", d -> {
      Map<String, Object> now = deviceRows();
      for (String id : ids) {
        Map<?, ?> a = (Map<?, ?>) first.get(id);
        Map<?, ?> b = (Map<?, ?>) now.get(id);
        if (a.get("ts") != null && b.get("ts") != null && !a.get("ts").equals(b.get("ts"))
            && b.get("in") != null && !b.get("in").equals(a.get("in"))) {
          return true;
        }
      }
      return false;
    });
    Map<?, ?> steady = (Map<?, ?>) deviceRows().get(STEADY);
    assertEquals("up", steady.get("status"));
    assertEquals("unreachable", ((Map<?, ?>) waitFor(Duration.ofSeconds(5), "sim-silent unreachable",
        d -> "unreachable".equals(((Map<?, ?>) deviceRows().get("sim-silent")).get("status")) ? deviceRows().get("sim-silent") : null))
        .get("status"));
    // The first two readings of a device are gaps (a first reading, then a fresh anchor): wait for a rate.
    String text = (String) waitFor(Duration.ofSeconds(15), "a scaled rate for sim-steady", d -> {
      String t = driver.findElement(By.cssSelector("#devices tr[data-device='sim-steady'] td.in")).getText();
      return t.matches("[0-9.]+ (bit/s|kbit/s|Mbit/s|Gbit/s)") ? t : null;
    });
    assertTrue(text.endsWith("bit/s"), "scaled units: " + text);
    assertEquals("connected", connectionState());
    waitFor(Duration.ofSeconds(5), "the top-10 table", d -> js("return document.querySelectorAll('#top-util tbody tr:not([hidden])').length").equals(10L));
    screenshots("overview");
  }

  @Test
  @Order(2)
  void devicePageShowsTheSimulatorsGroundTruth() throws Exception {
    open("#/device/" + STEADY);
    awaitConnection("connected", Duration.ofSeconds(10));
    SimDevice sim = hub.simulator().device(STEADY);
    int count = sim.interfaces();
    waitFor(Duration.ofSeconds(10), "a row per interface",
        d -> js("return document.querySelectorAll('#interfaces tbody tr[data-ifindex]').length").equals((long) count));
    // The page watches the device: it goes to the 1 s live interval, and every row has a rate.
    waitFor(Duration.ofSeconds(10), "live interval on the device page",
        d -> "1000".equals(driver.findElement(By.cssSelector("#device-head dd.interval")).getDomAttribute("data-ms")));
    Map<String, Object> shown = waitFor(Duration.ofSeconds(10), "a rate in every row", d -> {
      Map<String, Object> m = js("""
          const out = {};
          for (const tr of document.querySelectorAll('#interfaces tbody tr[data-ifindex]')) {
            const bps = tr.querySelector('td.in').dataset.bps;
            if (bps === undefined) return null;
            out[tr.dataset.ifindex] = {bps: Number(bps), text: tr.querySelector('td.in').textContent, name: tr.dataset.name};
          }
          return out;""");
      return m;
    });
    double now = System.currentTimeMillis();
    List<String> report = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      int ifIndex = sim.ifIndex(n);
      Map<?, ?> row = (Map<?, ?>) shown.get(String.valueOf(ifIndex));
      assertNotNull(row, "row for ifIndex " + ifIndex);
      assertEquals(sim.ifName(n), row.get("name"));
      double expected = sim.expectedBps(ifIndex, true, now - 5000, now); // steady: any window
      double got = ((Number) row.get("bps")).doubleValue();
      report.add(row.get("name") + " " + row.get("text") + " (" + got + " vs " + expected + ")");
      assertEquals(expected, got, expected * 0.01, "in-rate of ifIndex " + ifIndex + " within 1 %: " + report);
    }
    System.out.println("DashboardBrowserTest: device page vs ground truth: " + report);

    // Sorting by a header button and filtering by the text box work on the live table.
    driver.findElement(By.cssSelector("#interfaces th.col-in button")).click();
    List<String> byIn = js("return [...document.querySelectorAll('#interfaces tbody tr')].map(r => r.dataset.name)");
    assertEquals(sim.ifName(count - 1), byIn.get(0), "first click on In sorts the largest rate first: " + byIn);
    driver.findElement(By.id("if-filter")).sendKeys("eth1");
    long visible = js("return document.querySelectorAll('#interfaces tbody tr:not([hidden])').length");
    assertEquals(1L, visible, "filter eth1");
    driver.findElement(By.id("if-filter")).clear();
    js("const f = document.getElementById('if-filter'); f.value = ''; f.dispatchEvent(new Event('input')); return 1");
    driver.findElement(By.cssSelector("#interfaces th.col-name button")).click();
    waitFor(Duration.ofSeconds(5), "sparklines drawn (2 points)", d -> ((Number) js(
        "return Number(document.querySelector('#interfaces tr[data-ifindex] canvas.spark').dataset.points || 0)")).longValue() >= 2);
    screenshots("device");
  }

  /** How many non-null points the history endpoint has for the interface. */
  private int historyPoints(String device, int ifIndex) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/api/devices/" + device + "/interfaces/" + ifIndex + "/history?seconds=900")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) return 0;
    JsonArray in = new JsonObject(r.body()).getJsonArray("inBps");
    int n = 0;
    for (Object o : in) if (o != null) n++;
    return n;
  }

  @Test
  @Order(3)
  void interfaceChartIsBackfilledThenGrowsLive() throws Exception {
    // Precondition on the server: 15 s of running and at least 10 points of history (the device
    // page of the previous test had sim-steady at 1 s; keep it watched until there are).
    if (!String.valueOf(driver.getCurrentUrl()).contains("#/device/" + STEADY)) open("#/device/" + STEADY);
    Awaitility.await("history has points to backfill").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> historyPoints(STEADY, 1) >= 12 && System.currentTimeMillis() - hubStartedAt >= 15_000);

    long loadStart = System.currentTimeMillis();
    open("#/device/" + STEADY + "/if/1");
    // Within 2 s of the page load, fewer than 10 live samples can have come: 10 points means backfill.
    long points = waitFor(Duration.ofSeconds(2), "the chart backfilled from the history (data-points >= 10)", d -> {
      Object p = js("const c = document.getElementById('chart'); return c ? Number(c.dataset.points) : 0");
      long n = ((Number) p).longValue();
      return n >= 10 ? n : null;
    });
    long took = System.currentTimeMillis() - loadStart;
    System.out.println("DashboardBrowserTest: chart backfilled with " + points + " points " + took + " ms after load");
    // Backfill, whatever the speed: more points than live samples (one a second) since the load.
    assertTrue(points > took / 1000 + 2, points + " points " + took + " ms after load: more than live samples alone");
    assertNotNull(driver.findElement(By.cssSelector("#chart .u-over")), "uPlot drew the chart");
    assertEquals("eth0", driver.findElement(By.id("chart")).getDomAttribute("data-name"));

    // ... and then grows with live samples (1 s: the page watches the device).
    waitFor(Duration.ofSeconds(8), "the chart to grow by 3 live points", d -> {
      long n = ((Number) js("return Number(document.getElementById('chart').dataset.points)")).longValue();
      return n >= points + 3;
    });
    assertEquals("connected", connectionState());

    // Pause holds the chart; resume catches up.
    driver.findElement(By.id("pause")).click();
    long held = ((Number) js("return Number(document.getElementById('chart').dataset.points)")).longValue();
    // Two more samples reach the history (and the paused page's socket) meanwhile.
    int before = historyPoints(STEADY, 1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> historyPoints(STEADY, 1) >= before + 2);
    long whilePaused = ((Number) js("return Number(document.getElementById('chart').dataset.points)")).longValue();
    assertEquals(held, whilePaused, "paused chart does not move");
    driver.findElement(By.id("pause")).click();
    long resumed = ((Number) js("return Number(document.getElementById('chart').dataset.points)")).longValue();
    assertTrue(resumed > held, "resume shows what came while paused: " + held + " -> " + resumed);

    // Values on hover: the legend shows the point under the cursor.
    // (offsets are from the element's centre: a point near the right edge, where the data is)
    org.openqa.selenium.WebElement over = driver.findElement(By.cssSelector("#chart .u-over"));
    new org.openqa.selenium.interactions.Actions(driver)
        .moveToElement(over, over.getSize().getWidth() / 2 - 40, 0).perform();
    String legend = driver.findElement(By.cssSelector("#chart .u-legend")).getText();
    assertTrue(legend.contains("bit/s") && !legend.contains("latest"), "legend values under the cursor: " + legend);
    screenshots("interface");
  }

  @Test
  @Order(4)
  void reconnectsToARestartedHubWithoutReload() throws Exception {
    if (!String.valueOf(driver.getCurrentUrl()).contains("/if/1")) open("#/device/" + STEADY + "/if/1");
    awaitConnection("connected", Duration.ofSeconds(10));
    js("window.__sameDocument = 'yes'; return 1");
    long before = ((Number) js("return Number(document.querySelector('#if-head dd.last').dataset.ts || 0)")).longValue();

    hub.close();
    hub = null;
    awaitConnection("reconnecting", Duration.ofSeconds(5));
    browser.screenshot("interface-reconnecting");

    hub = startHub(port);
    assertEquals(port, hub.httpPort(), "the new hub on the same port");
    awaitConnection("connected", Duration.ofSeconds(15));
    // Values move again: samples from the new hub (its watch is re-sent on reconnect).
    waitFor(Duration.ofSeconds(10), "a live value from the new hub", d -> {
      Number ts = js("return Number(document.querySelector('#if-head dd.last').dataset.ts || 0)");
      Object bps = js("return document.querySelector('#if-head dd.in').dataset.bps || null");
      return ts.longValue() > before && bps != null;
    });
    long p1 = ((Number) js("return Number(document.getElementById('chart').dataset.points)")).longValue();
    waitFor(Duration.ofSeconds(6), "the chart to grow after the reconnect",
        d -> ((Number) js("return Number(document.getElementById('chart').dataset.points)")).longValue() > p1);
    assertEquals("yes", js("return window.__sameDocument"), "no page reload");
    browser.screenshot("interface-reconnected");
  }
}
