package io.ifpulse.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The event-bus bridge at the wire level: SockJS's raw WebSocket endpoint
 * ({@code /eventbus/websocket}) and the bridge's JSON frames, with nothing of the dashboard's code
 * — what any program (or attacker) can send. The one bridge client of the tests, for a hub in the
 * test's process and for nodes in their own processes alike.
 *
 * <p>The server sends its frames as binary WebSocket messages, large ones in several WebSocket
 * frames: whole messages are taken. A ping goes out every 4 s unless asked not to (the bridge
 * closes sockets that stay silent for 10 s).
 */
public final class BridgeClient implements AutoCloseable {
  /** Every frame received, in arrival order; {@link #receivedAtNanos} holds when each arrived. */
  public final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  public final List<Long> receivedAtNanos = new CopyOnWriteArrayList<>();
  private final WebSocketClient client;
  private final WebSocket ws;
  private final long pinger;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private BridgeClient(Vertx vertx, boolean ownsVertx, WebSocketClient client, WebSocket ws, boolean ping) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.client = client;
    this.ws = ws;
    try {
      ws.closeHandler(v -> closed.complete(null));
      ws.binaryMessageHandler(buffer -> add(buffer.toString()));
      ws.textMessageHandler(this::add);
    } catch (IllegalStateException alreadyClosed) {
      closed.complete(null); // the server closed it right after the upgrade
    }
    pinger = ping ? vertx.setPeriodic(4000, id -> {
      if (!ws.isClosed()) ws.writeTextMessage("{\"type\":\"ping\"}");
    }) : -1;
  }

  private synchronized void add(String message) {
    JsonObject f;
    try {
      f = new JsonObject(message);
    } catch (RuntimeException e) {
      f = new JsonObject().put("type", "unparsable").put("text", message);
    }
    // Time first: a test that reads frame i finds its arrival time at index i.
    receivedAtNanos.add(System.nanoTime());
    frames.add(f);
  }

  /** Room for the largest frames the hub sends (a history answer of many interfaces). */
  public static WebSocketClientOptions options() {
    return new WebSocketClientOptions().setMaxMessageSize(8 << 20).setMaxFrameSize(1 << 20);
  }

  /** A client on its own Vert.x (closed with the client), for tests that have none, such as those of node processes. */
  public static BridgeClient connect(int port) {
    Vertx own = Vertx.vertx();
    try {
      return connect(own, true, port, null, options(), Map.of(), true);
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  public static BridgeClient connect(Vertx vertx, int port, String origin) {
    return connect(vertx, port, origin, options());
  }

  public static BridgeClient connect(Vertx vertx, int port, String origin, WebSocketClientOptions options) {
    return connect(vertx, port, origin, options, Map.of(), true);
  }

  /**
   * With extra headers on the upgrade request (a session cookie, a bearer token); {@code ping}
   * false leaves the socket silent, as a client that went away without closing.
   */
  public static BridgeClient connect(Vertx vertx, int port, String origin, WebSocketClientOptions options,
      Map<String, String> headers, boolean ping) {
    return connect(vertx, false, port, origin, options, headers, ping);
  }

  private static BridgeClient connect(Vertx vertx, boolean ownsVertx, int port, String origin, WebSocketClientOptions options,
      Map<String, String> headers, boolean ping) {
    WebSocketClient client = vertx.createWebSocketClient(options);
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket");
    if (origin != null) o.addHeader("Origin", origin);
    headers.forEach(o::addHeader);
    WebSocket ws;
    try {
      ws = client.connect(o).await(10, TimeUnit.SECONDS);
    } catch (RuntimeException | TimeoutException e) {
      client.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException("bridge on port " + port + " not answering", e);
    }
    return new BridgeClient(vertx, ownsVertx, client, ws, ping);
  }

  /** Forgets what was received so far (frames and their arrival times together). */
  public synchronized void clear() {
    frames.clear();
    receivedAtNanos.clear();
  }

  /** Whether the server closed the socket within the timeout. */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    try {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public void register(String address) {
    write(new JsonObject().put("type", "register").put("address", address));
  }

  public void send(String address, Object body) {
    write(new JsonObject().put("type", "send").put("address", address).put("body", body));
  }

  public void publish(String address, Object body) {
    write(new JsonObject().put("type", "publish").put("address", address).put("body", body));
  }

  /** Asks the hub to poll a device at its live interval while this socket is open. */
  public void watch(String device) {
    send("ifpulse.interest", new JsonObject().put("type", "watch").put("device", device));
  }

  /** Any frame at all, as a hostile browser would send it. */
  public void frame(JsonObject frame) {
    write(frame);
  }

  private void write(JsonObject frame) {
    if (!ws.isClosed()) ws.writeTextMessage(frame.encode());
  }

  /** Stops reading: the server's writes pile up in TCP buffers and then in its write queue. */
  public void stall() {
    ws.pause();
  }

  /**
   * Sends the WebSocket close frame and nothing else: the connection stays until the server closes
   * it (or the client's closing timeout ends). A stalled client that does this leaves the hub with
   * a socket the browser has closed but whose connection is still there.
   */
  public void sendClose() {
    if (pinger >= 0) vertx.cancelTimer(pinger);
    ws.close();
  }

  /** The first frame (received so far or within the timeout) that matches. */
  public JsonObject await(Predicate<JsonObject> p, Duration timeout) {
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
          .until(() -> frames.stream().filter(p).findFirst().orElse(null), java.util.Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no matching frame within " + timeout + "; got " + frames);
    }
  }

  /** Whether {@code condition} (on what this client received) holds within the timeout. */
  public boolean until(BooleanSupplier condition, Duration timeout) {
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** The frames of messages delivered for the address ("rec"), in arrival order. */
  public List<JsonObject> received(String address) {
    return frames.stream().filter(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address"))).toList();
  }

  @Override
  public void close() {
    if (pinger >= 0) vertx.cancelTimer(pinger);
    ws.close();
    client.close();
    if (ownsVertx) vertx.close().await();
  }
}
