package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.Interest;
import io.ifpulse.testing.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Viewer-driven polling, counted where it costs: at the agent. A device polls at its base interval
 * until someone watches it, then at the live interval; ten viewers cost what one does; when the
 * last leaves it is back to base at once; a verticle's declared interest lapses unless renewed.
 *
 * <p>One hub for the class, one device per test, so no test sees another's viewers. The test
 * reads the device's rhythm from the samples the hub publishes (their {@code ts}) and the cost
 * from the agent's request counter read as each sample arrives; it waits for a rhythm rather than
 * sleeping a fixed time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePollingTest {
  private static final long BASE_MS = 5000;
  private static final long LIVE_MS = 1000;
  private static final List<String> DEVICES = List.of("idle", "one", "ten", "leaving", "declared");

  private Main.Hub hub;
  private Vertx clients;
  private final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();

  /** A published sample of a device and the agent's request count when it arrived. */
  private record Seen(long seq, long ts, long agentRequests) {}

  @BeforeAll
  void start() throws Exception {
    StringBuilder devices = new StringBuilder();
    for (String id : DEVICES) {
      if (devices.length() > 0) devices.append(',');
      devices.append("{\"id\": \"").append(id).append("\", \"sim\": {\"model\": \"steady\", \"interfaces\": 2}}");
    }
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": %d, "liveIntervalMs": %d}, "devices": [%s]}""".formatted(BASE_MS, LIVE_MS, devices));
    clients = Vertx.vertx();
    for (String id : DEVICES) {
      List<Seen> list = new CopyOnWriteArrayList<>();
      seen.put(id, list);
      // A consumer on the hub's own bus declares no interest: it only reads what is published.
      hub.vertx().eventBus().consumer(Addresses.traffic(id), m -> {
        JsonObject s = EventJson.toJson(m.body());
        list.add(new Seen(s.getLong("seq"), s.getLong("ts"), hub.simulator().device(id).requests()));
      }).completion().await();
    }
  }

  @AfterAll
  void stop() {
    if (hub != null) hub.close();
    if (clients != null) clients.close().await();
  }

  @Test
  void anUnwatchedDevicePollsAtItsBaseInterval() {
    List<Seen> s = awaitRhythm("idle", 0, BASE_MS, 2, Duration.ofSeconds(40));
    assertOnePollPerSample("idle", s);
  }

  @Test
  void oneViewerMakesItLive() {
    try (BridgeClient viewer = viewer("one")) {
      long from = nowMs();
      List<Seen> s = awaitRhythm("one", from, LIVE_MS, 4, Duration.ofSeconds(20));
      assertOnePollPerSample("one", s);
      assertTrue(viewer.received(Addresses.traffic("one")).size() >= 3, "the viewer gets the samples");
    }
  }

  @Test
  void tenViewersCostWhatOneDoes() {
    List<BridgeClient> viewers = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) viewers.add(viewer("ten"));
      long from = nowMs();
      // Ten polls of their own would show as gaps far below the live interval, or as ten times
      // the requests per sample at the agent.
      List<Seen> s = awaitRhythm("ten", from, LIVE_MS, 4, Duration.ofSeconds(20));
      assertOnePollPerSample("ten", s);
      long lastSeq = s.get(s.size() - 1).seq();
      for (BridgeClient v : viewers) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> v.received(Addresses.traffic("ten")).stream()
            .anyMatch(f -> f.getJsonObject("body").getLong("seq") == lastSeq));
      }
    } finally {
      viewers.forEach(BridgeClient::close);
    }
  }

  @Test
  void theLastViewerLeavingTakesItBackToBaseAtOnce() {
    try (BridgeClient last = viewer("leaving")) {
      try (BridgeClient first = viewer("leaving")) {
        awaitRhythm("leaving", nowMs(), LIVE_MS, 3, Duration.ofSeconds(20));
      }
      // One viewer is left: still live.
      awaitRhythm("leaving", nowMs(), LIVE_MS, 2, Duration.ofSeconds(10));
    }
    // The socket's close releases its interest; at most a poll already due runs at the live pace.
    long left = nowMs();
    List<Seen> s = awaitRhythm("leaving", left, BASE_MS, 2, Duration.ofSeconds(30));
    assertNoLiveGapAfter(s, left + LIVE_MS + 500, "after the last viewer left");
  }

  @Test
  void aVerticlesInterestMakesItLiveAndLapsesUnlessRenewed() {
    long ttlMs = 4000;
    long declared = nowMs();
    hub.vertx().eventBus().publish(Addresses.INTEREST, Interest.watch("declared", "alerts-exporter", ttlMs).toJson());
    awaitRhythm("declared", declared, LIVE_MS, 2, Duration.ofSeconds(15));
    // Not renewed: the interest expires (checked every second) and the device goes back to base.
    List<Seen> s = awaitRhythm("declared", declared + ttlMs, BASE_MS, 2, Duration.ofSeconds(30));
    assertNoLiveGapAfter(s, declared + ttlMs + 2 * LIVE_MS + 500, "after the interest lapsed");
  }

  private BridgeClient viewer(String device) {
    BridgeClient v = BridgeClient.connect(clients, hub.httpPort(), null);
    v.register(Addresses.traffic(device));
    v.watch(device);
    return v;
  }

  private static long nowMs() {
    return Math.round(io.ifpulse.time.MonotonicClock.nowEpochMillis());
  }

  /**
   * Waits (bounded) until the device's samples since {@code fromTs} end in {@code gaps} gaps at
   * {@code intervalMs} (within -25 % / +50 %: timers are late, never early by much), and returns
   * the samples since {@code fromTs}.
   */
  private List<Seen> awaitRhythm(String device, long fromTs, long intervalMs, int gaps, Duration timeout) {
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
          .until(() -> since(device, fromTs), s -> {
            if (s.size() < gaps + 1) return false;
            for (int i = s.size() - gaps; i < s.size(); i++) {
              long gap = s.get(i).ts() - s.get(i - 1).ts();
              if (gap < intervalMs * 0.75 || gap > intervalMs * 1.5) return false;
            }
            return true;
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(device + ": no " + gaps + " gaps of " + intervalMs + " ms within " + timeout
          + "; gaps since " + fromTs + ": " + gaps(since(device, fromTs)));
    }
  }

  private List<Seen> since(String device, long fromTs) {
    return seen.get(device).stream().filter(x -> x.ts() >= fromTs).toList();
  }

  private static List<Long> gaps(List<Seen> s) {
    List<Long> g = new ArrayList<>();
    for (int i = 1; i < s.size(); i++) g.add(s.get(i).ts() - s.get(i - 1).ts());
    return g;
  }

  /** Between consecutive samples the agent answered one poll's requests: no extra polls. */
  private void assertOnePollPerSample(String device, List<Seen> s) {
    int perPoll = hub.vertx().eventBus().<JsonObject>request(Addresses.POLLER_STATS, null).await().body()
        .getJsonObject(device).getInteger("requestsPerPoll");
    for (int i = s.size() - 3; i < s.size(); i++) {
      if (i < 1) continue;
      assertEquals(s.get(i - 1).seq() + 1, s.get(i).seq(), device + ": consecutive samples");
      assertEquals(perPoll, s.get(i).agentRequests() - s.get(i - 1).agentRequests(),
          device + ": requests at the agent between two samples; gaps " + gaps(s));
    }
  }

  /** Once settled, no two samples closer than half the base interval: no live polls left. */
  private static void assertNoLiveGapAfter(List<Seen> s, long afterTs, String when) {
    for (int i = 1; i < s.size(); i++) {
      if (s.get(i - 1).ts() < afterTs) continue;
      long gap = s.get(i).ts() - s.get(i - 1).ts();
      // A move to the base grid keeps at least half an interval after the last poll.
      assertTrue(gap >= BASE_MS / 2 - 100, when + ": a gap of " + gap + " ms; gaps " + gaps(s));
    }
  }
}
