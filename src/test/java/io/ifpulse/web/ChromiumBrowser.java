package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through Debian's chromedriver: no browser or driver download
 * (Selenium Manager is never consulted because both executables are given), a fresh profile per
 * run, and no network besides what the page itself asks of 127.0.0.1.
 */
final class ChromiumBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;
  private final List<String> console = new ArrayList<>();

  private ChromiumBrowser(ChromeDriver driver, ChromeDriverService service, Path profile) {
    this.driver = driver;
    this.service = service;
    this.profile = profile;
  }

  /**
   * Starts the browser, or fails the test (never skips it) when Chromium is not installed.
   *
   * @param extraArguments more command-line switches, after the usual ones (e.g. which one
   *     self-signed certificate to trust)
   */
  static ChromiumBrowser start(String... extraArguments) throws IOException {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        fail(p + " is missing: the dashboard tests need Debian's chromium and chromium-driver packages."
            + " Run scripts/test.sh, which installs them (apt-get install chromium chromium-driver).");
      }
    }
    Path profile = Files.createTempDirectory("ifpulse-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(new File(System.getProperty("java.io.tmpdir"), "ifpulse-chromedriver.log"))
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
    options.addArguments(extraArguments);
    // Formatted numbers and times follow the browser's locale: the same one on every machine.
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      deleteTree(profile);
      throw new AssertionError("cannot start " + CHROMIUM + " through " + CHROMEDRIVER
          + " (run scripts/test.sh to install chromium and chromium-driver): " + e.getMessage(), e);
    }
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new ChromiumBrowser(driver, service, profile);
  }

  /** Saves a PNG of the viewport to target/screenshots/NAME.png. */
  Path screenshot(String name) throws IOException {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /** The browser console since the last call (also kept for {@link #consoleSoFar()}). */
  List<String> drainConsole() {
    List<String> out = new ArrayList<>();
    try {
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) out.add(e.getLevel() + " " + e.getMessage());
    } catch (RuntimeException e) {
      out.add("(console not available: " + e.getMessage() + ")");
    }
    console.addAll(out);
    return out;
  }

  List<String> consoleSoFar() {
    drainConsole();
    return List.copyOf(console);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Chromium's leftovers in /tmp are harmless; never fail a test over them.
    }
  }
}
