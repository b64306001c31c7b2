package io.ifpulse.bench;

import io.ifpulse.bench.Bench.Agents;
import io.ifpulse.bench.Bench.Hub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;

/**
 * The soak: scenario 2's load (docs/BENCHMARKS.md) on a 3-node cluster for a stated time, with
 * everything that happens to a hub in months happening every few minutes — browsers connecting and
 * leaving on both bridge transports, devices added and removed over REST, agents restarting, and
 * one node killed with SIGKILL and started again. Every sample period it records, per node, the
 * heap after a full GC, threads, open file descriptors, RSS and the poll-start lateness p99, and
 * from a checking client on a node that is never killed, every sequence gap; at the end it fits a
 * line (least squares, after the warm-up) through each curve and fails on growth beyond the bounds
 * of {@link Bound} or on any loss. See docs/RELIABILITY.md.
 *
 * <pre>Soak [--minutes M] [--devices N] [--interfaces N] [--browsers N] [--kill-every S] [--agent-restart-every S]
 *      [--rest-every S] [--sample-every S] [--warmup S] [--out DIR] [--seed N]</pre>
 *
 * Exits 0 when the verdict passes, 1 when it fails (each failure named on standard error).
 */
public final class Soak {
  /** Devices of the agents that are restarted (their own simulator process), in every node's config. */
  static final int RESTART_DEVICES = 8;
  /** Devices added and removed over REST at most at once (they point at the restarted agents' ports). */
  static final int REST_DEVICES_MAX = 4;
  /** The killed node stays down this long before it is started again. */
  static final int DOWN_S = 20;
  /** After a kill, until this long after the node is back, gaps are counted apart (see {@link SoakChecker}). */
  static final int KILL_GRACE_S = 60;
  /** How long a node may take to join and open its dashboard: minutes on a loaded 2-core machine. */
  static final int START_WITHIN_S = 300;
  /** A watched device whose samples stop arriving for this long outside a kill window is a loss. */
  static final int SILENT_S = 15;

  /**
   * A bound on one curve: it fails when its slope per hour is above {@code perHour} and the growth
   * the line gives over the measured window is above {@code floor} — the floor keeps a short run's
   * noise (one GC's leftovers, a JIT thread) from being read as a leak; over hours the slope rules.
   */
  record Bound(String figure, String unit, double perHour, double floor) {}

  static final List<Bound> BOUNDS = List.of(
      new Bound("heapAfterGcMB", "MB", 8, 24),
      new Bound("threads", "threads", 2, 8),
      new Bound("fds", "fds", 10, 40),
      new Bound("rssMB", "MB", 64, 128),
      new Bound("latenessP99Ms", "ms", 20, 250));

  record Options(double minutes, int devices, int interfaces, int browsers, int killEveryS, int agentRestartEveryS,
      int restEveryS, int sampleEveryS, int warmupS, Path out, long seed) {
    static Options parse(String... args) {
      double minutes = 10;
      int devices = 400;
      int ifs = 50;
      int browsers = 40;
      Integer kill = null;
      Integer restart = null;
      int rest = 15;
      Integer sample = null;
      Integer warmup = null;
      Path out = Path.of("target/soak");
      long seed = 18;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--minutes" -> minutes = Double.parseDouble(args[++i]);
          case "--hours" -> minutes = Double.parseDouble(args[++i]) * 60;
          case "--devices" -> devices = Integer.parseInt(args[++i]);
          case "--interfaces" -> ifs = Integer.parseInt(args[++i]);
          case "--browsers" -> browsers = Integer.parseInt(args[++i]);
          case "--kill-every" -> kill = Integer.parseInt(args[++i]);
          case "--agent-restart-every" -> restart = Integer.parseInt(args[++i]);
          case "--rest-every" -> rest = Integer.parseInt(args[++i]);
          case "--sample-every" -> sample = Integer.parseInt(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--out" -> out = Path.of(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --minutes M --hours H --devices N"
              + " --interfaces N --browsers N --kill-every S --agent-restart-every S --rest-every S --sample-every S --warmup S --out DIR --seed N)");
        }
      }
      if (minutes <= 0 || minutes > 7 * 24 * 60) throw new IllegalArgumentException("--minutes: 0 < M <= one week");
      boolean brief = minutes < 10;
      // A short run compresses the schedule so that each event still happens in it.
      return new Options(minutes, devices, ifs, browsers,
          kill != null ? kill : brief ? 45 : 300,
          restart != null ? restart : brief ? 50 : 180,
          rest,
          sample != null ? sample : brief ? 10 : 60,
          warmup != null ? warmup : brief ? 30 : (int) Math.max(300, minutes * 6),
          out, seed);
    }
  }

  private final Options opt;
  private final Bench parts;
  private final Random random;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicReferenceArray<Hub> nodes = new AtomicReferenceArray<>(3);
  private final int[] generation = new int[3];
  /**
   * Class histograms of nodes 0 and 1: the first after the warm-up and the latest, written beside
   * the series at the end, so that a heap that grew says by which classes without another run.
   */
  private final String[][] histograms = new String[2][2];
  /** When the measured run began (after the cluster's warm-up of four samples a device). */
  private long startNanos;
  private Map<String, String> clusterEnv;
  private JsonObject hubConfig;
  private volatile long killWindowUntilNanos = Long.MIN_VALUE;
  private volatile long lastKillNanos = Long.MIN_VALUE;
  final AtomicLong nodeKills = new AtomicLong();
  final AtomicLong agentRestarts = new AtomicLong();
  final AtomicLong restOk = new AtomicLong();
  final AtomicLong restErrors = new AtomicLong();
  private final List<String> restErrorsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Soak(Options opt) throws IOException {
    this.opt = opt;
    this.parts = Bench.parts();
    this.random = new Random(opt.seed());
  }

  public static void main(String[] args) throws Exception {
    JsonObject result = run(Options.parse(args));
    JsonObject v = result.getJsonObject("verdict");
    if (v.getBoolean("pass")) {
      System.err.println("[soak] PASS");
      System.exit(0);
    }
    for (Object f : v.getJsonArray("failures")) System.err.println("[soak] FAIL: " + f);
    System.exit(1);
  }

  /** Runs the soak; returns the results (also written to {@code out}/soak.json, the series to soak.csv). */
  public static JsonObject run(Options opt) throws Exception {
    return new Soak(opt).soak();
  }

  private JsonObject soak() throws Exception {
    Files.createDirectories(opt.out());
    long runNanos = Math.round(opt.minutes() * 60e9);
    say(String.format(Locale.ROOT, "%.1f min: %d devices x %d interfaces at 1 s on 3 nodes, %d browsers, kill -9 every %d s, "
            + "agents restarted every %d s, REST every %d s; logs in %s", opt.minutes(), opt.devices(), opt.interfaces(),
        opt.browsers(), opt.killEveryS(), opt.agentRestartEveryS(), opt.restEveryS(), parts.work()));
    int restartBase = parts.ports(RESTART_DEVICES);
    JsonArray rows = new JsonArray();
    JsonObject result = new JsonObject().put("options", new JsonObject().put("minutes", opt.minutes()).put("devices", opt.devices())
        .put("interfaces", opt.interfaces()).put("browsers", opt.browsers()).put("killEveryS", opt.killEveryS())
        .put("agentRestartEveryS", opt.agentRestartEveryS()).put("restEveryS", opt.restEveryS()).put("sampleEveryS", opt.sampleEveryS())
        .put("warmupS", opt.warmupS()).put("seed", opt.seed())).put("rows", rows);
    try (Agents agents = Agents.start(parts, opt.devices(), opt.interfaces(), (int) Math.ceil(opt.minutes() * 60) + 900)) {
      RestartingAgents restarting = new RestartingAgents(restartBase);
      try {
        hubConfig = agents.hubConfig(1000).put("history", new JsonObject().put("seconds", 60));
        // Every browser of the harness is the same anonymous account: lift the per-account socket cap.
        hubConfig.getJsonObject("web").put("maxSocketsPerUser", 100_000);
        // Devices added over REST name a credential of the config file (secrets never go over the API).
        hubConfig.put("credentials", new JsonObject().put("soak-ro", new JsonObject().put("version", "v2c").put("community", "public")));
        List<String> watched = new ArrayList<>();
        for (int i = 0; i < opt.devices(); i++) watched.add(Agents.deviceId(i));
        for (int i = 0; i < RESTART_DEVICES; i++) {
          String id = String.format("restart-%02d", i);
          hubConfig.getJsonArray("devices").add(new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", restartBase + i));
          watched.add(id);
        }
        clusterEnv = Map.of("IFPULSE_CLUSTER_NAME", "soak-" + ProcessHandle.current().pid(), "IFPULSE_CLUSTER_MEMBERS", "127.0.0.1",
            "IFPULSE_CLUSTER_PORT", String.valueOf(parts.ports(10)), "IFPULSE_CLUSTER_INTERFACE", "127.0.0.1",
            "HZ_PHONE_HOME_ENABLED", "false", "IFPULSE_CLUSTER_KEY", "soak-cluster-key-" + ProcessHandle.current().pid() + "-0123456789abcdef");
        for (int n = 0; n < 3; n++) startNode(n);
        nodes.get(0).awaitWarm(watched.size(), 4, Duration.ofSeconds(240));
        say("cluster warm: every device has 4 samples");
        try (SoakChecker checker = new SoakChecker(nodes.get(0).httpPort, watched, SILENT_S, this::inKillWindow);
            SoakBrowsers browsers = new SoakBrowsers(this::aliveHttpPorts, watched, opt.browsers(), opt.seed())) {
          Path csv = opt.out().resolve("soak.csv");
          try (Writer w = Files.newBufferedWriter(csv)) {
            w.write("t_s,node,generation,pid,heapAfterGcMB,threads,fds,rssMB,latenessP99Ms,bridgeDropped,seqGaps,gapsAtKill,duplicates,silentDevices,"
                + "checkerDisconnects,browsersOpened,browserMessages,restOk,restErrors,agentRestarts,nodeKills,missedSlots,bridgeClients,hubSubscriptions,unhandled\n");
            Histogram[] lastLateness = new Histogram[3];
            int[] latenessGen = new int[3];
            long start = System.nanoTime();
            startNanos = start;
            long end = start + runNanos;
            long nextSample = start;
            long nextKill = start + opt.killEveryS() * 1_000_000_000L;
            long nextAgentRestart = start + opt.agentRestartEveryS() * 1_000_000_000L;
            long nextRest = start + opt.restEveryS() * 1_000_000_000L;
            Thread killer = null;
            List<String> restDevices = new ArrayList<>();
            int restSerial = 0;
            // Bounded: a pass takes at least 100 ms, so the run's length in tenths of a second and some.
            for (long pass = 0; pass < runNanos / 100_000_000L + 100; pass++) {
              long now = System.nanoTime();
              if (now >= end) break;
              browsers.tick();
              if (now >= nextKill && (killer == null || !killer.isAlive())) {
                killer = new Thread(this::killAndRestart, "soak-killer");
                killer.setDaemon(true);
                killer.start();
                nextKill = now + opt.killEveryS() * 1_000_000_000L;
              }
              if (now >= nextAgentRestart) {
                restarting.restart();
                agentRestarts.incrementAndGet();
                nextAgentRestart = now + opt.agentRestartEveryS() * 1_000_000_000L;
              }
              if (now >= nextRest) {
                if (restDevices.size() < REST_DEVICES_MAX) {
                  String id = "rest-" + restSerial++;
                  if (rest("POST", "/api/devices", new JsonObject().put("id", id).put("host", "127.0.0.1").put("credentials", "soak-ro")
                      .put("port", restartBase + random.nextInt(RESTART_DEVICES)))) restDevices.add(id);
                } else {
                  String id = restDevices.remove(0);
                  rest("DELETE", "/api/devices/" + id, null);
                }
                nextRest = now + opt.restEveryS() * 1_000_000_000L;
              }
              if (now >= nextSample) {
                double t = (now - start) / 1e9;
                boolean inKillWindow = inKillWindow(now);
                int silent = checker.silentDevices(inKillWindow);
                for (int n = 0; n < 3; n++) {
                  Hub h = nodes.get(n);
                  if (h == null || !h.process.alive()) continue;
                  JsonObject row = measure(n, h, lastLateness, latenessGen);
                  row.put("t_s", Math.round(t)).put("seqGaps", checker.gaps.get()).put("gapsAtKill", checker.gapsAtKill.get())
                      .put("duplicates", checker.duplicates.get()).put("silentDevices", silent).put("inKillWindow", inKillWindow)
                      .put("checkerDisconnects", checker.disconnects.get()).put("browsersOpened", browsers.opened.get())
                      .put("browserMessages", browsers.messages.get()).put("restOk", restOk.get()).put("restErrors", restErrors.get())
                      .put("agentRestarts", agentRestarts.get()).put("nodeKills", nodeKills.get());
                  rows.add(row);
                  w.write(String.format(Locale.ROOT, "%d,%d,%d,%d,%.2f,%d,%d,%.2f,%.3f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n",
                      Math.round(t), n, row.getInteger("generation"), row.getLong("pid"), row.getDouble("heapAfterGcMB"),
                      row.getInteger("threads"), row.getInteger("fds"), row.getDouble("rssMB"), row.getDouble("latenessP99Ms"),
                      row.getLong("bridgeDropped"), checker.gaps.get(), checker.gapsAtKill.get(), checker.duplicates.get(), silent, checker.disconnects.get(),
                      browsers.opened.get(), browsers.messages.get(), restOk.get(), restErrors.get(), agentRestarts.get(), nodeKills.get(),
                      row.getLong("missedSlots"), row.getLong("bridgeClients"), row.getLong("hubSubscriptions"),
                      row.getLong("unhandled")));
                }
                w.flush();
                JsonObject first = rows.getJsonObject(rows.size() - 1);
                for (Object o : rows) {
                  JsonObject r = (JsonObject) o;
                  if (r.getInteger("node") == 0 && r.getLong("t_s") == Math.round(t)) first = r;
                }
                say(String.format(Locale.ROOT, "t=%5.0fs node%d heap %.1f MB, %d threads, %d fds, rss %.0f MB, lateness p99 %.1f ms;"
                        + " gaps %d (at kills %d), silent %d, browsers %d, kills %d", t, first.getInteger("node"), first.getDouble("heapAfterGcMB"),
                    first.getInteger("threads"), first.getInteger("fds"), first.getDouble("rssMB"), first.getDouble("latenessP99Ms"),
                    checker.gaps.get(), checker.gapsAtKill.get(), silent, browsers.opened.get(), nodeKills.get()));
                nextSample += opt.sampleEveryS() * 1_000_000_000L;
                // Measuring fell a whole period behind (a loaded machine): skip, never catch up in a burst.
                if (nextSample < System.nanoTime()) nextSample = System.nanoTime() + opt.sampleEveryS() * 1_000_000_000L;
              }
              Thread.sleep(Math.max(100, Math.min(1000, (Math.min(nextSample, end) - System.nanoTime()) / 1_000_000)));
            }
            if (killer != null) killer.join(120_000);
          }
          result.put("checker", new JsonObject().put("samples", checker.samples.get()).put("seqGaps", checker.gaps.get())
              .put("gapsAtKill", checker.gapsAtKill.get()).put("duplicates", checker.duplicates.get())
              .put("late", checker.late.get()).put("disconnects", checker.disconnects.get()).put("gapDevices", new JsonArray(new ArrayList<>(checker.gapDevices()))));
          result.put("browsers", new JsonObject().put("opened", browsers.opened.get()).put("messages", browsers.messages.get())
              .put("failedToOpen", browsers.failed.get()));
        }
        result.put("events", new JsonObject().put("nodeKills", nodeKills.get()).put("agentRestarts", agentRestarts.get())
            .put("restOk", restOk.get()).put("restErrors", restErrors.get()).put("restErrorsSeen", new JsonArray(new ArrayList<>(restErrorsSeen))));
        List<String> deadNodes = new ArrayList<>();
        for (int n = 0; n < 3; n++) if (nodes.get(n) == null || !nodes.get(n).process.alive()) deadNodes.add("node" + n);
        result.put("verdict", verdict(rows, result, deadNodes));
      } finally {
        for (int n = 0; n < 3; n++) {
          Hub h = nodes.get(n);
          if (h != null) h.close();
        }
        restarting.close();
      }
    }
    Files.writeString(opt.out().resolve("soak.json"), result.encodePrettily());
    for (int n = 0; n < 2; n++) {
      if (histograms[n][0] == null) continue;
      Files.writeString(opt.out().resolve("histogram-node" + n + "-first.txt"), histograms[n][0]);
      Files.writeString(opt.out().resolve("histogram-node" + n + "-last.txt"), histograms[n][1]);
    }
    say("series in " + opt.out().resolve("soak.csv") + ", results in " + opt.out().resolve("soak.json"));
    return result;
  }

  private boolean inKillWindow(long now) {
    return now < killWindowUntilNanos || (lastKillNanos != Long.MIN_VALUE && now - lastKillNanos < (DOWN_S + KILL_GRACE_S) * 1_000_000_000L);
  }

  private void startNode(int n) {
    try {
      Hub h = Hub.start(parts, "node" + n + "-g" + generation[n], hubConfig.copy(), "768m", List.of("--cluster"), clusterEnv,
          Duration.ofSeconds(START_WITHIN_S));
      nodes.set(n, h);
    } catch (Exception e) {
      throw new IllegalStateException("node " + n + " did not start: " + e.getMessage(), e);
    }
  }

  /** kill -9 of node 2 (nodes 0 and 1 live the whole run: their curves are judged), and a new node 2 after DOWN_S. */
  private void killAndRestart() {
    try {
      Hub victim = nodes.get(2);
      lastKillNanos = System.nanoTime();
      killWindowUntilNanos = Long.MAX_VALUE;
      Process k = new ProcessBuilder("kill", "-9", String.valueOf(victim.process.pid())).start();
      k.waitFor(10, TimeUnit.SECONDS);
      nodeKills.incrementAndGet();
      say("kill -9 node2 (pid " + victim.process.pid() + ")");
      Thread.sleep(DOWN_S * 1000L);
      victim.close();
      generation[2]++;
      startNode(2);
      say("node2 back (generation " + generation[2] + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      say("node2 restart failed: " + e.getMessage());
    } finally {
      killWindowUntilNanos = System.nanoTime() + KILL_GRACE_S * 1_000_000_000L;
    }
  }

  private List<Integer> aliveHttpPorts() {
    List<Integer> out = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      Hub h = nodes.get(n);
      if (h != null && h.process.alive()) out.add(h.httpPort);
    }
    return out;
  }

  /** A REST call to node 0 or 1 (never the node being killed); false and counted when not 2xx. */
  private boolean rest(String method, String path, JsonObject body) {
    Hub h = nodes.get(random.nextInt(2));
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.httpPort + path)).timeout(Duration.ofSeconds(30));
      b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
          : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        restOk.incrementAndGet();
        return true;
      }
      restErrors.incrementAndGet();
      if (restErrorsSeen.size() < 20) restErrorsSeen.add(method + " " + path + ": " + r.statusCode() + " " + r.body());
    } catch (IOException e) {
      restErrors.incrementAndGet();
      if (restErrorsSeen.size() < 20) restErrorsSeen.add(method + " " + path + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** One node's figures now: heap after a full GC, threads, fds, RSS, and poll-start lateness p99 since the last sample. */
  private JsonObject measure(int n, Hub h, Histogram[] lastLateness, int[] latenessGen) throws Exception {
    long pid = h.process.pid();
    JsonObject row = new JsonObject().put("node", n).put("generation", generation[n]).put("pid", pid);
    String histogram = jcmd(pid, "GC.class_histogram");
    row.put("heapAfterGcMB", Bench.round(liveBytesOf(histogram) / 1e6, 2));
    if (n < 2 && (System.nanoTime() - startNanos) / 1e9 >= opt.warmupS()) {
      if (histograms[n][0] == null) histograms[n][0] = histogram;
      histograms[n][1] = histogram;
    }
    String status = readOr("/proc/" + pid + "/status");
    row.put("threads", (int) statusField(status, "Threads:"));
    row.put("rssMB", Bench.round(statusField(status, "VmRSS:") / 1024.0, 2));
    String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
    row.put("fds", fds == null ? -1 : fds.length);
    double p99 = -1;
    try {
      JsonObject timing = Bench.getJson(h.httpPort, "/api/poller/timing");
      Histogram now = decode(timing.getJsonObject("startLatenessUs").getString("histogram"));
      Histogram delta = now.copy();
      if (lastLateness[n] != null && latenessGen[n] == generation[n] && now.getTotalCount() >= lastLateness[n].getTotalCount()) {
        delta.subtract(lastLateness[n]);
      }
      lastLateness[n] = now;
      latenessGen[n] = generation[n];
      p99 = delta.getTotalCount() == 0 ? 0 : delta.getValueAtPercentile(99) / 1000.0;
    } catch (Exception e) {
      say("node" + n + ": no poller timing (" + e.getMessage() + ")");
    }
    row.put("latenessP99Ms", Bench.round(p99, 3));
    // Messages the node's bridge dropped for browsers that did not read fast enough (the checker's
    // sockets among them): a sequence gap beside a rise here is a slow reader, not a lost sample.
    // And the slots its poller skipped because it reached them too late: polls lost to load, which
    // the checker cannot see (a sample's seq counts polls, not slots).
    String metrics = metrics(h.httpPort);
    row.put("bridgeDropped", metrics == null ? -1 : sumOf(metrics, "ifpulse_bridge_dropped_messages_total"));
    row.put("missedSlots", metrics == null ? -1 : sumOf(metrics, "ifpulse_poll_missed_slots_total"));
    // The bridge's sockets and the hub addresses it listens to: with a bounded number of browsers
    // open at once, either one growing is state of closed browsers left behind.
    row.put("bridgeClients", metrics == null ? -1 : sumOf(metrics, "ifpulse_bridge_clients"));
    row.put("hubSubscriptions", metrics == null ? -1 : sumOf(metrics, "ifpulse_bridge_hub_subscriptions"));
    // Exceptions no handler caught, on both of the node's Vert.x instances: each is a bug or an
    // input nothing checked, whatever else the run says.
    row.put("unhandled", metrics == null ? -1 : sumOf(metrics, "ifpulse_unhandled_exceptions_total"));
    return row;
  }

  /** The node's /metrics, or null when it did not answer. */
  private String metrics(int port) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The sum of a family's series (every label set) in a Prometheus text exposition. */
  static long sumOf(String exposition, String family) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(family) + "(?:\\{[^}]*\\})? (\\S+)$")
        .matcher(exposition);
    double sum = 0;
    while (m.find()) sum += Double.parseDouble(m.group(1));
    return Math.round(sum);
  }

  private static Histogram decode(String base64) throws java.util.zip.DataFormatException {
    return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
  }

  private static String readOr(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }

  private static long statusField(String status, String key) {
    for (String l : status.lines().toList()) {
      if (l.startsWith(key)) return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
    }
    return -1;
  }

  /**
   * Bytes of live objects after a full GC, in one jcmd: GC.class_histogram collects, then counts.
   * Two commands (GC.run, then GC.heap_info) also counted what the node allocated between them, up
   * to the young generation's size (0–180 MB at scenario 2's load beside a steady 125 MB of live
   * objects), which buried any trend in noise.
   */
  static long heapAfterGc(long pid) throws Exception {
    return liveBytesOf(jcmd(pid, "GC.class_histogram"));
  }

  /** The bytes of the histogram's "Total" line. */
  static long liveBytesOf(String histogram) {
    for (String l : histogram.lines().toList()) {
      String[] f = l.trim().split("\\s+");
      if (f.length == 3 && f[0].equals("Total")) return Long.parseLong(f[2]);
    }
    throw new IllegalStateException("no Total line in jcmd GC.class_histogram: " + histogram.lines().limit(5).toList());
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + command + " hung");
    }
    return out;
  }

  // ---- the verdict

  /** Slope per hour of y over t (seconds), by least squares; NaN with fewer than 3 points. */
  static double slopePerHour(double[] t, double[] y) {
    int n = t.length;
    if (n < 3) return Double.NaN;
    double mt = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mt += t[i];
      my += y[i];
    }
    mt /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (t[i] - mt) * (y[i] - my);
      sxx += (t[i] - mt) * (t[i] - mt);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx * 3600;
  }

  /**
   * Pass or fail: per long-lived node (0 and 1) and figure, the slope after the warm-up against
   * its {@link Bound}; any sequence gap outside a kill window, any watched device silent outside
   * one, a checker that lost its socket, a REST change refused, or a node that died on its own.
   */
  JsonObject verdict(JsonArray rows, JsonObject result, List<String> deadNodes) {
    List<String> failures = new ArrayList<>();
    JsonObject slopes = new JsonObject();
    for (int n = 0; n < 2; n++) {
      List<JsonObject> r = new ArrayList<>();
      for (Object o : rows) {
        JsonObject row = (JsonObject) o;
        if (row.getInteger("node") == n && row.getLong("t_s") >= opt.warmupS()) r.add(row);
      }
      JsonObject ns = new JsonObject();
      slopes.put("node" + n, ns);
      if (r.size() < 3) {
        failures.add("node" + n + ": only " + r.size() + " samples after the " + opt.warmupS() + " s warm-up; no slope to judge");
        continue;
      }
      double[] t = r.stream().mapToDouble(x -> x.getLong("t_s")).toArray();
      double hours = (t[t.length - 1] - t[0]) / 3600;
      for (Bound b : BOUNDS) {
        double[] y = r.stream().mapToDouble(x -> x.getDouble(b.figure())).toArray();
        double s = slopePerHour(t, y);
        double growth = s * hours;
        ns.put(b.figure(), new JsonObject().put("perHour", Bench.round(s, 3)).put("overWindow", Bench.round(growth, 3))
            .put("first", y[0]).put("last", y[y.length - 1]).put("boundPerHour", b.perHour()).put("floor", b.floor()));
        if (s > b.perHour() && growth > b.floor()) {
          failures.add(String.format(Locale.ROOT, "node%d %s grows %.2f %s/h (bound %.0f) = %.1f %s over %.0f min after warm-up (floor %.0f)",
              n, b.figure(), s, b.unit(), b.perHour(), growth, b.unit(), hours * 60, b.floor()));
        }
      }
    }
    long gaps = 0;
    int silentOutside = 0;
    for (Object o : rows) {
      JsonObject row = (JsonObject) o;
      gaps = Math.max(gaps, row.getLong("seqGaps"));
      if (!row.getBoolean("inKillWindow") && row.getInteger("silentDevices") > 0) silentOutside = Math.max(silentOutside, row.getInteger("silentDevices"));
    }
    JsonObject c = result.getJsonObject("checker");
    if (c.getLong("seqGaps") > 0) {
      long firstDropped = -1;
      long lastDropped = -1;
      for (Object o : rows) {
        JsonObject row = (JsonObject) o;
        if (row.getInteger("node") != 0) continue;
        if (firstDropped < 0) firstDropped = row.getLong("bridgeDropped");
        lastDropped = row.getLong("bridgeDropped");
      }
      JsonArray devices = c.getJsonArray("gapDevices");
      failures.add("loss: " + c.getLong("seqGaps") + " samples missing (sequence gaps outside kill windows) on " + devices.size() + " device(s) "
          + devices.stream().limit(10).toList() + "; node0's bridge dropped " + (lastDropped - firstDropped)
          + " messages for slow readers meanwhile (the checking client's among them if it fell behind)");
    }
    if (silentOutside > 0) failures.add("loss: " + silentOutside + " watched device(s) silent for over " + SILENT_S + " s outside a kill window");
    if (c.getLong("disconnects") > 0) failures.add("the checking client lost its socket to node0 " + c.getLong("disconnects") + " time(s)");
    if (c.getLong("samples") == 0) failures.add("the checking client received no sample");
    if (restErrors.get() > 0) failures.add(restErrors.get() + " REST change(s) refused: " + restErrorsSeen);
    if (!deadNodes.isEmpty()) failures.add("node(s) not running at the end: " + deadNodes);
    return new JsonObject().put("pass", failures.isEmpty()).put("failures", new JsonArray(failures)).put("slopes", slopes)
        .put("warmupS", opt.warmupS());
  }

  static void say(String s) {
    System.err.println("[soak] " + s);
  }

  // ---- the agents that restart

  /** RESTART_DEVICES simulated agents in a process of their own, stopped and started again on the same ports. */
  private final class RestartingAgents implements AutoCloseable {
    private final int base;
    private BenchProcess process;
    private int starts;

    RestartingAgents(int base) throws Exception {
      this.base = base;
      start();
    }

    private void start() throws Exception {
      Path cfg = parts.work().resolve("restart-agents.json");
      process = BenchProcess.start("restart-agents-" + starts, List.of(Bench.javaBin(), "-XX:+UseSerialGC", "-Xmx128m", "-cp",
          System.getProperty("java.class.path"), SimulatorServer.class.getName(), String.valueOf(RESTART_DEVICES), "8",
          String.valueOf(base), String.valueOf((int) Math.ceil(opt.minutes() * 60) + 900), cfg.toString()), parts.work().resolve("restart-agents-" + starts + ".log"), Map.of());
      starts++;
      process.await("ready"::equals, Duration.ofSeconds(60));
    }

    void restart() throws Exception {
      close();
      start();
    }

    @Override
    public void close() {
      if (process == null) return;
      try {
        process.send("quit");
      } catch (IOException e) {
        // already gone
      }
      process.close();
      process = null;
    }
  }
}
