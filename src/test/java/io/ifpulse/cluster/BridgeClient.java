package io.ifpulse.cluster;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The event-bus bridge at the wire level, with the JDK's WebSocket client: SockJS's raw
 * WebSocket endpoint ({@code /eventbus/websocket}) and the bridge's JSON frames. The server sends
 * its frames as binary WebSocket messages (large ones in several WebSocket frames), so whole
 * messages are assembled before parsing; a ping goes out every 4 s (the bridge closes silent
 * sockets after 10 s).
 */
final class BridgeClient implements AutoCloseable {
  final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final WebSocket ws;
  private final ScheduledExecutorService pinger;

  private BridgeClient(WebSocket ws) {
    this.ws = ws;
    this.pinger = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bridge-client-ping");
      t.setDaemon(true);
      return t;
    });
    pinger.scheduleAtFixedRate(() -> send(new JsonObject().put("type", "ping")), 4, 4, TimeUnit.SECONDS);
  }

  static BridgeClient connect(int port) throws Exception {
    Listener listener = new Listener();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/eventbus/websocket"), listener)
        .get(10, TimeUnit.SECONDS);
    BridgeClient c = new BridgeClient(ws);
    listener.client = c;
    return c;
  }

  private static final class Listener implements WebSocket.Listener {
    volatile BridgeClient client;
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      binary.write(b, 0, b.length);
      if (last) {
        add(new String(binary.toByteArray(), StandardCharsets.UTF_8));
        binary.reset();
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        add(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void add(String message) {
      BridgeClient c = client;
      JsonObject f;
      try {
        f = new JsonObject(message);
      } catch (RuntimeException e) {
        f = new JsonObject().put("type", "unparsable").put("text", message);
      }
      if (c != null) c.frames.add(f);
    }
  }

  synchronized void send(JsonObject frame) {
    try {
      ws.sendText(frame.encode(), true).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a closed socket: the test's wait for frames reports it
    }
  }

  void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  List<JsonObject> received(String address) {
    return frames.stream().filter(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address"))).toList();
  }

  /** Waits (bounded) until {@code p} holds for the frames received so far. */
  boolean await(Predicate<List<JsonObject>> p, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (p.test(frames)) return true;
      ClusterNodes.sleep(50);
    }
    return p.test(frames);
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // already closed
    }
    ws.abort();
  }
}
