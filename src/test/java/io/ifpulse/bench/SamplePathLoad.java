package io.ifpulse.bench;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.HubConfig;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one sample costs the hub on its way from the poll to the history, the alerts and a
 * browser: the real hub (simulated agents, poller, history, alerts, web side) polls {@code
 * --devices} simulated devices of {@code --interfaces} interfaces every {@code --interval-ms},
 * with one bridge client registered for every device's samples and status and for the alerts.
 * After {@code --warmup} polls per device, it measures {@code --windows} windows of {@code
 * --window} polls per device: the bytes allocated and the CPU time of the hub's and the web
 * side's event-loop threads (where polling, recording, evaluating and the bridge's encoding all
 * run), per sample delivered to the client, also split by side (the hub's loop polls, records and
 * evaluates; the web side's loops encode and write to the client), and the process's CPU.
 *
 * <pre>
 * ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -XX:+UseSerialGC -Xmx512m -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.ifpulse.bench.SamplePathLoad --devices 20 --interfaces 50 --interval-ms 200
 * </pre>
 */
public final class SamplePathLoad {
  private SamplePathLoad() {}

  public static void main(String[] args) throws Exception {
    int devices = 20;
    int interfaces = 50;
    int intervalMs = 200;
    int warmup = 150;
    int window = 150;
    int windows = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--devices" -> devices = v;
        case "--interfaces" -> interfaces = v;
        case "--interval-ms" -> intervalMs = v;
        case "--warmup" -> warmup = v;
        case "--window" -> window = v;
        case "--windows" -> windows = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    JsonObject result = run(devices, interfaces, intervalMs, warmup, window, windows);
    System.out.println(result.encodePrettily());
    System.exit(0);
  }

  static JsonObject run(int devices, int interfaces, int intervalMs, int warmup, int window, int windows) throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-sample-path");
    JsonArray list = new JsonArray();
    for (int d = 0; d < devices; d++) {
      list.add(new JsonObject().put("id", String.format("dev-%02d", d))
          .put("sim", new JsonObject().put("model", "steady").put("interfaces", interfaces).put("speedMbps", 1000).put("rateMbps", 100)));
    }
    JsonObject cfg = new JsonObject()
        .put("defaults", new JsonObject().put("intervalMs", intervalMs).put("liveIntervalMs", intervalMs).put("discoveryIntervalS", 86_400))
        .put("simulator", new JsonObject().put("basePort", 0))
        .put("web", new JsonObject().put("port", 0).put("auth", new JsonObject().put("usersFile", dir.resolve("users.json").toString())))
        .put("registry", new JsonObject().put("file", dir.resolve("devices.json").toString()))
        .put("devices", list);
    HubConfig config = ConfigLoader.parse(cfg, Map.of());
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Main.Hub hub = Main.start(config, false); Client client = new Client(hub.httpPort(), devices)) {
      long[] hubLoops = loopThreads(hub.vertx());
      long[] webLoops = loopThreads(hub.web());
      long[] loops = java.util.stream.LongStream.concat(Arrays.stream(hubLoops), Arrays.stream(webLoops)).toArray();
      client.awaitTraffic((long) warmup * devices, (long) warmup * intervalMs * 4 + 60_000);
      JsonArray measured = new JsonArray();
      for (int w = 0; w < windows; w++) {
        long samples0 = client.traffic.get();
        long bytes0 = sum(threads.getThreadAllocatedBytes(loops));
        long hubBytes0 = sum(threads.getThreadAllocatedBytes(hubLoops));
        long cpu0 = cpu(threads, loops);
        long proc0 = os.getProcessCpuTime();
        long[] gc0 = gc();
        long t0 = System.nanoTime();
        client.awaitTraffic(samples0 + (long) window * devices, (long) window * intervalMs * 4 + 30_000);
        long samples = client.traffic.get() - samples0;
        long bytes = sum(threads.getThreadAllocatedBytes(loops)) - bytes0;
        long hubBytes = sum(threads.getThreadAllocatedBytes(hubLoops)) - hubBytes0;
        long cpu = cpu(threads, loops) - cpu0;
        long proc = os.getProcessCpuTime() - proc0;
        long[] gc1 = gc();
        double seconds = (System.nanoTime() - t0) / 1e9;
        measured.add(new JsonObject()
            .put("samples", samples)
            .put("seconds", round(seconds, 2))
            .put("loopBytesPerSample", bytes / samples)
            .put("loopBytesPerInterface", round((double) bytes / samples / interfaces, 1))
            .put("hubLoopBytesPerSample", hubBytes / samples)
            .put("webLoopBytesPerSample", (bytes - hubBytes) / samples)
            .put("loopCpuUsPerSample", round(cpu / 1e3 / samples, 1))
            .put("processCpuUsPerSample", round(proc / 1e3 / samples, 1))
            .put("processCores", round(proc / 1e9 / seconds, 3))
            .put("gcCollections", gc1[0] - gc0[0])
            .put("gcMs", gc1[1] - gc0[1]));
      }
      return new JsonObject()
          .put("devices", devices).put("interfaces", interfaces).put("intervalMs", intervalMs)
          .put("warmupPolls", warmup).put("windowPolls", window)
          .put("loopThreads", loops.length)
          .put("bridgeMessages", client.messages.get())
          .put("windows", measured)
          .put("median", median(measured));
    }
  }

  /** The event-loop threads of the given Vert.x instances (asked of each loop, so the names do not matter). */
  private static long[] loopThreads(Vertx... all) throws Exception {
    Set<Long> ids = new LinkedHashSet<>();
    for (Vertx v : all) {
      for (EventExecutor loop : ((VertxInternal) v).nettyEventLoopGroup()) ids.add(loop.submit(() -> Thread.currentThread().getId()).get());
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static long cpu(com.sun.management.ThreadMXBean threads, long[] ids) {
    long s = 0;
    for (long id : ids) s += Math.max(0, threads.getThreadCpuTime(id));
    return s;
  }

  private static long sum(long[] values) {
    return Arrays.stream(values).filter(v -> v > 0).sum();
  }

  private static long[] gc() {
    long n = 0;
    long ms = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
      ms += Math.max(0, b.getCollectionTime());
    }
    return new long[] {n, ms};
  }

  private static JsonObject median(JsonArray windows) {
    JsonObject out = new JsonObject();
    for (String key : List.of("loopBytesPerSample", "loopBytesPerInterface", "hubLoopBytesPerSample", "webLoopBytesPerSample",
        "loopCpuUsPerSample", "processCpuUsPerSample", "processCores")) {
      List<Double> v = new ArrayList<>();
      for (Object o : windows) v.add(((JsonObject) o).getDouble(key));
      v.sort(null);
      out.put(key, v.get(v.size() / 2));
    }
    return out;
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  /**
   * One browser-like bridge client on its own Vert.x (so its threads are not counted): registered
   * for every device's samples and status and for the alerts; counts what arrives.
   */
  private static final class Client implements AutoCloseable {
    private static final byte[] TRAFFIC = "\"address\":\"ifpulse.traffic.".getBytes(StandardCharsets.US_ASCII);
    final AtomicLong traffic = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final WebSocketClient ws;
    private final WebSocket socket;
    private final long pinger;

    Client(int port, int devices) {
      ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 << 20).setMaxFrameSize(1 << 20));
      socket = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket")).await();
      socket.binaryMessageHandler(this::count);
      socket.textMessageHandler(t -> count(Buffer.buffer(t)));
      List<String> addresses = new ArrayList<>();
      for (int d = 0; d < devices; d++) {
        addresses.add("ifpulse.traffic." + String.format("dev-%02d", d));
        addresses.add("ifpulse.status." + String.format("dev-%02d", d));
      }
      addresses.add("ifpulse.alerts");
      for (String a : addresses) socket.writeTextMessage(new JsonObject().put("type", "register").put("address", a).encode());
      // The bridge closes sockets that stay silent for 10 s.
      pinger = vertx.setPeriodic(4000, t -> socket.writeTextMessage("{\"type\":\"ping\"}"));
    }

    private void count(Buffer b) {
      messages.incrementAndGet();
      if (contains(b, TRAFFIC)) traffic.incrementAndGet();
    }

    private static boolean contains(Buffer b, byte[] what) {
      int n = Math.min(b.length(), 200) - what.length;
      outer:
      for (int i = 0; i <= n; i++) {
        for (int k = 0; k < what.length; k++) if (b.getByte(i + k) != what[k]) continue outer;
        return true;
      }
      return false;
    }

    void awaitTraffic(long n, long timeoutMs) throws InterruptedException {
      long end = System.nanoTime() + timeoutMs * 1_000_000L;
      while (traffic.get() < n) {
        if (System.nanoTime() > end) throw new IllegalStateException("only " + traffic.get() + " of " + n + " samples arrived");
        Thread.sleep(5);
      }
    }

    @Override
    public void close() {
      vertx.cancelTimer(pinger);
      socket.close();
      vertx.close().await();
    }
  }
}
