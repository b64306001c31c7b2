package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.auth.DeviceScope;
import io.ifpulse.auth.Passwords;
import io.ifpulse.auth.Role;
import io.ifpulse.auth.UsersFile;
import io.ifpulse.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of a hub with users, over HTTPS, in a real browser (Debian's headless Chromium)
 * against the real hub started in-process: sign-in first, then the live dashboard, then sign-out.
 *
 * <p>The hub's certificate is self-signed, made here with BouncyCastle for 127.0.0.1 and
 * localhost. Chromium trusts that one certificate by the hash of its public key
 * ({@code --ignore-certificate-errors-spki-list}), not every certificate; the Java client of the
 * test trusts it through its own trust store. Screenshots of the sign-in page go to
 * target/screenshots/.
 *
 * <p>The tests share one hub and one browser and run in order: the sign-in page first, a wrong
 * password, the live dashboard after signing in, the cookie and headers of the answer, signing
 * out, and last a user removed from the users file while their page is open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsDashboardTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "steady-state-42";
  private static final String STEADY = "sim-steady";
  private static final int STEADY_INTERFACES = 4;
  private static final String MONITOR = "test-monitor";

  @TempDir static Path dir;

  private Main.Hub hub;
  private int port;
  private String token;
  private Path users;
  private X509Certificate certificate;
  private HttpClient http;
  private ChromiumBrowser browser;
  private ChromeDriver driver;
  /** The browser console of the running test. */
  private final List<String> console = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    KeyPair keys = certificate();
    http = HttpClient.newBuilder().sslContext(trusting(certificate)).connectTimeout(Duration.ofSeconds(10)).build();
    String spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
    browser = ChromiumBrowser.start("--ignore-certificate-errors-spki-list=" + spki);
    driver = browser.driver;

    token = Passwords.newToken();
    users = dir.resolve("users.json");
    UsersFile.EMPTY
        .withUser(new UsersFile.Entry(USER, Role.VIEWER, Passwords.hash(PASSWORD, 10), DeviceScope.ALL))
        .withToken(new UsersFile.Entry(MONITOR, Role.OPERATOR, Passwords.tokenHash(token), DeviceScope.ALL))
        .write(users);

    JsonObject cfg = new JsonObject()
        .put("defaults", new JsonObject().put("intervalMs", 1000))
        .put("simulator", new JsonObject().put("basePort", 0))
        .put("registry", new JsonObject().put("file", dir.resolve("devices.json").toString()))
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", 0)
            .put("tls", new JsonObject().put("certFile", dir.resolve("cert.pem").toString()).put("keyFile", dir.resolve("key.pem").toString()))
            .put("auth", new JsonObject().put("usersFile", users.toString())))
        .put("devices", new JsonArray()
            .add(new JsonObject().put("id", STEADY).put("sim", new JsonObject().put("model", "steady").put("interfaces", STEADY_INTERFACES)
                .put("speedMbps", 1000).put("rateMbps", 100)))
            .add(new JsonObject().put("id", "sim-sine").put("sim", new JsonObject().put("model", "sine").put("interfaces", 2)
                .put("rateMbps", 200).put("periodSeconds", 60).put("amplitude", 0.6))));
    hub = Main.start(ConfigLoader.parse(cfg, Map.of()), false);
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
    // A refused sign-in logs its 401 as a failed load; a script error is never expected.
    List<String> errors = console().stream()
        .filter(l -> l.contains("Uncaught") || l.contains("TypeError") || l.contains("ReferenceError") || l.contains("SyntaxError"))
        .toList();
    console.clear();
    assertTrue(errors.isEmpty(), "script errors in the page: " + errors);
  }

  private List<String> console() {
    console.addAll(browser.drainConsole());
    return console;
  }

  // ------------------------------------------------------------------ certificate

  /** A self-signed server certificate for 127.0.0.1 and localhost, written as PEM into the temp dir. */
  private KeyPair certificate() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair keys = g.generateKeyPair();
    X500Name name = new X500Name("CN=ifpulse test hub");
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    certificate = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    Files.writeString(dir.resolve("cert.pem"), pem(certificate));
    Files.writeString(dir.resolve("key.pem"), pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
    return keys;
  }

  private static String pem(Object o) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    }
    return s.toString();
  }

  private static SSLContext trusting(X509Certificate cert) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("hub", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  // ------------------------------------------------------------------ Java side

  private String origin() {
    return "https://127.0.0.1:" + port;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(origin() + path));
  }

  private HttpResponse<String> javaSignIn(String user, String password) throws Exception {
    return send(request("/api/session").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("user", user).put("password", password).encode())));
  }

  /** Browser sockets on the bridge, as /health tells the operator's token. */
  private int bridgeClients() throws Exception {
    HttpResponse<String> r = send(request("/health").header("Authorization", "Bearer " + token));
    assertEquals(200, r.statusCode(), "/health with the operator's token: " + r.body());
    return new JsonObject(r.body()).getInteger("bridgeClients");
  }

  private static void await(Duration timeout, String what, Callable<Boolean> condition) {
    Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition);
  }

  // ------------------------------------------------------------------ browser side

  /** Loads the page anew (not just a hash change). */
  private void open(String hash) {
    loaded("the page at " + hash, () -> {
      driver.get("about:blank");
      driver.get(origin() + "/" + hash);
    });
  }

  /**
   * Runs {@code load} (anything that loads a new document) and waits for the dashboard's script
   * to have started in it: the form or a view in {@code <main data-view>}. Now and then Chromium
   * aborts the module requests of an HTTPS load with net::ERR_NETWORK_CHANGED, with nothing
   * changed on the machine's interfaces (seen in the first seconds of a new browser); the page
   * then never starts. A load that failed that way, and only that way, is loaded once more, and
   * said so on standard output.
   */
  private void loaded(String what, Runnable load) {
    js("window.__oldDocument = true; return 1");
    int from = console().size();
    load.run();
    for (int attempt = 1; ; attempt++) {
      try {
        new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(100)).until(
            d -> Boolean.TRUE.equals(js("return !window.__oldDocument && !!document.querySelector('main[data-view]')")));
        return;
      } catch (TimeoutException e) {
        List<String> during = List.copyOf(console().subList(from, console.size()));
        if (attempt > 1 || during.stream().noneMatch(l -> l.contains("net::ERR_NETWORK_CHANGED"))) {
          throw new AssertionError("the dashboard did not start after loading " + what + "\nconsole: " + during, e);
        }
        System.out.println("TlsDashboardTest: Chromium aborted loading " + what + " (net::ERR_NETWORK_CHANGED); loading it again");
        from = console.size();
        driver.navigate().refresh();
      }
    }
  }

  private <T> T waitFor(Duration timeout, String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
          + "\nconsole: " + console(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T js(String script, Object... args) {
    return (T) driver.executeScript(script, args);
  }

  private String hash() {
    return js("return location.hash");
  }

  private boolean shown(String cssSelector) {
    return driver.findElements(By.cssSelector(cssSelector)).stream().anyMatch(WebElement::isDisplayed);
  }

  private void awaitSignInForm() {
    waitFor(Duration.ofSeconds(10), "the sign-in form", d -> shown("#signin-form"));
  }

  private String connectionState() {
    return driver.findElement(By.id("conn")).getDomAttribute("data-state");
  }

  /** What the page itself hears from GET /api/session (the cookie goes along; the page cannot read it). */
  private JsonObject pageSession() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        fetch('/api/session', {cache: 'no-store'}).then(r => r.json()).then(done, e => done({failed: String(e)}));""");
    return new JsonObject(m);
  }

  /** Nothing of the dashboard: the form alone, no device list, no socket asked for, no live indicator. */
  private void assertSignedOutPage(String when) throws Exception {
    awaitSignInForm();
    assertTrue(driver.findElements(By.id("devices")).isEmpty(), when + ": no device list");
    assertNotEquals("connected", connectionState(), when + ": the connection indicator");
    assertFalse(shown("#conn") || shown("#alerts-btn") || shown("#who") || shown("#signout-btn"), when + ": no live controls in the top bar");
    // SockJS starts with GET /eventbus/info (js/eventbus.js, the client module, is no request to the bridge).
    long bridgeRequests = js("return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.startsWith('/eventbus/')).length");
    assertEquals(0L, bridgeRequests, when + ": the page asked nothing of the bridge");
    assertEquals(0, bridgeClients(), when + ": no bridge socket on the hub");
  }

  /** Signs in through the form; the page then loads itself anew with the session cookie. */
  private void signInAndLoad(String user, String password) {
    loaded("the page after signing in", () -> signInThroughTheForm(user, password));
  }

  /** Types into the form and clicks the button, as a person would. */
  private void signInThroughTheForm(String user, String password) {
    WebElement name = driver.findElement(By.id("signin-user"));
    name.clear();
    name.sendKeys(user);
    WebElement pw = driver.findElement(By.id("signin-password"));
    pw.clear();
    pw.sendKeys(password);
    driver.findElement(By.id("signin-submit")).click();
  }

  private void setTheme(String theme) {
    if (!theme.equals(js("return document.documentElement.dataset.theme"))) driver.findElement(By.id("theme-btn")).click();
    waitFor(Duration.ofSeconds(2), theme + " theme", d -> theme.equals(js("return document.documentElement.dataset.theme")));
  }

  /** The time of the sample each device row last showed, by device id. */
  private Map<String, Object> deviceSampleTimes() {
    return js("""
        const out = {};
        for (const tr of document.querySelectorAll('#devices tbody tr[data-device]')) out[tr.dataset.device] = tr.querySelector('td.last').dataset.ts || null;
        return out;""");
  }

  // ------------------------------------------------------------------ tests

  @Test
  @Order(1)
  void theSignInPageComesFirstAndOpensNoBridge() throws Exception {
    assertEquals(401, send(request("/health")).statusCode(), "/health needs a sign-in");
    assertEquals(401, send(request("/api/devices")).statusCode(), "/api/devices needs a sign-in");

    open("#/");
    assertSignedOutPage("first load");
    assertTrue(driver.getCurrentUrl().startsWith("https://127.0.0.1:" + port + "/"), driver.getCurrentUrl());
    assertEquals("#/signin?next=%2F", hash(), "the sign-in route, returning to the overview");
    assertEquals("Sign in · ifpulse", driver.getTitle());
    // A labelled form, the name field ready for typing.
    assertEquals("User name", driver.findElement(By.cssSelector("label[for='signin-user']")).getText());
    assertEquals("Password", driver.findElement(By.cssSelector("label[for='signin-password']")).getText());
    assertEquals("password", driver.findElement(By.id("signin-password")).getDomAttribute("type"));
    assertEquals("signin-user", js("return document.activeElement.id"));

    setTheme("light");
    browser.screenshot("signin-light");
    setTheme("dark");
    browser.screenshot("signin-dark");
    setTheme("light");
  }

  @Test
  @Order(2)
  void aWrongPasswordShowsTheHubsErrorAndTheDeepLinkIsKept() throws Exception {
    HttpResponse<String> refused = javaSignIn(USER, "not-the-password");
    assertEquals(401, refused.statusCode());
    String hubSays = new JsonObject(refused.body()).getString("error");
    assertNotNull(hubSays);

    open("#/device/" + STEADY);
    awaitSignInForm();
    assertEquals("#/signin?next=%2Fdevice%2F" + STEADY, hash(), "the deep link waits behind the form");

    signInThroughTheForm(USER, "not-the-password");
    String shownError = waitFor(Duration.ofSeconds(10), "the error in the form",
        d -> shown("#signin-error") ? d.findElement(By.id("signin-error")).getText() : null);
    assertEquals(hubSays, shownError, "the hub's own words");
    WebElement pw = driver.findElement(By.id("signin-password"));
    assertEquals("true", pw.getDomAttribute("aria-invalid"));
    assertEquals("", pw.getDomProperty("value"), "the wrong password is cleared");
    assertEquals("signin-password", js("return document.activeElement.id"), "ready for another try");
    assertEquals("#/signin?next=%2Fdevice%2F" + STEADY, hash());
    assertSignedOutPage("after a wrong password");
    browser.screenshot("signin-error");

    // The right password leads to the page the link was for.
    signInAndLoad(USER, PASSWORD);
    waitFor(Duration.ofSeconds(10), "the device page of the deep link", d -> ("#/device/" + STEADY).equals(hash())
        && js("return document.querySelectorAll('#interfaces tbody tr[data-ifindex]').length").equals((long) STEADY_INTERFACES));
    waitFor(Duration.ofSeconds(10), "a live connection", d -> "connected".equals(connectionState()));

    driver.findElement(By.id("signout-btn")).click();
    awaitSignInForm();
    assertEquals("#/signin?next=%2Fdevice%2F" + STEADY, hash(), "signing in again returns to the same page");
    await(Duration.ofSeconds(10), "the bridge to close after signing out", () -> bridgeClients() == 0);
  }

  @Test
  @Order(3)
  void signingInLeadsToTheLiveOverviewWithAnHttpOnlyCookie() throws Exception {
    open("#/");
    awaitSignInForm();
    assertEquals("#/signin?next=%2F", hash());
    signInAndLoad(USER, PASSWORD);

    waitFor(Duration.ofSeconds(10), "the overview", d -> "#/".equals(hash()) && deviceSampleTimes().keySet().containsAll(List.of(STEADY, "sim-sine")));
    waitFor(Duration.ofSeconds(10), "a live connection", d -> "connected".equals(connectionState()));
    Map<String, Object> first = waitFor(Duration.ofSeconds(12), "samples on the overview",
        d -> deviceSampleTimes().values().stream().allMatch(s -> s != null) ? deviceSampleTimes() : null);
    waitFor(Duration.ofSeconds(12), "a device row to move to a newer sample", d -> {
      Map<String, Object> now = deviceSampleTimes();
      return first.keySet().stream().anyMatch(id -> !first.get(id).equals(now.get(id)));
    });
    await(Duration.ofSeconds(5), "the page's socket on the bridge", () -> bridgeClients() == 1);

    // Who is signed in, in the top bar.
    assertTrue(shown("#who") && shown("#signout-btn"), "the user and Sign out in the top bar");
    assertEquals(USER, driver.findElement(By.cssSelector("#who .name")).getText());
    assertEquals("viewer", driver.findElement(By.cssSelector("#who .role")).getText());

    // The session cookie: the browser holds it, HttpOnly, Secure and SameSite=Strict; scripts never see it.
    Cookie cookie = driver.manage().getCookieNamed(WebVerticle.SESSION_COOKIE);
    assertNotNull(cookie, "the browser holds the session cookie");
    assertTrue(cookie.isHttpOnly(), "HttpOnly");
    assertTrue(cookie.isSecure(), "Secure");
    assertEquals("Strict", cookie.getSameSite());
    String scriptCookies = js("return document.cookie");
    assertFalse(scriptCookies.contains(WebVerticle.SESSION_COOKIE), "document.cookie: " + scriptCookies);
    JsonObject who = pageSession();
    assertEquals(USER, who.getString("user"), "the page is signed in: " + who);
    assertEquals("viewer", who.getString("role"));
    browser.screenshot("tls-overview-signed-in");
  }

  @Test
  @Order(4)
  void theSignInAnswerSetsASecureStrictCookieOverHsts() throws Exception {
    HttpResponse<String> page = send(request("/"));
    assertEquals(200, page.statusCode());
    assertHsts(page);

    HttpResponse<String> r = javaSignIn(USER, PASSWORD);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(USER, new JsonObject(r.body()).getString("user"));
    assertHsts(r);
    String setCookie = r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(WebVerticle.SESSION_COOKIE + "=")).findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie in " + r.headers().map()));
    List<String> attributes = List.of(setCookie.toLowerCase(Locale.ROOT).split(";\\s*"));
    assertTrue(attributes.contains("httponly"), setCookie);
    assertTrue(attributes.contains("secure"), setCookie);
    assertTrue(attributes.contains("samesite=strict"), setCookie);

    // The cookie is a session of its own; signing it out (with the Origin a browser sends) ends it.
    String session = setCookie.substring(0, setCookie.indexOf(';'));
    assertEquals(USER, new JsonObject(send(request("/api/session").header("Cookie", session)).body()).getString("user"));
    assertEquals(204, send(request("/api/session").header("Cookie", session).header("Origin", origin()).DELETE()).statusCode());
    assertEquals(401, send(request("/api/devices").header("Cookie", session)).statusCode(), "signed out");
  }

  private static void assertHsts(HttpResponse<String> r) {
    String hsts = r.headers().firstValue("Strict-Transport-Security").orElseThrow(
        () -> new AssertionError("no Strict-Transport-Security on " + r.uri()));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("max-age=(\\d+)").matcher(hsts);
    assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "Strict-Transport-Security: " + hsts);
  }

  @Test
  @Order(5)
  void signingOutClosesTheBridgeAndStaysSignedOut() throws Exception {
    if (!shown("#signout-btn")) {
      open("#/");
      awaitSignInForm();
      signInAndLoad(USER, PASSWORD);
      waitFor(Duration.ofSeconds(10), "the overview", d -> shown("#devices"));
    }
    waitFor(Duration.ofSeconds(10), "a live connection", d -> "connected".equals(connectionState()));
    await(Duration.ofSeconds(5), "the page's socket on the bridge", () -> bridgeClients() == 1);
    js("window.__sameDocument = 'yes'; return 1");

    driver.findElement(By.id("signout-btn")).click();
    awaitSignInForm();
    assertEquals("yes", js("return window.__sameDocument"), "the form comes back without a reload");
    assertEquals("You are signed out.", driver.findElement(By.id("signin-notice")).getText());
    assertEquals("#/signin?next=%2F", hash());
    assertTrue(driver.findElements(By.id("devices")).isEmpty(), "no device list");
    assertNotEquals("connected", connectionState());
    assertFalse(shown("#who") || shown("#signout-btn"), "nobody signed in");
    await(Duration.ofSeconds(10), "the bridge to close", () -> bridgeClients() == 0);
    JsonObject who = pageSession();
    assertEquals("users", who.getString("mode"));
    assertTrue(who.containsKey("user") && who.getValue("user") == null, "signed out on the hub: " + who);

    loaded("the page again", () -> driver.navigate().refresh());
    assertSignedOutPage("after a reload");
    assertEquals("#/signin?next=%2F", hash());
  }

  @Test
  @Order(6)
  void aUserRemovedWhileWatchingGetsTheSignInPageAndNoMoreRetries() throws Exception {
    open("#/device/" + STEADY);
    awaitSignInForm();
    signInAndLoad(USER, PASSWORD);
    waitFor(Duration.ofSeconds(10), "a live device page", d -> ("#/device/" + STEADY).equals(hash()) && "connected".equals(connectionState()));
    await(Duration.ofSeconds(5), "the page's socket on the bridge", () -> bridgeClients() == 1);

    // The operator removes the user: the hub rereads its users file within seconds and refuses the
    // session at the page's next REST call, or closes its socket at the next check.
    UsersFile.read(users).withoutUser(USER).write(users);
    awaitSignInForm();
    assertEquals("Your session has ended. Sign in again to continue.", driver.findElement(By.id("signin-notice")).getText());
    assertEquals("#/signin?next=%2Fdevice%2F" + STEADY, hash(), "back to the same page after signing in again");
    assertEquals("closed", connectionState(), "the bus is closed, not reconnecting");
    assertTrue(driver.findElements(By.id("interfaces")).isEmpty(), "the device page is gone");
    await(Duration.ofSeconds(20), "the bridge to lose the page's socket", () -> bridgeClients() == 0);
  }
}
