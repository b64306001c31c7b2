package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * 200 browsers on the dashboard's own transport — SockJS sessions,
 * {@code /eventbus/<server>/<session>/websocket} — that register for samples and then never read
 * again (their TCP receive window fills): the session transport keeps a queue of its own, which
 * the socket's write-queue check does not see, so without the bridge's own count of unwritten
 * bytes every sample would pile up in the hub for each of them. Held for a while
 * ({@code -Difpulse.stalledBrowsers.seconds}, 60 by default; 600 is the soak's figure, see
 * docs/RELIABILITY.md): the hub's heap after a full GC (and its direct buffers) stays flat, the
 * drops are counted in /metrics, and healthy browsers on the same transport keep getting every
 * sample, in order, each before the hub publishes that device's sample after next.
 */
class StalledSessionBrowsersTest {
  private static final int STALLED = 200;
  private static final int HEALTHY = 3;
  private static final List<String> DEVICES = List.of("s1", "s2");
  /** Growth of heap after GC plus direct buffers allowed over the hold: far below one sample per stalled browser per second. */
  private static final long FLAT_BYTES = 24L << 20;

  @Test
  void stalledSessionBrowsersCostTheHubNothingAndHealthyOnesKeepUp() throws Exception {
    long holdS = Long.getLong("ifpulse.stalledBrowsers.seconds", 60);
    Vertx clients = Vertx.vertx();
    List<SessionClient> stalled = new ArrayList<>();
    List<SessionClient> healthy = new ArrayList<>();
    try (Main.Hub hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "web": {"maxSocketsPerUser": 1000},
         "devices": [{"id": "s1", "sim": {"model": "steady", "interfaces": 200}},
                     {"id": "s2", "sim": {"model": "steady", "interfaces": 200}}]}""")) {
      // When the hub published each sample (device -> seq -> System.nanoTime), on its own bus.
      Map<String, Map<Long, Long>> publishedAt = new ConcurrentHashMap<>();
      for (String d : DEVICES) {
        Map<Long, Long> at = new ConcurrentHashMap<>();
        publishedAt.put(d, at);
        hub.vertx().eventBus().consumer(Addresses.traffic(d), m -> at.put(EventJson.toJson(m.body()).getLong("seq"), System.nanoTime()))
            .completion().await();
      }
      // A small receive buffer: the window fills after a few KB, as a browser tab that froze.
      WebSocketClient small = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1000)
          .setReceiveBufferSize(4096).setMaxMessageSize(8 << 20).setMaxFrameSize(1 << 20));
      WebSocketClient normal = clients.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(8 << 20).setMaxFrameSize(1 << 20));
      for (int i = 0; i < STALLED; i++) stalled.add(SessionClient.connect(clients, small, hub.httpPort(), i));
      for (int i = 0; i < HEALTHY; i++) healthy.add(SessionClient.connect(clients, normal, hub.httpPort(), STALLED + i));
      for (SessionClient c : stalled) for (String d : DEVICES) c.register(Addresses.traffic(d));
      for (SessionClient c : healthy) for (String d : DEVICES) c.register(Addresses.traffic(d));
      Awaitility.await("a sample of every device at every browser").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> stalled.stream().allMatch(c -> c.samples.size() >= DEVICES.size()) && healthy.stream().allMatch(c -> c.samples.size() >= DEVICES.size()));
      for (SessionClient c : stalled) c.stall();

      // The stalled sockets' buffers fill and the bridge starts dropping; then the baseline.
      Awaitility.await("drops counted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> dropped(hub.httpPort()) >= STALLED);
      // Every stalled socket dropping (its kernel buffers full) before the baseline is taken.
      long dropping = dropped(hub.httpPort());
      Awaitility.await("every stalled browser dropping").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> dropped(hub.httpPort()) >= dropping + 4L * STALLED);
      long before = heapAfterGcPlusDirect();
      long droppedBefore = dropped(hub.httpPort());
      int[] healthyFrom = healthy.stream().mapToInt(c -> c.samples.size()).toArray();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdS);
      Awaitility.await("the hold of " + holdS + " s").pollInterval(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(holdS + 30))
          .until(() -> System.nanoTime() >= until);
      long after = heapAfterGcPlusDirect();
      long droppedAfter = dropped(hub.httpPort());

      assertTrue(stalled.stream().noneMatch(c -> c.closed), "stalled sockets stay open (the hub drops, it does not disconnect)");
      assertTrue(after - before < FLAT_BYTES, String.format("hub heap after GC + direct buffers flat over %d s with %d stalled session"
          + " browsers: %.1f MB -> %.1f MB", holdS, STALLED, before / 1e6, after / 1e6));
      // Every stalled browser misses about 2 samples a second.
      assertTrue(droppedAfter - droppedBefore >= STALLED * holdS, "drops counted: " + (droppedAfter - droppedBefore)
          + " over " + holdS + " s for " + STALLED + " stalled browsers");
      for (int h = 0; h < HEALTHY; h++) {
        SessionClient c = healthy.get(h);
        assertTrue(!c.closed, "healthy browser " + h + " still connected");
        List<SessionClient.Seen> got = new ArrayList<>(c.samples.subList(healthyFrom[h], c.samples.size()));
        List<String> late = new ArrayList<>();
        for (String d : DEVICES) {
          List<Long> seqs = new ArrayList<>();
          for (SessionClient.Seen s : got) {
            if (!d.equals(s.device())) continue;
            seqs.add(s.seq());
            // On time: not queued behind the stalled browsers' samples — here before the device's sample after next.
            Long afterNext = publishedAt.get(d).get(s.seq() + 2);
            if (afterNext != null && s.atNanos() > afterNext) late.add(d + " seq " + s.seq());
          }
          assertTrue(seqs.size() >= holdS / 2, "healthy browser " + h + " kept receiving " + d + ": " + seqs.size() + " samples in " + holdS + " s");
          for (int i = 1; i < seqs.size(); i++) assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "healthy browser " + h + ", " + d + ": no sample lost");
        }
        assertTrue(late.isEmpty(), "healthy browser " + h + ": samples that arrived only after the device's sample after next was published: " + late);
      }
      System.err.printf("stalled session browsers: %d for %d s; heap after GC + direct %.1f -> %.1f MB; %d messages dropped%n",
          STALLED, holdS, before / 1e6, after / 1e6, droppedAfter - droppedBefore);
    } finally {
      // A paused socket would never read the close: take the brakes off first.
      for (SessionClient c : stalled) c.resume();
      // The test's own clients, after the hub has closed: their shutdown is no verdict on the hub,
      // and a timeout thrown here would replace the assertion that failed above (in CI the body
      // passed and only this close, of 200 sockets that had been paused, ran past 60 s).
      try {
        clients.close().await(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        System.err.println("StalledSessionBrowsersTest: the clients' Vert.x did not close within 60 s; left to the JVM's exit");
      }
    }
  }

  /** Heap in use after a full GC (the test JVM runs SerialGC, where System.gc() is one) plus direct buffers in use. */
  private static long heapAfterGcPlusDirect() {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) direct += p.getMemoryUsed();
    return heap + direct;
  }

  private static long dropped(int port) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^ifpulse_bridge_dropped_messages_total (\\d+)").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * A browser on SockJS's session transport over WebSocket, as the dashboard's sockjs-client
   * speaks it: the server frames are {@code o} (open), {@code h} (heartbeat), {@code a[...]}
   * (messages, each a JSON string) and {@code c[...]} (close); the client sends a JSON array of
   * strings.
   */
  static final class SessionClient {
    /** Only device, seq and arrival of each sample: the test's own memory must stay flat too. */
    record Seen(String device, long seq, long atNanos) {}

    final List<Seen> samples = new CopyOnWriteArrayList<>();
    private final WebSocket ws;
    private final long pinger;
    private final Vertx vertx;
    volatile boolean closed;

    private SessionClient(Vertx vertx, WebSocket ws) {
      this.vertx = vertx;
      this.ws = ws;
      ws.closeHandler(v -> closed = true);
      ws.textMessageHandler(this::frame);
      // The bridge closes sockets that stay silent (its idle timeout); a stalled tab still pings.
      pinger = vertx.setPeriodic(4000, t -> {
        if (!ws.isClosed()) send(new JsonObject().put("type", "ping"));
      });
    }

    static SessionClient connect(Vertx vertx, WebSocketClient client, int port, int n) {
      String uri = String.format("/eventbus/%03d/session%05d/websocket", n % 1000, n);
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)).await();
      return new SessionClient(vertx, ws);
    }

    private void frame(String f) {
      if (!f.startsWith("a")) return;
      long now = System.nanoTime();
      for (Object o : new JsonArray(f.substring(1))) {
        JsonObject m = new JsonObject((String) o);
        if ("rec".equals(m.getString("type")) && m.getValue("body") instanceof JsonObject body && body.containsKey("seq")) {
          samples.add(new Seen(body.getString("device"), body.getLong("seq"), now));
        }
      }
    }

    void register(String address) {
      send(new JsonObject().put("type", "register").put("address", address));
    }

    private void send(JsonObject m) {
      ws.writeTextMessage(new JsonArray().add(m.encode()).encode());
    }

    void resume() {
      ws.resume();
    }

    /** Stops reading: the socket stays open and keeps pinging, but nothing is taken off the wire. */
    void stall() {
      ws.pause();
    }
  }
}
