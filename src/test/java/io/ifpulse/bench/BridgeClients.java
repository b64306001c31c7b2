package io.ifpulse.bench;

import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Many browser-like clients at the wire level: each is a SockJS raw WebSocket to the hub's bridge
 * that registers for one address, and for every message records the time from the sample's
 * {@code ts} to its arrival here (both on this host's clock, via {@link MonotonicClock} in each
 * process). Only the few bytes up to {@code "ts":} are looked at, so the clients stay cheap next
 * to the hub on the same cores.
 */
final class BridgeClients implements AutoCloseable {
  private static final byte[] TS = "\"ts\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final WebSocketClient client;
  private final int port;
  private final List<WebSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Recorder latencyUs = new Recorder(3);
  private volatile int lastMessageBytes;
  private final java.util.Map<String, Long> lastArrival = new java.util.concurrent.ConcurrentHashMap<>();
  private final long pinger;

  BridgeClients(int port) {
    this.port = port;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(20_000)
        .setMaxMessageSize(16 << 20).setMaxFrameSize(1 << 20));
    // The bridge closes sockets that stay silent for 10 s.
    this.pinger = vertx.setPeriodic(4000, t -> {
      for (WebSocket ws : sockets) ws.writeTextMessage("{\"type\":\"ping\"}");
    });
  }

  /** Opens clients until there are {@code n}; client i registers for {@code address.apply(i)}. */
  void connectUpTo(int n, IntFunction<String> address) throws Exception {
    while (sockets.size() < n) {
      int batch = Math.min(100, n - sockets.size());
      List<Future<WebSocket>> opened = new ArrayList<>();
      for (int k = 0; k < batch; k++) {
        String addr = address.apply(sockets.size() + k);
        opened.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
            .onSuccess(ws -> {
              ws.binaryMessageHandler(b -> onMessage(addr, b));
              ws.textMessageHandler(t -> onMessage(addr, Buffer.buffer(t)));
              ws.writeTextMessage(new JsonObject().put("type", "register").put("address", addr).encode());
            }));
      }
      for (Future<WebSocket> f : opened) {
        WebSocket ws = f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        sockets.add(ws);
      }
    }
  }

  private void onMessage(String address, Buffer b) {
    int at = indexOf(b, TS, 0, Math.min(b.length(), 400));
    if (at < 0) return;
    lastArrival.put(address, System.nanoTime());
    long ts = 0;
    for (int i = at + TS.length; i < b.length(); i++) {
      byte c = b.getByte(i);
      if (c < '0' || c > '9') break;
      ts = ts * 10 + (c - '0');
    }
    lastMessageBytes = b.length();
    latencyUs.recordValue(Math.max(0, Math.round((MonotonicClock.nowEpochMillis() - ts) * 1000)));
  }

  private static int indexOf(Buffer b, byte[] p, int from, int to) {
    outer:
    for (int i = from; i <= to - p.length; i++) {
      for (int j = 0; j < p.length; j++) if (b.getByte(i + j) != p[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** Latencies of the messages received over the next {@code seconds}. */
  Histogram measure(int seconds) throws InterruptedException {
    latencyUs.getIntervalHistogram(); // forget what came before
    Thread.sleep(seconds * 1000L);
    return latencyUs.getIntervalHistogram();
  }

  /** When the last sample for an address arrived (System.nanoTime), or Long.MIN_VALUE. */
  long lastArrivalNanos(String address) {
    return lastArrival.getOrDefault(address, Long.MIN_VALUE);
  }

  int lastMessageBytes() {
    return lastMessageBytes;
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }
}
