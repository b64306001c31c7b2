package io.ifpulse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One browser-like bridge socket that registers any number of addresses and counts what it
 * receives: messages and their bytes as they come off the WebSocket (SockJS's raw endpoint sends
 * each bridge frame as one message, with no wrapping of its own), and refused registrations ({@code
 * err} frames). Only the few bytes of a frame's start are looked at, so the counting costs little.
 */
final class CountingBridgeClient implements AutoCloseable {
  private static final byte[] ERR = "{\"type\":\"err\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private final WebSocketClient client;
  private final WebSocket ws;
  private final long pinger;
  private final Vertx vertx;
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong messages = new AtomicLong();
  final AtomicLong refused = new AtomicLong();

  CountingBridgeClient(Vertx vertx, int port, String bearer, List<String> addresses) throws Exception {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 << 20).setMaxFrameSize(1 << 20));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket");
    if (bearer != null) o.addHeader("Authorization", "Bearer " + bearer);
    this.ws = client.connect(o).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    ws.binaryMessageHandler(this::count);
    ws.textMessageHandler(t -> count(Buffer.buffer(t)));
    for (String a : addresses) ws.writeTextMessage(new JsonObject().put("type", "register").put("address", a).encode());
    // The bridge closes sockets that stay silent for 10 s.
    this.pinger = vertx.setPeriodic(4000, t -> ws.writeTextMessage("{\"type\":\"ping\"}"));
  }

  private void count(Buffer b) {
    bytes.addAndGet(b.length());
    messages.incrementAndGet();
    if (b.length() < 200 && startsWith(b, ERR)) refused.incrementAndGet();
  }

  private static boolean startsWith(Buffer b, byte[] p) {
    if (b.length() < p.length) return false;
    for (int i = 0; i < p.length; i++) if (b.getByte(i) != p[i]) return false;
    return true;
  }

  /** Bytes and messages received over the next {@code window}: {bytes, messages}. */
  long[] measure(Duration window) throws InterruptedException {
    long b0 = bytes.get();
    long m0 = messages.get();
    Thread.sleep(window.toMillis());
    return new long[] {bytes.get() - b0, messages.get() - m0};
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    ws.close();
    client.close();
  }
}
