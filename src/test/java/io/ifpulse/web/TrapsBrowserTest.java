package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.events.Addresses;
import io.ifpulse.sim.SimDevice;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A linkDown from net-snmp's snmptrap, seen in headless Chromium: the interface's row on the
 * device page says down within a second of the notification reaching the hub (both times on this
 * machine's clock: the notification's {@code ts}, and the moment the row's {@code data-oper}
 * changed, noted in the page), stays down through the poll the notification triggered (the
 * simulated agent's table still says up), and the notification is listed on the page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrapsBrowserTest {
  private static final String DEVICE = "edge";

  private Main.Hub hub;
  private ChromiumBrowser browser;
  private final List<JsonObject> notifications = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    browser = ChromiumBrowser.start();
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 10000, "liveIntervalMs": 1000}, "traps": {"port": 0},
         "devices": [{"id": "edge", "sim": {"model": "steady", "interfaces": 3}, "trapSource": "127.0.0.5"}]}""");
    hub.vertx().eventBus().<JsonObject>consumer(Addresses.traps(DEVICE), m -> notifications.add(m.body())).completion().await();
  }

  @AfterAll
  void stop() {
    try {
      if (browser != null) browser.close();
    } finally {
      if (hub != null) hub.close();
    }
  }

  private <T> T waitFor(Duration timeout, String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(browser.driver, timeout, Duration.ofMillis(50)).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "\nconsole: "
          + browser.consoleSoFar(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T js(String script, Object... args) {
    return (T) browser.driver.executeScript(script, args);
  }

  @Test
  void theInterfaceTurnsDownOnTheDevicePageWithinASecondOfTheTrap() throws Exception {
    SimDevice dev = hub.simulator().device(DEVICE);
    int ifIndex = dev.ifIndex(2);
    browser.driver.get("http://127.0.0.1:" + hub.httpPort() + "/#/device/" + DEVICE);
    String row = "#interfaces tbody tr[data-ifindex='" + ifIndex + "']";
    waitFor(Duration.ofSeconds(20), "the interface up, with a rate", d -> js("""
        const tr = document.querySelector(arguments[0]);
        return tr != null && tr.dataset.oper === 'up' && tr.querySelector('td.in').dataset.bps !== undefined;""", row));
    // Noted by the page itself, the moment it happens: no polling interval of the test in the figure.
    js("""
        window.downAt = null;
        const tr = document.querySelector(arguments[0]);
        new MutationObserver(() => { if (tr.dataset.oper === 'down' && window.downAt == null) window.downAt = Date.now(); })
          .observe(tr, {attributes: true, attributeFilter: ['data-oper']});""", row);
    Process p = new ProcessBuilder("snmptrap", "-v", "2c", "-c", "public", "--clientaddr=127.0.0.5", "127.0.0.1:" + hub.trapPort(), "",
        "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1." + ifIndex, "i", String.valueOf(ifIndex), "1.3.6.1.2.1.2.2.1.8." + ifIndex, "i", "2")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "snmptrap");
    Number downAt = waitFor(Duration.ofSeconds(20), "the row down", d -> js("return window.downAt;"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !notifications.isEmpty());
    long received = notifications.get(0).getLong("ts");
    long ms = downAt.longValue() - received;
    System.out.println("trap to row down: " + ms + " ms");
    assertTrue(ms <= 1000, "down on the page " + ms + " ms after the hub received the notification");

    // The poll it triggered (the agent's table still says up) keeps it down; and it is listed.
    long seq = Long.parseLong(js("return document.querySelector('#device-head').dataset.seq || '0';"));
    waitFor(Duration.ofSeconds(20), "a sample after the notification", d -> Long.parseLong(
        js("return document.querySelector('#device-head').dataset.seq || '0';")) > seq);
    assertEquals("down", js("return document.querySelector(arguments[0]).dataset.oper;", row));
    assertEquals("linkDown", js("return document.querySelector('#device-notifications li').dataset.name;"));
    assertEquals(String.valueOf(ifIndex), js("return document.querySelector('#device-notifications li').dataset.ifIndex;"));

    // Counted in /metrics.
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + hub.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("ifpulse_traps_total{outcome=\"accepted\"} 1"), metrics.body().lines()
        .filter(l -> l.contains("traps")).toList().toString());
  }
}
