package io.ifpulse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * The soak's checking client: bridge sockets to a node that is never killed, registered together
 * for every watched device's traffic address ({@value #DEVICES_PER_SOCKET} a socket), that follows each device's sample sequence. A sample's
 * {@code seq} counts 1, 2, 3 … per device and is carried over when another node takes the device
 * (the handover state), so a number skipped is a sample published and lost on its way. While a
 * device changes hands, the old and the new owner may both publish for a moment: each device keeps
 * a few runs of numbers, and a sample continues the run just below it; one lower than every run
 * starts a new run (a node that polls the device afresh), one equal to a run's last is a duplicate.
 * Gaps within a kill window (the killed node's last samples in flight) are counted apart. A number
 * counted missing that arrives after all (the old owner's last sample overtaken by the new
 * owner's first, on another node's connection) is taken back from the gaps and counted late.
 *
 * <p>Only the first bytes of each message are read ({@code "device":"…"} and {@code "seq":}), so
 * the checker costs little next to the nodes on the same cores.
 */
final class SoakChecker implements AutoCloseable {
  private static final byte[] DEVICE = "\"device\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final WebSocketClient client;
  private final int port;
  private final List<String> watched;
  private final int silentS;
  private final LongPredicate inKillWindow;
  private final long pinger;
  private final Map<String, Long> lastArrival = new ConcurrentHashMap<>();
  private final List<WebSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closing;
  final AtomicLong samples = new AtomicLong();
  /** The sequence numbers of every watched device; on the checker's one event loop. */
  private final SeqFollower seqs = new SeqFollower();
  final AtomicLong gaps = seqs.gaps;
  final AtomicLong gapsAtKill = seqs.gapsAtKill;
  final AtomicLong duplicates = seqs.duplicates;
  final AtomicLong late = seqs.late;
  final AtomicLong disconnects = new AtomicLong();

  SoakChecker(int port, List<String> watched, int silentS, LongPredicate inKillWindow) throws Exception {
    this.port = port;
    this.watched = List.copyOf(watched);
    this.silentS = silentS;
    this.inKillWindow = inKillWindow;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 << 20).setMaxFrameSize(1 << 20));
    connect();
    long now = System.nanoTime();
    for (String d : watched) lastArrival.put(d, now);
    // The bridge closes sockets that stay silent for 10 s.
    this.pinger = vertx.setPeriodic(4000, t -> {
      for (WebSocket w : sockets) if (!w.isClosed()) w.writeTextMessage("{\"type\":\"ping\"}");
    });
  }

  /** Sockets of at most this many devices each: one socket for all would be a slow client the bridge drops for. */
  static final int DEVICES_PER_SOCKET = 25;

  private void connect() throws Exception {
    for (int from = 0; from < watched.size(); from += DEVICES_PER_SOCKET) {
      connect(watched.subList(from, Math.min(watched.size(), from + DEVICES_PER_SOCKET)));
    }
  }

  private void connect(List<String> devices) throws Exception {
    WebSocket w = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    w.binaryMessageHandler(this::onMessage);
    w.textMessageHandler(t -> onMessage(Buffer.buffer(t)));
    w.closeHandler(v -> {
      sockets.remove(w);
      if (closing) return;
      disconnects.incrementAndGet();
      Soak.say("checking client: socket to node0 closed; connecting again");
      vertx.setTimer(1000, t -> {
        try {
          connect(devices);
        } catch (Exception e) {
          Soak.say("checking client: cannot connect again: " + e.getMessage());
        }
      });
    });
    for (String d : devices) w.writeTextMessage(new JsonObject().put("type", "register").put("address", "ifpulse.traffic." + d).encode());
    sockets.add(w);
  }

  private void onMessage(Buffer b) {
    int limit = Math.min(b.length(), 600);
    int d = indexOf(b, DEVICE, 0, limit);
    int s = indexOf(b, SEQ, 0, limit);
    if (d < 0 || s < 0) return; // not a sample (a pong, an error frame)
    int from = d + DEVICE.length;
    int to = from;
    while (to < limit && b.getByte(to) != '"') to++;
    String device = b.getString(from, to, "US-ASCII");
    long seq = 0;
    for (int i = s + SEQ.length; i < b.length(); i++) {
      byte c = b.getByte(i);
      if (c < '0' || c > '9') break;
      seq = seq * 10 + (c - '0');
    }
    long now = System.nanoTime();
    samples.incrementAndGet();
    lastArrival.put(device, now);
    seqs.take(device, seq, () -> inKillWindow.test(now));
  }

  /** Watched devices with no sample for {@code silentS} seconds; outside a kill window each is a loss. */
  int silentDevices(boolean inKillWindowNow) {
    long now = System.nanoTime();
    int n = 0;
    for (Long t : lastArrival.values()) if (now - t > silentS * 1_000_000_000L) n++;
    return n;
  }

  Set<String> gapDevices() {
    return seqs.gapDevices();
  }

  private static int indexOf(Buffer b, byte[] p, int from, int to) {
    outer:
    for (int i = from; i <= to - p.length; i++) {
      for (int j = 0; j < p.length; j++) if (b.getByte(i + j) != p[j]) continue outer;
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    closing = true;
    vertx.cancelTimer(pinger);
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }
}
