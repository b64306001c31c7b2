package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.GroupSample;
import io.ifpulse.testing.HubUnderTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A group's page in real headless Chromium: linked from the overview and from the group's alert in
 * the alerts panel, it shows the total of the very sample the hub published for the window it
 * names, and one stacked part per member; its chart draws the group's history before the live
 * samples, then grows with them; and once the group is removed over REST, it says so.
 */
class GroupPageBrowserTest {

  @Test
  void theGroupPageShowsTheTotal() throws Exception {
    try (HubUnderTest hub = HubUnderTest.start("""
        {"defaults": {"intervalMs": 1000},
         "devices": [{"id": "core-1", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 100}},
                     {"id": "core-2", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 300}}],
         "groups": {"uplinks": {"members": [{"device": "core-*", "interfaces": {"includeAlias": "^uplink"}}],
                                "alerts": {"utilisation": {"utilisationPct": 2, "utilisationClearPct": 1, "forSeconds": 0}}}}}""", Map.of());
        ChromiumBrowser browser = ChromiumBrowser.start()) {
      Map<Long, GroupSample> published = new ConcurrentHashMap<>();
      hub.hub().vertx().eventBus().<GroupSample>consumer(Addresses.group("uplinks"), m -> published.put(m.body().ts(), m.body()));
      ChromeDriver driver = browser.driver;
      String base = "http://127.0.0.1:" + hub.hub().httpPort() + "/";
      driver.get(base + "#/");
      wait(driver, "the overview's link to the group", d -> d.findElements(By.cssSelector("#groups-list a[href='#/group/uplinks']")).size() == 1);
      // The group runs at 20 %, over its 2 % level: its alert is in the panel, linked to its page.
      String alertLink = "#alerts-panel li[data-alert-id='group:uplinks/utilisation'] a[href='#/group/uplinks']";
      driver.findElement(By.id("alerts-btn")).click();
      wait(driver, "the group's alert in the alerts panel", d -> d.findElements(By.cssSelector(alertLink)).size() == 1);
      driver.findElement(By.cssSelector(alertLink)).click();
      // A complete sample shown: both members in the stack, no partial notice.
      wait(driver, "a complete sample on the page", d -> d.findElements(By.cssSelector("#group-stack .seg")).size() == 2
          && !d.findElement(By.id("group-partial")).isDisplayed() && d.findElement(By.id("group")).getDomAttribute("data-ts") != null);
      long ts = Long.parseLong(driver.findElement(By.id("group")).getDomAttribute("data-ts"));
      double shown = Double.parseDouble(driver.findElement(By.cssSelector("#group dd.in")).getDomAttribute("data-bps"));
      GroupSample s = published.get(ts);
      assertNotNull(s, "the hub published the window the page shows (" + ts + ")");
      assertEquals(s.inBps(), shown, 0.0, "the page shows the published total");
      assertEquals(2, s.stack().size());
      assertTrue(driver.findElement(By.cssSelector("#group dd.in")).getText().contains("bit/s"),
          driver.findElement(By.cssSelector("#group dd.in")).getText());

      // The chart: opened again once the hub holds some seconds of the group, it draws them
      // before any live sample, then grows by the live ones; its stack's top is the total drawn.
      int held = awaitHistory(hub, 3);
      driver.get(base + "#/");
      driver.get(base + "#/group/uplinks");
      wait(driver, "the chart drawn from the history", d -> chart(d, "data-history-points") != null);
      int fromHistory = Integer.parseInt(chart(driver, "data-history-points"));
      assertTrue(fromHistory >= held, "the chart drew the " + held + " points the hub held before the page opened: " + fromHistory);
      int first = Integer.parseInt(chart(driver, "data-points"));
      wait(driver, "two live samples added to the chart", d -> chart(d, "data-live-points") != null
          && Integer.parseInt(chart(d, "data-live-points")) >= 2 && Integer.parseInt(chart(d, "data-points")) >= first + 2
          && !chart(d, "data-last-total").isEmpty());
      double total = Double.parseDouble(chart(driver, "data-last-total"));
      double top = Double.parseDouble(chart(driver, "data-last-stack"));
      GroupSample last = published.get(Long.parseLong(chart(driver, "data-last-ts")));
      assertNotNull(last, "the chart's latest point is a published window");
      assertEquals(last.inBps(), total, 0.0, "the chart's total line is the published total");
      // Each member's part is rounded to 0.1 bit/s, the total on its own: the sums agree to that.
      assertEquals(total, top, 0.1 * last.stack().size(), "the stacked members reach the total");
      assertTrue(driver.findElements(By.cssSelector("#group-chart .u-legend .u-series")).size() >= 4,
          "time, two members and the total in the legend");
      assertEquals(List.of(), browser.drainConsole().stream().filter(l -> l.contains("Uncaught") || l.contains("Error")).toList());

      // Removed over REST while the page shows: the samples stop, and the page says the group is gone.
      assertEquals(204, hub.send("DELETE", "/api/groups/uplinks", null).statusCode());
      wait(driver, "the page saying the group was removed", d -> d.findElements(By.id("group")).isEmpty()
          && d.findElements(By.cssSelector("section.notice")).stream().anyMatch(e -> e.getText().contains("Group uplinks was removed")));
    }
  }

  private static String chart(org.openqa.selenium.WebDriver driver, String attribute) {
    return driver.findElement(By.id("group-chart")).getDomAttribute(attribute);
  }

  /** Waits until the hub's history of the group holds {@code n} complete points; returns how many it holds. */
  private static int awaitHistory(HubUnderTest hub, int n) {
    int[] held = new int[1];
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      io.vertx.core.json.JsonObject r = hub.hub().vertx().eventBus()
          .<io.vertx.core.json.JsonObject>request(Addresses.GROUPS_SERIES, new io.vertx.core.json.JsonObject().put("group", "uplinks"))
          .toCompletionStage().toCompletableFuture().get().body();
      held[0] = (int) r.getJsonArray("points").stream().filter(p -> ((io.vertx.core.json.JsonArray) p).getValue(1) != null).count();
      return held[0] >= n;
    });
    return held[0];
  }

  private static void wait(ChromeDriver driver, String what, java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> c) {
    try {
      new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100)).until(c);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what, e);
    }
  }
}
