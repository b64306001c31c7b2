package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.auth.Role;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Password guessing against the real sign-in: it is slowed per source and per user, it costs the
 * hub no password check while a bucket is empty, and it does not lock the real user out. Limits
 * are the defaults: 5 failures at once then 10 a minute per source, 20 then 30 a minute per user.
 */
class SignInThrottleFloodTest {
  private static final String PASSWORD = "the-real-password-1";
  private Main.Hub hub;
  private TestUsers users;
  private int port;
  private String own;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-flood");
    users = new TestUsers().user("ops", Role.OPERATOR, PASSWORD).token("admin", Role.OPERATOR);
    Path file = users.write(dir.resolve("users.json"));
    hub = WebHubFixture.start("""
        {"web": {"auth": {"usersFile": "%s"}}, "devices": [{"id": "d1", "sim": {"model": "steady", "interfaces": 1}}]}""".formatted(file));
    port = hub.httpPort();
    own = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private static String body(String password) {
    return new JsonObject().put("user", "ops").put("password", password).encode();
  }

  @Test
  void tenThousandGuessesFromOneSourceAreSlowedAndTheRealUserElsewhereGetsIn() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<?>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      inFlight.acquire();
      HttpRequest req = HttpRequest.newBuilder(URI.create(own + "/api/session")).header("Origin", own)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body("guess-" + i))).build();
      all.add(http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
        statuses.computeIfAbsent(e != null ? -1 : r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        inFlight.release();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    double seconds = (System.nanoTime() - t0) / 1e9;
    int checked = statuses.getOrDefault(401, new AtomicInteger()).get();
    int throttled = statuses.getOrDefault(429, new AtomicInteger()).get();
    System.out.printf("SignInThrottleFloodTest: 10000 guesses from one source in %.1f s (%.0f/s): %d password checks (%.1f/min),"
        + " %d refused unchecked; statuses %s%n", seconds, 10_000 / seconds, checked, checked / seconds * 60, throttled, new TreeMap<>(statuses));

    assertEquals(10_000, checked + throttled, "every guess answered 401 or 429: " + statuses);
    // A burst of 5, then 10 a minute: the checks the bucket allows in the time taken, and no more.
    assertTrue(checked <= 5 + Math.ceil(seconds / 60 * 10) + 1, checked + " checks in " + seconds + " s");
    assertTrue(checked >= 5, "the burst is checked: " + checked);

    // The attacker's source is slowed even with the right password now ...
    HttpProbe.Response same = HttpProbe.to(port).header("Origin", own).header("Content-Type", "application/json")
        .send("POST", "/api/session", body(PASSWORD));
    assertEquals(429, same.status());
    assertTrue(Integer.parseInt(same.header("Retry-After")) >= 1);
    // ... and the real user, elsewhere, is not locked out.
    HttpProbe.Response elsewhere = HttpProbe.to(port).from("127.0.0.2").header("Origin", own).header("Content-Type", "application/json")
        .send("POST", "/api/session", body(PASSWORD));
    assertEquals(200, elsewhere.status(), elsewhere.body());
    assertEquals(throttled, counter("ifpulse_sign_in_refused_total{reason=\"throttled\"}") - 1, "each refusal counted");
  }

  @Test
  void guessesSpreadOverManySourcesAreSlowedPerUserWithoutALockOut() throws Exception {
    int checked = 0;
    int throttled = 0;
    long t0 = System.nanoTime();
    for (int source = 10; source < 70; source++) {
      for (int k = 0; k < 3; k++) {
        int s = HttpProbe.to(port).from("127.0.0." + source).header("Origin", own).header("Content-Type", "application/json")
            .send("POST", "/api/session", body("guess-" + source + "-" + k)).status();
        if (s == 401) checked++;
        else if (s == 429) throttled++;
        else throw new AssertionError("status " + s);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("SignInThrottleFloodTest: 180 guesses from 60 sources in %.1f s: %d checked, %d refused%n", seconds, checked, throttled);
    assertTrue(checked <= 20 + Math.ceil(seconds / 60 * 30) + 1, checked + " checks in " + seconds + " s: the per-user bucket holds");
    // The user's bucket refills at 30 a minute: the real user gets in within a few seconds.
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
        .until(() -> HttpProbe.to(port).from("127.0.0.2").header("Origin", own).header("Content-Type", "application/json")
            .send("POST", "/api/session", body(PASSWORD)).status() == 200);
  }

  private long counter(String series) throws Exception {
    String text = HttpProbe.to(port).header("Authorization", "Bearer " + users.token("admin")).get("/metrics").body();
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) return (long) Double.parseDouble(line.substring(series.length() + 1));
    }
    throw new AssertionError("no " + series);
  }
}
