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
 * names, and one stacked part per member.
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
      assertEquals(List.of(), browser.drainConsole().stream().filter(l -> l.contains("Uncaught") || l.contains("Error")).toList());
    }
  }

  private static void wait(ChromeDriver driver, String what, java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> c) {
    try {
      new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100)).until(c);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what, e);
    }
  }
}
