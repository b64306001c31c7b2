package io.ifpulse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The soak's browsers: a fixed number of slots, each a bridge socket that lives 10 to 60 s and is
 * replaced by a new one on a node picked at random. Half use SockJS's raw WebSocket
 * ({@code /eventbus/websocket}), half the session transport the dashboard's own SockJS client uses
 * ({@code /eventbus/<server>/<session>/websocket}, frames wrapped as {@code a[...]}); each registers
 * for 5 watched devices. They only count what they receive: what is judged is the nodes' resources
 * as sockets come and go.
 */
final class SoakBrowsers implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final WebSocketClient client = vertx.createWebSocketClient(
      new WebSocketClientOptions().setMaxConnections(10_000).setMaxMessageSize(16 << 20).setMaxFrameSize(1 << 20));
  private final Supplier<List<Integer>> ports;
  private final List<String> devices;
  private final Random random;
  private final Slot[] slots;
  private final long pinger;
  final AtomicLong opened = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong messages = new AtomicLong();

  private static final class Slot {
    volatile WebSocket ws;
    volatile boolean session;
    volatile boolean connecting;
    volatile long expiresNanos;
  }

  SoakBrowsers(Supplier<List<Integer>> ports, List<String> devices, int n, long seed) {
    this.ports = ports;
    this.devices = List.copyOf(devices);
    this.random = new Random(seed ^ 0x5eed);
    this.slots = new Slot[n];
    for (int i = 0; i < n; i++) slots[i] = new Slot();
    // The bridge closes sockets that stay silent for 10 s.
    this.pinger = vertx.setPeriodic(4000, t -> {
      for (Slot s : slots) {
        WebSocket w = s.ws;
        if (w != null && !w.isClosed()) w.writeTextMessage(frame(s.session, "{\"type\":\"ping\"}"));
      }
    });
  }

  private static String frame(boolean session, String json) {
    return session ? new JsonArray().add(json).encode() : json;
  }

  /** Closes the sockets whose time is up and opens new ones in empty slots; called about once a second. */
  void tick() {
    List<Integer> alive = ports.get();
    if (alive.isEmpty()) return;
    long now = System.nanoTime();
    for (Slot s : slots) {
      WebSocket w = s.ws;
      if (w != null && (w.isClosed() || now > s.expiresNanos)) {
        s.ws = null;
        if (!w.isClosed()) w.close();
      }
      if (s.ws == null && !s.connecting) open(s, alive.get(random.nextInt(alive.size())), now);
    }
  }

  private void open(Slot s, int port, long now) {
    boolean session = random.nextBoolean();
    String uri = session ? String.format("/eventbus/%03d/%08x/websocket", random.nextInt(1000), random.nextInt()) : "/eventbus/websocket";
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < 5; i++) addresses.add("ifpulse.traffic." + devices.get(random.nextInt(devices.size())));
    s.connecting = true;
    s.session = session;
    s.expiresNanos = now + (10 + random.nextInt(51)) * 1_000_000_000L;
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)).onComplete(ar -> {
      s.connecting = false;
      if (ar.failed()) {
        failed.incrementAndGet();
        return;
      }
      WebSocket w = ar.result();
      opened.incrementAndGet();
      w.binaryMessageHandler(b -> messages.incrementAndGet());
      w.textMessageHandler(t -> {
        if (t.startsWith("a")) messages.incrementAndGet(); // session frames: "o" open, "h" heartbeat, "a[...]" messages
      });
      for (String a : addresses) w.writeTextMessage(frame(session, new JsonObject().put("type", "register").put("address", a).encode()));
      s.ws = w;
    });
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }
}
