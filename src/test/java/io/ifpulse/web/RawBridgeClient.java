package io.ifpulse.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A bridge client at the wire level: SockJS's raw WebSocket endpoint and the event-bus bridge
 * frames, with nothing of the dashboard's code — what any program (or attacker) can send.
 */
final class RawBridgeClient implements AutoCloseable {
  final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  final List<Long> receivedAtNanos = new CopyOnWriteArrayList<>();
  private final WebSocketClient client;
  private final WebSocket ws;
  private final long pinger;
  private final Vertx vertx;

  private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();

  private RawBridgeClient(Vertx vertx, WebSocketClient client, WebSocket ws, boolean ping) {
    this.vertx = vertx;
    this.client = client;
    this.ws = ws;
    try {
      ws.closeHandler(v -> closed.complete(null));
      // SockJS's raw endpoint sends its frames as binary WebSocket messages, large ones in several
      // WebSocket frames: take whole messages.
      ws.binaryMessageHandler(buffer -> {
        receivedAtNanos.add(System.nanoTime());
        frames.add(new JsonObject(buffer));
      });
      ws.textMessageHandler(text -> {
        receivedAtNanos.add(System.nanoTime());
        frames.add(new JsonObject(text));
      });
    } catch (IllegalStateException alreadyClosed) {
      closed.complete(null); // the server closed it right after the upgrade
    }
    // The bridge closes sockets that stay silent for 10 s.
    pinger = ping ? vertx.setPeriodic(4000, id -> {
      if (!ws.isClosed()) ws.writeTextMessage("{\"type\":\"ping\"}");
    }) : -1;
  }

  static RawBridgeClient connect(Vertx vertx, int port, String origin) {
    return connect(vertx, port, origin, options());
  }

  static WebSocketClientOptions options() {
    return new WebSocketClientOptions().setMaxMessageSize(8 << 20).setMaxFrameSize(1 << 20);
  }

  static RawBridgeClient connect(Vertx vertx, int port, String origin, WebSocketClientOptions options) {
    return connect(vertx, port, origin, options, java.util.Map.of(), true);
  }

  /**
   * With extra headers on the upgrade request (a session cookie, a bearer token); {@code ping}
   * false leaves the socket silent, as a client that went away without closing.
   */
  static RawBridgeClient connect(Vertx vertx, int port, String origin, WebSocketClientOptions options,
      java.util.Map<String, String> headers, boolean ping) {
    WebSocketClient client = vertx.createWebSocketClient(options);
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket");
    if (origin != null) o.addHeader("Origin", origin);
    headers.forEach(o::addHeader);
    WebSocket ws;
    try {
      ws = client.connect(o).await();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return new RawBridgeClient(vertx, client, ws, ping);
  }

  /** Whether the server closed the socket within the timeout. */
  boolean awaitClosed(Duration timeout) throws InterruptedException {
    try {
      closed.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  void register(String address) {
    ws.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
  }

  void send(String address, Object body) {
    ws.writeTextMessage(new JsonObject().put("type", "send").put("address", address).put("body", body).encode());
  }

  void publish(String address, Object body) {
    ws.writeTextMessage(new JsonObject().put("type", "publish").put("address", address).put("body", body).encode());
  }

  void watch(String device) {
    send("ifpulse.interest", new JsonObject().put("type", "watch").put("device", device));
  }

  /** Stops reading: the server's writes pile up in TCP buffers and then in its write queue. */
  void stall() {
    ws.pause();
  }

  JsonObject await(Predicate<JsonObject> p, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (JsonObject f : frames) if (p.test(f)) return f;
      Thread.sleep(20);
    }
    throw new AssertionError("no matching frame within " + timeout + "; got " + frames);
  }

  List<JsonObject> received(String address) {
    return frames.stream().filter(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address"))).toList();
  }

  @Override
  public void close() {
    if (pinger >= 0) vertx.cancelTimer(pinger);
    ws.close();
    client.close();
  }
}
