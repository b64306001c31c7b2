package io.ifpulse.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The benchmark harness ({@code scripts/bench.sh} runs it). Every process it measures runs on its
 * own: the simulated agents ({@link SimulatorServer}), the hub ({@code io.ifpulse.Main}, as an
 * operator starts it), Debian's {@code prometheus-snmp-exporter} and net-snmp's
 * {@code snmpbulkwalk}; CPU is utime + stime from {@code /proc/<pid>/stat} of each, so nothing
 * measured shares a JVM with what it is compared to. Browser clients are raw SockJS WebSockets in
 * this JVM ({@link BridgeClients}). Everything talks over 127.0.0.1 only.
 *
 * <p>Scenarios (see docs/BENCHMARKS.md for what each answers): 1 the same walk by three pollers,
 * 2 sustained live polling, 3 reply-to-browser latency, 4 fan-out ceiling (on scenario 2's hub),
 * 5 memory per interface (on scenario 2's hub), 6 cluster scaling, cross-node latency and failover,
 * 7 the overview of 5,000 devices: one browser's bytes the old way and through the summary, and the
 * summary's CPU with 1 and 100 clients (not in the default set: it needs its own few minutes).
 *
 * <pre>Bench [--scenarios 1,2,3,4,5,6,7] [--rtt 0,10] [--window S] [--repeat N] [--warmup S] [--slot-ms MS] [--compare-slot-ms MS] [--smoke] [--out FILE]</pre>
 *
 * <p>{@code --slot-ms} sets the hubs' {@code poller.slotMs} (their default when absent);
 * {@code --compare-slot-ms} adds to scenario 1 a second hub with that slot, measured in the same
 * interleaved windows, so the two settings meet the same machine.
 */
public final class Bench {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String HC_IN = "1.3.6.1.2.1.31.1.1.1.6";
  private static final String HC_OUT = "1.3.6.1.2.1.31.1.1.1.10";

  private final Options opt;
  private final Path work;
  private final JsonObject results = new JsonObject();
  private final StringBuilder table = new StringBuilder();
  private int nextPort;

  record Options(List<Integer> scenarios, List<Integer> rttsMs, int windowS, int repeat, int walkWarmupS, long slotMs,
      long compareSlotMs, String compareTransport, boolean busTls, boolean smoke, Path out) {
    static Options parse(String[] args) {
      List<Integer> scenarios = List.of(1, 2, 3, 4, 5, 6);
      List<Integer> rtts = List.of(0, 10);
      int window = 20;
      int repeat = 3;
      // Scenario 1 reads each device once a second: a method run once per read reaches C2's
      // invocation threshold (5,000) only after ~250 s, so its windows start after 360 s.
      int walkWarmup = 360;
      long slotMs = 0; // 0: the hub's default
      long compareSlotMs = 0; // 0: no second hub
      String compareTransport = null; // null: no second hub (IFPULSE_TRANSPORT of a second hub otherwise)
      boolean smoke = false;
      // Scenario 6's nodes talk over mutual TLS as a cluster beyond loopback must; off measures the plain bus.
      boolean busTls = true;
      Path out = Path.of("target/bench/results.json");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--scenarios" -> scenarios = ints(args[++i]);
          case "--rtt" -> rtts = ints(args[++i]);
          case "--window" -> window = Math.max(2, Math.min(600, Integer.parseInt(args[++i])));
          case "--repeat" -> repeat = Math.max(1, Math.min(20, Integer.parseInt(args[++i])));
          case "--warmup" -> walkWarmup = Math.max(0, Math.min(3600, Integer.parseInt(args[++i])));
          case "--slot-ms" -> slotMs = Math.max(1, Math.min(3_600_000, Long.parseLong(args[++i])));
          case "--compare-slot-ms" -> compareSlotMs = Math.max(1, Math.min(3_600_000, Long.parseLong(args[++i])));
          case "--compare-transport" -> compareTransport = io.ifpulse.IoTransport.preferNative(
              Map.of(io.ifpulse.IoTransport.ENV, args[++i])) ? "native" : "nio";
          case "--bus-tls" -> busTls = switch (args[++i]) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--bus-tls on|off, not " + args[i]);
          };
          case "--smoke" -> smoke = true;
          case "--out" -> out = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + " (known: --scenarios 1,2,3,4,5,6,7 --rtt 0,10 --window S --repeat N --warmup S --slot-ms MS --compare-slot-ms MS --compare-transport nio|native --bus-tls on|off --smoke --out FILE)");
        }
      }
      if (smoke) {
        window = Math.min(window, 3);
        rtts = List.of(0);
        walkWarmup = 0;
      }
      if (compareSlotMs > 0 && compareTransport != null) {
        throw new IllegalArgumentException("--compare-slot-ms and --compare-transport: one second hub at a time");
      }
      return new Options(scenarios, rtts, window, repeat, walkWarmup, slotMs, compareSlotMs, compareTransport, busTls, smoke, out);
    }

    private static List<Integer> ints(String csv) {
      List<Integer> out = new ArrayList<>();
      for (String s : csv.split(",")) if (!s.isBlank()) out.add(Integer.parseInt(s.trim()));
      return out;
    }
  }

  private Bench(Options opt) throws IOException {
    this.opt = opt;
    this.work = Files.createTempDirectory("ifpulse-bench");
    // Ports well away from the ephemeral range the kernel hands out (32768+).
    this.nextPort = 20_000 + (int) (ProcessHandle.current().pid() % 500) * 20;
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }

  /**
   * A harness that only lends its parts (work directory, ports, starting agents and hubs) to
   * another driver, such as the soak ({@link io.ifpulse.bench.Soak}); runs no scenario.
   */
  static Bench parts() throws IOException {
    return new Bench(Options.parse(new String[] {"--scenarios", "2"}));
  }

  /** Runs the scenarios the arguments select; returns the results it also wrote to {@code --out}. */
  public static JsonObject run(String... args) throws Exception {
    Bench b = new Bench(Options.parse(args));
    b.runScenarios();
    return b.results;
  }

  private void runScenarios() throws Exception {
    results.put("started", Instant.now().toString())
        .put("machine", machine())
        .put("options", new JsonObject().put("scenarios", new JsonArray(opt.scenarios())).put("rttMs", new JsonArray(opt.rttsMs()))
            .put("windowS", opt.windowS()).put("repeat", opt.repeat()).put("walkWarmupS", opt.walkWarmupS()).put("smoke", opt.smoke())
            .put("slotMs", opt.slotMs() > 0 ? opt.slotMs() : io.ifpulse.config.PollerConfig.DEFAULT_SLOT_MS)
            .put("compareSlotMs", opt.compareSlotMs())
            .put("compareTransport", opt.compareTransport())
            .put("clusterBusTls", opt.busTls())
            .put("transport", System.getenv().getOrDefault(io.ifpulse.IoTransport.ENV, "native"))
            .put("hubExtraJvmOptions", new JsonArray(HUB_EXTRA_OPTS)))
        .put("workDir", work.toString());
    say("work directory " + work + " (logs of every process)");
    if (opt.scenarios().contains(1)) sameWalk();
    if (opt.scenarios().stream().anyMatch(s -> s == 2 || s == 4 || s == 5)) sustained();
    if (opt.scenarios().contains(3)) replyToBrowser();
    if (opt.scenarios().contains(6)) cluster();
    if (opt.scenarios().contains(7)) overview();
    results.put("finished", Instant.now().toString());
    Files.createDirectories(opt.out().toAbsolutePath().getParent());
    Files.writeString(opt.out(), results.encodePrettily());
    System.out.println();
    System.out.print(table);
    System.out.println();
    System.out.println("results: " + opt.out().toAbsolutePath());
    String extra = HUB_EXTRA_OPTS.isEmpty() ? "" : "IFPULSE_BENCH_HUB_OPTS='" + String.join(" ", HUB_EXTRA_OPTS) + "' ";
    System.out.println("reproduce: " + extra + "scripts/bench.sh " + String.join(" ", reproduceArgs()));
  }

  private List<String> reproduceArgs() {
    List<String> a = new ArrayList<>();
    a.add("--scenarios");
    a.add(String.join(",", opt.scenarios().stream().map(String::valueOf).toList()));
    if (opt.slotMs() > 0) {
      a.add("--slot-ms");
      a.add(String.valueOf(opt.slotMs()));
    }
    if (opt.compareSlotMs() > 0) {
      a.add("--compare-slot-ms");
      a.add(String.valueOf(opt.compareSlotMs()));
    }
    if (opt.compareTransport() != null) {
      a.add("--compare-transport");
      a.add(opt.compareTransport());
    }
    if (opt.smoke()) {
      a.add("--smoke");
    } else {
      a.add("--rtt");
      a.add(String.join(",", opt.rttsMs().stream().map(String::valueOf).toList()));
      a.add("--window");
      a.add(String.valueOf(opt.windowS()));
      a.add("--repeat");
      a.add(String.valueOf(opt.repeat()));
      if (opt.scenarios().contains(1)) {
        a.add("--warmup");
        a.add(String.valueOf(opt.walkWarmupS()));
      }
    }
    return a;
  }

  // ======================================================================================
  // Scenario 1: the same walk by three pollers

  private void sameWalk() throws Exception {
    int devices = opt.smoke() ? 2 : 20;
    int ifs = opt.smoke() ? 10 : 50;
    int maxRep = 25;
    int reps = opt.smoke() ? 1 : opt.repeat();
    say("scenario 1: HC in/out octets of " + devices * ifs + " interfaces on " + devices + " devices, 1 read per second, "
        + reps + " interleaved windows per poller");
    JsonObject s1 = new JsonObject().put("devices", devices).put("interfaces", devices * ifs)
        .put("varbindsPerRead", devices * ifs * 2).put("maxRepetitions", maxRep).put("retries", 1).put("timeoutMs", 1000)
        .put("repeats", reps);
    JsonArray runs = new JsonArray();
    s1.put("runs", runs);
    results.put("sameWalk", s1);
    try (Agents agents = Agents.start(this, devices, ifs)) {
      for (int rtt : opt.rttsMs()) {
        try (AddedRtt added = AddedRtt.apply(rtt, agents)) {
          say("  rtt " + rtt + " ms: " + added.method());
          List<JsonObject> ip = new ArrayList<>();
          List<JsonObject> alt = new ArrayList<>();
          List<JsonObject> ex = new ArrayList<>();
          List<JsonObject> ns = new ArrayList<>();
          try (Hub hub = walkHub(agents, devices, rtt, 0, Map.of()); Hub other = opt.compareSlotMs() > 0
              ? walkHub(agents, devices, rtt, opt.compareSlotMs(), Map.of())
              : opt.compareTransport() != null
              ? walkHub(agents, devices, rtt, 0, Map.of(io.ifpulse.IoTransport.ENV, opt.compareTransport()))
              : null; Exporter exporter = Exporter.start(this, rtt, maxRep)) {
            warmUp(agents, other == null ? List.of(hub) : List.of(hub, other));
            // Windows of the pollers take turns, so that whatever else the machine does (it is a
            // VM) falls on all of them alike; a hub is stopped (SIGSTOP) while the others run, and
            // polls again for a few seconds before its next window.
            // The two hubs swap places from one round to the next.
            hub.pause();
            if (other != null) other.pause();
            for (int rep = 0; rep < reps; rep++) {
              for (int turn = 0; turn < (other == null ? 1 : 2); turn++) {
                boolean main = other == null || (rep + turn) % 2 == 0;
                Hub h = main ? hub : other;
                h.resume();
                Thread.sleep(5000);
                (main ? ip : alt).add(walkIfpulse(h, main ? "ifpulse" : altName(), agents, ifs, rtt));
                h.pause();
              }
              if (exporter.available()) ex.add(walkExporter(exporter, agents, devices, ifs, rtt));
              ns.add(walkNetSnmp(agents, devices, ifs, rtt, maxRep));
            }
            hub.resume();
            if (other != null) other.resume();
          }
          runs.add(median(ip).put("rttMethod", added.method()));
          if (!alt.isEmpty()) runs.add(median(alt).put("rttMethod", added.method()));
          runs.add(ex.isEmpty() ? new JsonObject().put("poller", "snmp_exporter 0.21").put("rttMs", rtt)
              .put("skipped", "prometheus-snmp-exporter is not installed (scripts/bench.sh installs it)") : median(ex));
          runs.add(median(ns));
        }
      }
    }
    table.append("Scenario 1 - same walk: HC in/out octets of ").append(devices * ifs).append(" interfaces on ").append(devices)
        .append(" devices, read once a second; median of ").append(reps).append(" windows of ").append(opt.windowS()).append(" s\n");
    table.append(String.format(Locale.ROOT, "%-20s %6s %6s %8s %8s %11s %-15s %9s %9s %9s %8s%n", "poller", "rtt ms", "reads",
        "varbinds", "cpu s", "us/varbind", "(all windows)", "read p50", "read p99", "read max", "sim cpu"));
    for (Object o : runs) {
      JsonObject r = (JsonObject) o;
      if (r.containsKey("skipped")) {
        table.append(String.format(Locale.ROOT, "%-20s %6d  skipped: %s%n", r.getString("poller"), r.getInteger("rttMs"),
            r.getString("skipped")));
        continue;
      }
      table.append(String.format(Locale.ROOT, "%-20s %6d %6d %8d %8.3f %11.2f %-15s %9.1f %9.1f %9.1f %8.3f%n",
          r.getString("poller"), r.getInteger("rttMs"), r.getLong("deviceReads"), r.getLong("varbindsRead"),
          r.getDouble("cpuSeconds"), r.getDouble("cpuMicrosPerVarbind"), r.getString("cpuMicrosPerVarbindAll"),
          r.getDouble("readMsP50"), r.getDouble("readMsP99"), r.getDouble("readMsMax"), r.getDouble("simCpuSeconds")));
    }
    for (int rtt : opt.rttsMs()) {
      JsonObject ip = find(runs, "ifpulse", rtt);
      if (ip != null && ip.containsKey("jitCpuSeconds")) {
        table.append(String.format(Locale.ROOT, "  rtt %d ms: ifpulse's JIT compiler threads took %.3f of its %.3f CPU s; without them %.2f us/varbind (windows %s)%n",
            rtt, ip.getDouble("jitCpuSeconds"), ip.getDouble("cpuSeconds"), ip.getDouble("cpuMicrosPerVarbindWithoutJit"),
            ip.getJsonArray("cpuMicrosPerVarbindWithoutJitWindows").encode()));
      }
      for (String peer : List.of(altName(), "snmp_exporter 0.21", "snmpbulkwalk")) {
        JsonObject p = find(runs, peer, rtt);
        if (ip == null || p == null || p.containsKey("skipped")) continue;
        double cpuRatio = p.getDouble("cpuMicrosPerVarbind") / ip.getDouble("cpuMicrosPerVarbind");
        double wallRatio = p.getDouble("readMsP50") / ip.getDouble("readMsP50");
        ip.put("vs " + peer, new JsonObject().put("cpuPerVarbindRatio", round(cpuRatio, 2)).put("readTimeP50Ratio", round(wallRatio, 2)));
        table.append(String.format(Locale.ROOT, "  rtt %d ms: %s uses %.1fx the CPU per varbind of ifpulse; its median device read takes %.1fx as long%n",
            rtt, peer, cpuRatio, wallRatio));
      }
    }
    for (Object o : runs) {
      JsonObject r = (JsonObject) o;
      if ("ifpulse".equals(r.getString("poller"))) table.append("  rtt ").append(r.getInteger("rttMs")).append(" ms added by ")
          .append(r.getString("rttMethod")).append('\n');
    }
    table.append('\n');
  }

  /** The window with the median CPU per varbind, with every window's figure beside it. */
  private static JsonObject median(List<JsonObject> windows) {
    List<JsonObject> sorted = new ArrayList<>(windows);
    sorted.sort(java.util.Comparator.comparingDouble(w -> w.getDouble("cpuMicrosPerVarbind")));
    JsonObject m = sorted.get(sorted.size() / 2).copy();
    JsonArray all = new JsonArray();
    for (JsonObject w : windows) all.add(w.getDouble("cpuMicrosPerVarbind"));
    m.put("cpuMicrosPerVarbindWindows", all);
    if (m.containsKey("jitCpuSeconds")) {
      JsonArray noJit = new JsonArray();
      for (JsonObject w : windows) noJit.add(w.getDouble("cpuMicrosPerVarbindWithoutJit"));
      m.put("cpuMicrosPerVarbindWithoutJitWindows", noJit);
    }
    m.put("cpuMicrosPerVarbindAll", sorted.size() == 1 ? "" : String.format(Locale.ROOT, "%.1f-%.1f",
        sorted.get(0).getDouble("cpuMicrosPerVarbind"), sorted.get(sorted.size() - 1).getDouble("cpuMicrosPerVarbind")));
    return m;
  }

  private static JsonObject find(JsonArray runs, String poller, int rtt) {
    for (Object o : runs) {
      JsonObject r = (JsonObject) o;
      if (poller.equals(r.getString("poller")) && r.getInteger("rttMs") == rtt) return r;
    }
    return null;
  }

  /**
   * The hub for scenario 1: octets only; {@code slotMs} 0 leaves the slot to the options, {@code env}
   * adds to the hub's environment (IFPULSE_TRANSPORT of a second hub).
   */
  private Hub walkHub(Agents agents, int devices, int rtt, long slotMs, Map<String, String> env) throws Exception {
    JsonObject cfg = agents.hubConfig(1000).put("history", new JsonObject().put("seconds", 60));
    cfg.getJsonObject("defaults").put("read", new JsonArray().add("octets")).put("retries", 1).put("timeoutMs", 1000);
    if (slotMs > 0) cfg = withSlot(cfg, slotMs);
    String transport = env.getOrDefault(io.ifpulse.IoTransport.ENV, "");
    Hub hub = Hub.start(this, "ifpulse-walk-rtt" + rtt + (slotMs > 0 ? "-slot" + slotMs : "") + (transport.isEmpty() ? "" : "-" + transport),
        cfg, "256m", List.of(), env);
    try {
      hub.awaitWarm(devices, 4, Duration.ofSeconds(60 + rtt));
      return hub;
    } catch (Exception | Error e) {
      hub.close();
      throw e;
    }
  }

  /**
   * Polls until the JIT has compiled the hot path. At 20 polls a second it keeps compiling for
   * minutes (perf at 125-155 s: C2 threads a third of the hub's CPU); an operator's hub runs for
   * months, so measure it warm. The harness's own queries (Snapshot) are answered by code that
   * would otherwise be compiled in the first measured window: ask them during the warm-up too.
   */
  private void warmUp(Agents agents, List<Hub> hubs) throws Exception {
    long warmEnd = System.nanoTime() + opt.walkWarmupS() * 1_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      for (Hub hub : hubs) Snapshot.take(hub, agents);
      Thread.sleep(Math.min(5_000, Math.max(0, (warmEnd - System.nanoTime()) / 1_000_000)));
    }
  }

  /** A copy of a hub config with {@code poller.slotMs} set. */
  static JsonObject withSlot(JsonObject config, long slotMs) {
    JsonObject c = config.copy();
    c.put("poller", c.getJsonObject("poller", new JsonObject()).put("slotMs", slotMs));
    return c;
  }

  private String altName() {
    if (opt.compareTransport() != null) return "ifpulse " + opt.compareTransport();
    return "ifpulse slot " + opt.compareSlotMs() + " ms";
  }

  /** ifpulse reads the devices on its own schedule; the window counts what it polled meanwhile. */
  private JsonObject walkIfpulse(Hub hub, String name, Agents agents, int ifs, int rtt) throws Exception {
    Snapshot a = Snapshot.take(hub, agents);
    Thread.sleep(opt.windowS() * 1000L);
    Snapshot b = Snapshot.take(hub, agents);
    long polls = b.polls - a.polls;
    long varbinds = polls * ifs * 2;
    Histogram dur = b.histogram("durationUs").copy();
    dur.subtract(a.histogram("durationUs"));
    double cpu = b.hubCpuSince(a);
    double jit = b.hubJitCpuSince(a);
    double withoutJit = Math.max(0, cpu - jit) * 1e6 / Math.max(1, varbinds);
    JsonObject r = walkResult(name, rtt, cpu, polls, varbinds, b, a, dur)
        .put("timeouts", b.timeouts - a.timeouts)
        .put("jitCpuSeconds", round(jit, 3))
        .put("cpuMicrosPerVarbindWithoutJit", round(withoutJit, 3))
        .put("note", "GETs of the known instances (discovery walked the tables at start), the requests of a device in "
            + "flight together; CPU is the whole hub (rates, bus, history, alerts, web side idle)");
    say(String.format(Locale.ROOT, "  %-20s         of which JIT compiler threads %.3f CPU s; without them %.2f us/varbind", "", jit, withoutJit));
    return r;
  }

  private int jitWarmupS() {
    return opt.smoke() ? 0 : 60;
  }

  private JsonObject walkResult(String poller, int rtt, double cpu, long reads, long varbinds, Snapshot end, Snapshot start,
      Histogram readUs) {
    long wire = end.simVarbinds - start.simVarbinds;
    long requests = end.simRequests - start.simRequests;
    JsonObject r = new JsonObject()
        .put("poller", poller).put("rttMs", rtt)
        .put("deviceReads", reads)
        .put("varbindsRead", varbinds)
        .put("varbindsAnswered", wire)
        .put("requests", requests)
        .put("cpuSeconds", round(cpu, 3))
        .put("cpuMicrosPerVarbind", varbinds == 0 ? Double.NaN : round(cpu * 1e6 / varbinds, 3))
        .put("readMsP50", round(readUs.getValueAtPercentile(50) / 1000.0, 2))
        .put("readMsP99", round(readUs.getValueAtPercentile(99) / 1000.0, 2))
        .put("readMsMax", round(readUs.getMaxValue() / 1000.0, 2))
        .put("simCpuSeconds", round(end.simCpu - start.simCpu, 3))
        .put("windowS", round((end.nanos - start.nanos) / 1e9, 2));
    say(String.format(Locale.ROOT, "  %-20s rtt %2d ms: %d reads, %d varbinds (%d answered in %d requests), %.3f CPU s = %.2f us/varbind, read p50 %.1f ms",
        poller, rtt, reads, varbinds, wire, requests, cpu, cpu * 1e6 / Math.max(1, varbinds), readUs.getValueAtPercentile(50) / 1000.0));
    return r;
  }

  /** Debian's snmp_exporter with a hand-written module: the two HC octet columns, nothing else. */
  static final class Exporter implements AutoCloseable {
    static final String EXE = "/usr/bin/prometheus-snmp-exporter";
    final BenchProcess process;
    final int port;

    private Exporter(BenchProcess process, int port) {
      this.process = process;
      this.port = port;
    }

    static Exporter start(Bench b, int rtt, int maxRep) throws Exception {
      if (!Files.isExecutable(Path.of(EXE))) return new Exporter(null, 0);
      int port = b.port();
      Path yml = b.work().resolve("snmp.yml");
      Files.writeString(yml, """
          ifhc:
            walk:
              - %s
              - %s
            metrics:
              - name: ifHCInOctets
                oid: %s
                type: counter
                indexes:
                  - labelname: ifIndex
                    type: gauge
              - name: ifHCOutOctets
                oid: %s
                type: counter
                indexes:
                  - labelname: ifIndex
                    type: gauge
            version: 2
            max_repetitions: %d
            retries: 1
            timeout: 1s
            auth:
              community: public
          """.formatted(HC_IN, HC_OUT, HC_IN, HC_OUT, maxRep));
      BenchProcess p = BenchProcess.start("snmp_exporter-rtt" + rtt, List.of(EXE, "--config.file=" + yml,
          "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"), b.work().resolve("snmp_exporter-rtt" + rtt + ".log"), Map.of());
      awaitHttp("http://127.0.0.1:" + port + "/", Duration.ofSeconds(20));
      return new Exporter(p, port);
    }

    boolean available() {
      return process != null;
    }

    @Override
    public void close() {
      if (process != null) process.close();
    }
  }

  /** The exporter is scraped for every device once a second, all devices at once, as Prometheus does. */
  private JsonObject walkExporter(Exporter exporter, Agents agents, int devices, int ifs, int rtt) throws Exception {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      urls.add("http://127.0.0.1:" + exporter.port + "/snmp?module=ifhc&target=127.0.0.1:" + agents.port(i));
    }
    rounds(urls.size(), 2, i -> scrape(urls.get(i), ifs), new Histogram(3));
    Histogram readUs = new Histogram(3);
    Snapshot a = Snapshot.take(null, agents);
    double cpu0 = exporter.process.cpuSeconds();
    long varbinds = rounds(urls.size(), opt.windowS(), i -> scrape(urls.get(i), ifs), readUs);
    double cpu = exporter.process.cpuSeconds() - cpu0;
    Snapshot b = Snapshot.take(null, agents);
    return walkResult("snmp_exporter 0.21", rtt, cpu, readUs.getTotalCount(), varbinds, b, a, readUs)
        .put("note", "GETBULK walk of each column in turn per scrape; all devices scraped at once each second; read time is the HTTP scrape");
  }

  /** One scrape: the number of octet samples it returned (checked to be the whole walk). */
  private static long scrape(String url, int ifs) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    long n = r.body().lines().filter(l -> l.startsWith("ifHCInOctets{") || l.startsWith("ifHCOutOctets{")).count();
    if (r.statusCode() != 200 || n != 2L * ifs) throw new IllegalStateException("scrape " + url + ": " + r.statusCode() + ", " + n + " samples");
    return n;
  }

  /** net-snmp: a shell per device and read, running snmpbulkwalk for each column in turn. */
  private JsonObject walkNetSnmp(Agents agents, int devices, int ifs, int rtt, int maxRep) throws Exception {
    String exe = "/usr/bin/snmpbulkwalk";
    if (!Files.isExecutable(Path.of(exe))) return new JsonObject().put("poller", "snmpbulkwalk").put("rttMs", rtt)
        .put("skipped", "snmpbulkwalk is not installed (Debian package snmp)")
        .put("cpuMicrosPerVarbind", Double.NaN);
    // -m '': no MIB files parsed (numeric OIDs only), as a script polling counters would run it.
    String walk = exe + " -v2c -c public -Cr" + maxRep + " -r1 -t1 -On -Oq -m '' 127.0.0.1:%d ";
    double[] cpu = new double[1];
    NetSnmpRead read = (i) -> {
      String script = String.format(Locale.ROOT, walk, agents.port(i)) + HC_IN + "; "
          + String.format(Locale.ROOT, walk, agents.port(i)) + HC_OUT + "; echo TIMES; times";
      Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("snmpbulkwalk did not finish");
      }
      long n = out.lines().filter(l -> l.startsWith("." + HC_IN + ".") || l.startsWith("." + HC_OUT + ".")).count();
      if (n != 2L * ifs) throw new IllegalStateException("snmpbulkwalk read " + n + " varbinds: " + out);
      double children = childrenCpuSecondsOfTimes(out);
      synchronized (cpu) {
        cpu[0] += children;
      }
      return n;
    };
    rounds(devices, 1, read, new Histogram(3));
    cpu[0] = 0;
    Histogram readUs = new Histogram(3);
    Snapshot a = Snapshot.take(null, agents);
    long varbinds = rounds(devices, opt.windowS(), read, readUs);
    Snapshot b = Snapshot.take(null, agents);
    return walkResult("snmpbulkwalk", rtt, cpu[0], readUs.getTotalCount(), varbinds, b, a, readUs)
        .put("note", "two snmpbulkwalk processes per device and read (one per column), all devices at once each second; "
            + "CPU is the processes' own (the children's times of the shell that waited for them), read time includes process start");
  }

  private static final java.util.regex.Pattern TIMES_LINE = java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

  /**
   * The CPU of a shell's finished children from bash's {@code times} (after a line "TIMES"): its
   * second line, user and system, in milliseconds (getrusage). The shell's cutime in
   * /proc/<pid>/stat would do, but it is in 10 ms ticks, each of user and system rounded down: a
   * walk of a few milliseconds counts as nothing.
   */
  static double childrenCpuSecondsOfTimes(String out) {
    List<String> lines = out.lines().toList();
    int at = lines.indexOf("TIMES");
    java.util.regex.Matcher m = at < 0 || at + 2 >= lines.size() ? null : TIMES_LINE.matcher(lines.get(at + 2));
    if (m == null || !m.matches()) throw new IllegalStateException("no children's times in: " + out);
    return Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2)) + Long.parseLong(m.group(3)) * 60 + Double.parseDouble(m.group(4));
  }

  interface NetSnmpRead {
    long read(int device) throws Exception;
  }

  /**
   * Reads every device once a second for {@code seconds}, all devices at once, and records each
   * read's wall time; returns the varbinds read. A round longer than a second delays the next.
   */
  private static long rounds(int devices, int seconds, NetSnmpRead read, Histogram readUs) throws Exception {
    long total = 0;
    long start = System.nanoTime();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(devices);
    try {
      for (int round = 0; round < seconds; round++) {
        long due = start + round * 1_000_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        List<CompletableFuture<Long>> f = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
          int d = i;
          f.add(CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
              long n = read.read(d);
              synchronized (readUs) {
                readUs.recordValue((System.nanoTime() - t0) / 1000);
              }
              return n;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }, pool));
        }
        for (CompletableFuture<Long> x : f) total += x.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return total;
  }

  // ======================================================================================
  // Scenarios 2, 4, 5: sustained live polling, fan-out ceiling, memory

  private void sustained() throws Exception {
    int devices = opt.smoke() ? 10 : 400;
    int ifs = 50;
    int window = opt.smoke() ? opt.windowS() : Math.max(opt.windowS(), 40);
    say("scenario 2: " + devices * ifs + " interfaces (" + devices + " devices x " + ifs + ", all 14 columns) every second");
    JsonObject s2 = new JsonObject().put("devices", devices).put("interfaces", devices * ifs).put("intervalMs", 1000)
        .put("columns", 14).put("windowS", window);
    results.put("sustained", s2);
    try (Agents agents = Agents.start(this, devices, ifs)) {
      JsonObject cfg = agents.hubConfig(1000).put("history", new JsonObject().put("seconds", 60));
      try (Hub hub = Hub.start(this, "ifpulse-sustained", cfg, "1g")) {
        hub.awaitWarm(devices, 4, Duration.ofSeconds(120));
        Thread.sleep(Math.max(0, jitWarmupS() - 25) * 1000L); // discovery and warm-up took the rest
        Snapshot a = Snapshot.take(hub, agents);
        Thread.sleep(window * 1000L);
        Snapshot b = Snapshot.take(hub, agents);
        double wall = (b.nanos - a.nanos) / 1e9;
        double cpu = b.hubCpuSince(a);
        long wire = b.simVarbinds - a.simVarbinds;
        Histogram late = b.histogram("startLatenessUs").copy();
        late.subtract(a.histogram("startLatenessUs"));
        Histogram dur = b.histogram("durationUs").copy();
        dur.subtract(a.histogram("durationUs"));
        long published = b.seqSum - a.seqSum;
        long expected = Math.round(devices * wall);
        s2.put("hubCores", round(cpu / wall, 3))
            .put("hubCpuMicrosPerVarbind", round(cpu * 1e6 / Math.max(1, wire), 3))
            .put("varbindsPerSecond", Math.round(wire / wall))
            .put("simCores", round((b.simCpu - a.simCpu) / wall, 3))
            .put("pollStartLatenessMs", percentiles(late))
            .put("pollDurationMs", percentiles(dur))
            .put("timeouts", b.timeouts - a.timeouts)
            .put("overruns", b.overruns - a.overruns)
            .put("samplesPublished", published)
            .put("samplesExpected", expected);
        say(String.format(Locale.ROOT, "  hub %.3f cores (%.2f us/varbind at %d varbinds/s), sim %.3f cores, lateness p99 %.1f ms, "
                + "timeouts %d, published %d of %d expected", cpu / wall, cpu * 1e6 / Math.max(1, wire), Math.round(wire / wall),
            (b.simCpu - a.simCpu) / wall, late.getValueAtPercentile(99) / 1000.0, b.timeouts - a.timeouts, published, expected));
        table.append("Scenario 2 - sustained: ").append(devices * ifs).append(" interfaces (").append(devices).append(" x ").append(ifs)
            .append(", 14 columns) every 1 s, window ").append(Math.round(wall)).append(" s\n");
        table.append(String.format(Locale.ROOT, "  hub CPU %.3f cores = %.2f us per varbind (%,d varbinds/s); simulator %.3f cores%n",
            cpu / wall, cpu * 1e6 / Math.max(1, wire), Math.round(wire / wall), (b.simCpu - a.simCpu) / wall));
        table.append(String.format(Locale.ROOT, "  poll-start lateness p50 %.2f / p99 %.2f / max %.2f ms; poll duration p50 %.1f / p99 %.1f ms%n",
            late.getValueAtPercentile(50) / 1000.0, late.getValueAtPercentile(99) / 1000.0, late.getMaxValue() / 1000.0,
            dur.getValueAtPercentile(50) / 1000.0, dur.getValueAtPercentile(99) / 1000.0));
        table.append(String.format(Locale.ROOT, "  timeouts %d, overruns %d, samples published %d of %d expected%n%n",
            b.timeouts - a.timeouts, b.overruns - a.overruns, published, expected));

        if (opt.scenarios().contains(5)) memory(hub, devices * ifs);
        if (opt.scenarios().contains(4)) fanOutCeiling(hub, devices);
      }
    }
  }

  private static JsonObject percentiles(Histogram h) {
    return new JsonObject().put("count", h.getTotalCount())
        .put("p50", round(h.getValueAtPercentile(50) / 1000.0, 3))
        .put("p99", round(h.getValueAtPercentile(99) / 1000.0, 3))
        .put("p999", round(h.getValueAtPercentile(99.9) / 1000.0, 3))
        .put("max", round(h.getMaxValue() / 1000.0, 3));
  }

  /** Live heap after a full GC (jcmd GC.class_histogram), against a hub with one interface. */
  private void memory(Hub hub, int interfaces) throws Exception {
    long loaded = liveHeap(hub.process.pid());
    long baseline;
    try (Agents one = Agents.start(this, 1, 1);
        Hub small = Hub.start(this, "ifpulse-baseline", one.hubConfig(1000).put("history", new JsonObject().put("seconds", 60)), "1g")) {
      small.awaitWarm(1, 4, Duration.ofSeconds(60));
      baseline = liveHeap(small.process.pid());
    }
    long perIf = (loaded - baseline) / interfaces;
    JsonObject m = new JsonObject().put("interfaces", interfaces).put("liveHeapBytes", loaded).put("baselineLiveHeapBytes", baseline)
        .put("bytesPerInterface", perIf).put("historySeconds", 60)
        .put("bytesPerInterfaceAt900sHistory", perIf + 840L * 12)
        .put("note", "history of 60 s full (61 points, 12 bytes each); the default 900 s adds 840 points x 12 bytes");
    results.put("memory", m);
    say(String.format(Locale.ROOT, "  memory: live heap %.1f MB with %d interfaces, %.1f MB with one: %d bytes per interface", loaded / 1e6,
        interfaces, baseline / 1e6, perIf));
    table.append(String.format(Locale.ROOT, "Scenario 5 - memory: live heap %.1f MB for %,d interfaces (baseline %.1f MB) = %,d bytes per interface with 60 s of history; %,d with the default 900 s%n%n",
        loaded / 1e6, interfaces, baseline / 1e6, perIf, perIf + 840L * 12));
  }

  private static long liveHeap(long pid) throws Exception {
    return Soak.heapAfterGc(pid);
  }

  /** Adds browser clients to scenario 2's hub in steps until p95 latency passes 250 ms. */
  private void fanOutCeiling(Hub hub, int devices) throws Exception {
    int[] steps = opt.smoke() ? new int[] {20, 40} : new int[] {500, 1000, 2000, 3000, 4000};
    int measureS = opt.smoke() ? 2 : 10;
    JsonArray out = new JsonArray();
    int best = 0;
    try (BridgeClients clients = new BridgeClients(hub.httpPort)) {
      for (int n : steps) {
        clients.connectUpTo(n, i -> "ifpulse.traffic." + Agents.deviceId(i % devices));
        Thread.sleep(3000);
        double cpu0 = hub.process.cpuSeconds();
        Histogram h = clients.measure(measureS);
        double cores = (hub.process.cpuSeconds() - cpu0) / measureS;
        double p95 = h.getValueAtPercentile(95) / 1000.0;
        long expected = (long) n * measureS;
        out.add(new JsonObject().put("clients", n).put("p50Ms", round(h.getValueAtPercentile(50) / 1000.0, 2)).put("p95Ms", round(p95, 2))
            .put("p99Ms", round(h.getValueAtPercentile(99) / 1000.0, 2)).put("received", h.getTotalCount()).put("expected", expected)
            .put("hubCores", round(cores, 3)));
        say(String.format(Locale.ROOT, "  fan-out: %d clients, p95 %.1f ms, received %d of %d, hub %.2f cores", n, p95, h.getTotalCount(),
            expected, cores));
        if (p95 <= 250 && h.getTotalCount() >= expected * 0.95) best = n;
        else break;
      }
    }
    results.put("fanOut", new JsonObject().put("steps", out).put("maxClientsP95Under250Ms", best));
    table.append("Scenario 4 - fan-out ceiling while scenario 2 runs (each client watches one device of ").append(devices).append(")\n");
    for (Object o : out) {
      JsonObject s = (JsonObject) o;
      table.append(String.format(Locale.ROOT, "  %5d clients: p50 %.1f / p95 %.1f / p99 %.1f ms, %d of %d messages, hub %.2f cores%n",
          s.getInteger("clients"), s.getDouble("p50Ms"), s.getDouble("p95Ms"), s.getDouble("p99Ms"), s.getLong("received"),
          s.getLong("expected"), s.getDouble("hubCores")));
    }
    table.append("  most clients with p95 <= 250 ms: ").append(best).append("\n\n");
  }

  // ======================================================================================
  // Scenario 3: reply to browser

  private void replyToBrowser() throws Exception {
    int devices = opt.smoke() ? 4 : 200;
    int ifs = 50;
    int clientsN = opt.smoke() ? 40 : 1000;
    say("scenario 3: " + devices * ifs + " interfaces at 1 s, " + clientsN + " SockJS clients");
    try (Agents agents = Agents.start(this, devices, ifs);
        Hub hub = Hub.start(this, "ifpulse-browser", agents.hubConfig(1000).put("history", new JsonObject().put("seconds", 60)), "1g")) {
      hub.awaitWarm(devices, 4, Duration.ofSeconds(90));
      try (BridgeClients clients = new BridgeClients(hub.httpPort)) {
        clients.connectUpTo(clientsN, i -> "ifpulse.traffic." + Agents.deviceId(i % devices));
        Thread.sleep(opt.smoke() ? 3000 : 20_000); // the bridge's path compiles once clients are there
        double cpu0 = hub.process.cpuSeconds();
        Histogram h = clients.measure(opt.windowS());
        double cores = (hub.process.cpuSeconds() - cpu0) / opt.windowS();
        long expected = (long) clientsN * opt.windowS();
        JsonObject s3 = new JsonObject().put("devices", devices).put("interfaces", devices * ifs).put("clients", clientsN)
            .put("windowS", opt.windowS())
            .put("latencyMs", percentiles(h))
            .put("received", h.getTotalCount()).put("expected", expected).put("hubCores", round(cores, 3))
            .put("messageBytes", clients.lastMessageBytes())
            .put("note", "from the sample's ts (the midpoint of the round trip of the poll's last reply) to the client's "
                + "receipt of the WebSocket message, both on this host's clock");
        results.put("replyToBrowser", s3);
        say(String.format(Locale.ROOT, "  latency p50 %.1f / p99 %.1f / p99.9 %.1f ms, %d of %d messages, hub %.2f cores",
            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
            h.getTotalCount(), expected, cores));
        table.append("Scenario 3 - reply to browser: ").append(devices * ifs).append(" interfaces at 1 s, ").append(clientsN)
            .append(" SockJS WebSocket clients (each watches one device), window ").append(opt.windowS()).append(" s\n");
        table.append(String.format(Locale.ROOT, "  latency p50 %.1f / p99 %.1f / p99.9 %.1f / max %.1f ms; %d of %d messages; hub %.2f cores%n%n",
            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
            h.getMaxValue() / 1000.0, h.getTotalCount(), expected, cores));
      }
    }
  }

  // ======================================================================================
  // Scenario 7: the overview of a large fleet

  /**
   * 5,000 devices of 48 interfaces at the 10 s base interval (agents in their own process), one
   * hub with an account: side by side in one window, the bytes a browser receives when it follows
   * the fleet the old way (every device's {@code ifpulse.traffic.<id>} and {@code
   * ifpulse.status.<id>}: two registrations per device, the socket's cap raised for it) and through
   * {@code ifpulse.summary} (one); then the summary's own CPU ({@code
   * ifpulse_summary_cpu_seconds_total}, build and deliver) and the hub's with 1 and with 100
   * summary clients. The harness's queries fall outside the windows, read with a token limited to
   * no device so that /metrics holds only the node's families.
   */
  private void overview() throws Exception {
    int devices = opt.smoke() ? 20 : 5000;
    int ifs = opt.smoke() ? 4 : 48;
    long intervalMs = opt.smoke() ? 1000 : 10_000;
    int windowS = opt.smoke() ? opt.windowS() : Math.max(opt.windowS(), 20);
    int many = opt.smoke() ? 5 : 100;
    say("scenario 7: overview of " + devices + " devices x " + ifs + " interfaces at " + intervalMs / 1000 + " s; old-way client against"
        + " one summary client, then 1 and " + many + " summary clients");
    JsonObject s7 = new JsonObject().put("devices", devices).put("interfacesPerDevice", ifs).put("intervalMs", intervalMs)
        .put("windowS", windowS);
    results.put("overview", s7);
    Path users = work.resolve("overview-users.json");
    String token = io.ifpulse.auth.Passwords.newToken();
    String scrape = io.ifpulse.auth.Passwords.newToken();
    io.ifpulse.auth.UsersFile.EMPTY
        .withToken(new io.ifpulse.auth.UsersFile.Entry("overview", io.ifpulse.auth.Role.VIEWER, io.ifpulse.auth.Passwords.tokenHash(token),
            io.ifpulse.auth.DeviceScope.ALL))
        .withToken(new io.ifpulse.auth.UsersFile.Entry("scrape", io.ifpulse.auth.Role.VIEWER, io.ifpulse.auth.Passwords.tokenHash(scrape),
            new io.ifpulse.auth.DeviceScope(List.of("no-such-device"), List.of())))
        .write(users);
    // Below the kernel's ephemeral ports (32768+): 5,000 agents take a block of their own.
    if (nextPort + devices > 32_000) nextPort = 32_000 - devices - 200;
    try (Agents agents = Agents.start(this, devices, ifs)) {
      JsonObject cfg = agents.hubConfig(intervalMs).put("history", new JsonObject().put("seconds", 60));
      cfg.getJsonObject("web").put("maxHandlersPerSocket", 2 * devices + 10).put("maxSocketsPerUser", many + 10);
      io.vertx.core.Vertx clients = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
      try (Hub hub = Hub.start(this, "ifpulse-overview", cfg, "2g", List.of(), Map.of("IFPULSE__web__auth__usersFile", users.toString()))) {
        long t0 = System.nanoTime();
        // Warm: 99 % of the devices up in the summary (a few may still be in discovery's retries),
        // then one more interval so each has a rate. Discovery of thousands of devices at once keeps
        // the hub's loop busy for a while: an answer may take long then, and is asked again.
        long deadline = System.nanoTime() + Duration.ofSeconds(opt.smoke() ? 60 : 300).toNanos();
        int upNow = 0;
        while ((upNow = up(hub.httpPort, token)) < Math.ceil(devices * 0.99)) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("only " + upNow + " of " + devices + " devices up in the summary");
          Thread.sleep(opt.smoke() ? 500 : 5000);
        }
        double warmS = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(intervalMs);
        long s0 = System.nanoTime();
        HttpResponse<String> snap = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort + "/api/summary"))
            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        double snapMs = (System.nanoTime() - s0) / 1e6;
        s7.put("warmUpS", round(warmS, 1)).put("upAtStart", up(hub.httpPort, token)).put("snapshotBytes", snap.body().length()).put("snapshotMs", round(snapMs, 1));

        // Side by side: the old way and the summary, over the same window.
        List<String> perDevice = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
          perDevice.add("ifpulse.traffic." + Agents.deviceId(i));
          perDevice.add("ifpulse.status." + Agents.deviceId(i));
        }
        JsonObject oldWay;
        JsonObject summaryWay;
        try (CountingBridgeClient old = new CountingBridgeClient(clients, hub.httpPort, token, perDevice);
            CountingBridgeClient one = new CountingBridgeClient(clients, hub.httpPort, token, List.of("ifpulse.summary"))) {
          Thread.sleep(Math.max(3000, intervalMs / 2)); // registrations through, every device's next sample on its way
          long d0 = old.messages.get();
          double cpu0 = hub.process.cpuSeconds();
          long[] summaryTotals0 = {one.bytes.get(), one.messages.get()};
          long[] oldCounts = old.measure(Duration.ofSeconds(windowS));
          double cores = (hub.process.cpuSeconds() - cpu0) / windowS;
          long summaryBytes = one.bytes.get() - summaryTotals0[0];
          long summaryMessages = one.messages.get() - summaryTotals0[1];
          oldWay = new JsonObject().put("registrations", perDevice.size() - old.refused.get()).put("refused", old.refused.get())
              .put("bytesPerSecond", Math.round(oldCounts[0] / (double) windowS)).put("messagesPerSecond", round(oldCounts[1] / (double) windowS, 1));
          summaryWay = new JsonObject().put("registrations", 1 - one.refused.get())
              .put("bytesPerSecond", Math.round(summaryBytes / (double) windowS)).put("messagesPerSecond", round(summaryMessages / (double) windowS, 2));
          s7.put("oldWay", oldWay).put("summary", summaryWay).put("hubCoresBothClients", round(cores, 3));
          say(String.format(Locale.ROOT, "  old way: %d registrations (%d refused), %,d bytes/s; summary: 1 registration, %,d bytes/s; hub %.3f cores",
              oldWay.getLong("registrations"), old.refused.get(), oldWay.getLong("bytesPerSecond"), summaryWay.getLong("bytesPerSecond"), cores));
        }
        Thread.sleep(3000);

        // The summary's CPU with 1 client, then with `many`.
        JsonArray steps = new JsonArray();
        List<CountingBridgeClient> open = new ArrayList<>();
        try {
          for (int n : new int[] {1, many}) {
            while (open.size() < n) open.add(new CountingBridgeClient(clients, hub.httpPort, token, List.of("ifpulse.summary")));
            Thread.sleep(3000);
            double[] c0 = summaryCpu(hub.httpPort, scrape);
            double cpu0 = hub.process.cpuSeconds();
            long bytes0 = open.stream().mapToLong(c -> c.bytes.get()).sum();
            long t = System.nanoTime();
            Thread.sleep(windowS * 1000L);
            double wall = (System.nanoTime() - t) / 1e9;
            double hubCores = (hub.process.cpuSeconds() - cpu0) / wall;
            long bytes = open.stream().mapToLong(c -> c.bytes.get()).sum() - bytes0;
            double[] c1 = summaryCpu(hub.httpPort, scrape);
            JsonObject step = new JsonObject().put("clients", n)
                .put("summaryBuildCores", round((c1[0] - c0[0]) / wall, 4))
                .put("summaryDeliverCores", round((c1[1] - c0[1]) / wall, 4))
                .put("summaryCores", round((c1[0] + c1[1] - c0[0] - c0[1]) / wall, 4))
                .put("hubCores", round(hubCores, 3))
                .put("bytesPerSecondPerClient", Math.round(bytes / wall / n));
            steps.add(step);
            say(String.format(Locale.ROOT, "  %d summary clients: summary %.4f cores (build %.4f, deliver %.4f), hub %.3f cores, %,d bytes/s each", n,
                step.getDouble("summaryCores"), step.getDouble("summaryBuildCores"), step.getDouble("summaryDeliverCores"), hubCores,
                step.getLong("bytesPerSecondPerClient")));
          }
        } finally {
          open.forEach(CountingBridgeClient::close);
        }
        s7.put("summaryCpu", steps);
        table.append("Scenario 7 - overview: ").append(devices).append(" devices x ").append(ifs).append(" interfaces at ")
            .append(intervalMs / 1000).append(" s, window ").append(windowS).append(" s\n");
        table.append(String.format(Locale.ROOT, "  one browser, old way (traffic + status of every device): %,d registrations, %,d bytes/s%n",
            oldWay.getLong("registrations"), oldWay.getLong("bytesPerSecond")));
        table.append(String.format(Locale.ROOT, "  one browser, ifpulse.summary: %d registration, %,d bytes/s; snapshot %,d bytes in %.1f ms%n",
            summaryWay.getLong("registrations"), summaryWay.getLong("bytesPerSecond"), s7.getInteger("snapshotBytes"), snapMs));
        for (Object o : steps) {
          JsonObject st = (JsonObject) o;
          table.append(String.format(Locale.ROOT, "  %3d summary clients: summary CPU %.4f cores (build %.4f, deliver %.4f); hub %.3f cores%n",
              st.getInteger("clients"), st.getDouble("summaryCores"), st.getDouble("summaryBuildCores"), st.getDouble("summaryDeliverCores"),
              st.getDouble("hubCores")));
        }
        table.append("\n");
      } finally {
        clients.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Devices up in the summary; 0 when the hub does not answer within 30 s. */
  private static int up(int port, String token) throws Exception {
    HttpResponse<String> r;
    try {
      r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/summary"))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException busy) {
      return 0;
    }
    if (r.statusCode() != 200) return 0;
    return new JsonObject(r.body()).getJsonObject("fleet").getJsonObject("states").getInteger("up");
  }

  /** ifpulse_summary_cpu_seconds_total: {build, deliver}. */
  private static double[] summaryCpu(int port, String token) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    double[] out = {Double.NaN, Double.NaN};
    for (String l : r.body().split("\n")) {
      if (l.startsWith("ifpulse_summary_cpu_seconds_total{part=\"build\"} ")) out[0] = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      if (l.startsWith("ifpulse_summary_cpu_seconds_total{part=\"deliver\"} ")) out[1] = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
    }
    if (Double.isNaN(out[0]) || Double.isNaN(out[1])) throw new IllegalStateException("no ifpulse_summary_cpu_seconds_total in /metrics");
    return out;
  }

  // ======================================================================================
  // Scenario 6: cluster

  /**
   * Scaling: k = 1, 2, 3 poller nodes (separate JVMs, {@code --role poller}, Hazelcast on
   * loopback) polling k times the devices of one, with one web node beside them that records and
   * serves them all; the CPU of every node. Then the latency of a sample to a browser on a node
   * that polls it and on one that does not (two nodes of role all), and on the 3-poller cluster
   * the time until a killed node's devices reach a browser again.
   */
  private void cluster() throws Exception {
    int perNode = opt.smoke() ? 2 : 60;
    int ifs = 50;
    int window = opt.windowS();
    say("scenario 6: " + perNode + " devices x " + ifs + " interfaces (14 columns) at 1 s per poller node, 1 to 3 poller nodes and a web node");
    JsonObject s6 = new JsonObject().put("devicesPerPollerNode", perNode).put("interfacesPerDevice", ifs).put("windowS", window);
    JsonArray sizes = new JsonArray();
    s6.put("sizes", sizes);
    results.put("cluster", s6);
    table.append("Scenario 6 - cluster: ").append(perNode).append(" devices x ").append(ifs)
        .append(" interfaces (14 columns) at 1 s per poller node, and a web node that records them all; separate JVMs on this 2-core machine\n");
    try (Agents agents = Agents.start(this, 3 * perNode, ifs)) {
      double single = 0;
      for (int k = 1; k <= 3; k++) {
        int devices = k * perNode;
        List<Hub> nodes = new ArrayList<>();
        Map<String, String> env = clusterEnv("scale-" + k);
        JsonObject config = agents.hubConfig(1000, devices).put("history", new JsonObject().put("seconds", 60));
        try {
          Hub web = Hub.start(this, "web-of-" + k, config, "512m", List.of("--cluster", "--role", "web"), env);
          for (int n = 0; n < k; n++) {
            nodes.add(Hub.start(this, "poller" + n + "-of-" + k, config, "512m", List.of("--cluster", "--role", "poller"), env));
          }
          nodes.add(web);
          web.awaitWarm(devices, 4, Duration.ofSeconds(120));
          Thread.sleep((opt.smoke() ? 2 : 30) * 1000L);
          // Consecutive windows; each node's median, since single windows on this VM move by +-30 %.
          int reps = opt.smoke() ? 1 : opt.repeat();
          double[][] cores = new double[k + 2][reps];
          for (int r = 0; r < reps; r++) {
            double[] cpu0 = new double[k + 2];
            for (int n = 0; n <= k; n++) cpu0[n] = nodes.get(n).process.cpuSeconds();
            cpu0[k + 1] = agents.process.cpuSeconds();
            long t0 = System.nanoTime();
            Thread.sleep(window * 1000L);
            double wall = (System.nanoTime() - t0) / 1e9;
            for (int n = 0; n <= k; n++) cores[n][r] = (nodes.get(n).process.cpuSeconds() - cpu0[n]) / wall;
            cores[k + 1][r] = (agents.process.cpuSeconds() - cpu0[k + 1]) / wall;
          }
          JsonArray pollers = new JsonArray();
          double max = 0;
          for (int n = 0; n < k; n++) {
            double c = median(cores[n]);
            pollers.add(round(c, 3));
            max = Math.max(max, c);
          }
          double webCores = median(cores[k]);
          double agentCores = median(cores[k + 1]);
          Map<String, Integer> owned = ownedPerNode(web, nodes.subList(0, k));
          if (k == 1) single = max;
          // Devices one node polls at the single node's CPU, times k: linear in devices near this load.
          double capacity = k * single / max;
          sizes.add(new JsonObject().put("pollerNodes", k).put("devices", devices).put("windows", reps).put("pollerCores", pollers)
              .put("devicesPerPoller", new JsonArray(new ArrayList<>(owned.values()))).put("busiestPollerCores", round(max, 3))
              .put("webNodeCores", round(webCores, 3)).put("agentCores", round(agentCores, 3))
              .put("devicesAtEqualCpuVsOneNode", round(capacity, 2)));
          String line = String.format(Locale.ROOT, "  %d poller node(s), %d devices: pollers %s cores, devices per poller %s;"
              + " web node %.3f cores; agents %.3f cores; devices at the single poller's CPU per node: %.2fx one node%n",
              k, devices, pollers.encode(), owned.values(), webCores, agentCores, capacity);
          say(line.strip());
          table.append(line);
          sizes.getJsonObject(sizes.size() - 1).put("historyResubscriptions", resubscriptions(List.of(web)));
          if (k == 3) failover(nodes, web, s6);
        } finally {
          for (Hub h : nodes) h.close();
        }
      }
      // At least 4 devices, so that each of the two nodes polls some whatever the load cap.
      crossNode(agents, Math.max(4, perNode), s6);
    }
    table.append('\n');
  }

  /**
   * Devices whose samples a node's history stopped hearing and registered for again
   * (HistoryVerticle logs each); 0 is the expected count.
   */
  private int resubscriptions(List<Hub> nodes) throws IOException {
    int n = 0;
    for (Hub h : nodes) {
      Path log = work().resolve(h.process.name + ".log");
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
          if (line.contains("registering for its addresses again")) n++;
        }
      }
    }
    if (n > 0) say("  history re-registered after a silence: " + n + " device(s) (see the nodes' logs)");
    return n;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * A cluster's environment: loopback, a cluster key (every shared-map entry is signed, as
   * always) and, with --bus-tls on, the event bus over mutual TLS with certificates that
   * scripts/cluster-certs.sh makes once per run.
   */
  private Map<String, String> clusterEnv(String step) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("IFPULSE_CLUSTER_NAME", "bench-" + ProcessHandle.current().pid() + "-" + step,
        "IFPULSE_CLUSTER_MEMBERS", "127.0.0.1", "IFPULSE_CLUSTER_PORT", String.valueOf(ports(10)), "IFPULSE_CLUSTER_INTERFACE", "127.0.0.1",
        "HZ_PHONE_HOME_ENABLED", "false", "IFPULSE_CLUSTER_KEY", "bench-cluster-key-" + ProcessHandle.current().pid() + "-0123456789abcdef"));
    if (opt.busTls()) {
      Path dir = work.resolve("bus");
      if (!Files.exists(dir.resolve("node.pem"))) {
        Process p = new ProcessBuilder("scripts/cluster-certs.sh", dir.toString(), "node=127.0.0.1").redirectErrorStream(true)
            .redirectOutput(work.resolve("cluster-certs.log").toFile()).start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("scripts/cluster-certs.sh failed: see " + work.resolve("cluster-certs.log"));
        }
      }
      env.put("IFPULSE_BUS_CERT", dir.resolve("node.pem").toString());
      env.put("IFPULSE_BUS_KEY", dir.resolve("node-key.pem").toString());
      env.put("IFPULSE_BUS_CA", dir.resolve("ca.pem").toString());
    }
    return env;
  }

  /** Devices each of the given nodes polls, in their order, as the node asked sees the owners. */
  private static Map<String, Integer> ownedPerNode(Hub asked, List<Hub> nodes) throws Exception {
    JsonObject view = getJson(asked.httpPort, "/api/cluster");
    Map<String, String> idByAddress = new java.util.HashMap<>();
    for (Object o : view.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      idByAddress.put(m.getString("address"), m.getString("id"));
    }
    Map<String, Integer> perMember = new java.util.HashMap<>();
    JsonObject owners = view.getJsonObject("owners");
    for (String device : owners.fieldNames()) perMember.merge(owners.getString(device), 1, Integer::sum);
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (Hub h : nodes) out.put(h.process.name, perMember.getOrDefault(idByAddress.get(h.memberAddress), 0));
    return out;
  }

  /**
   * Two nodes of role all, each polling half the devices: the latency to a browser on node 0 of
   * the devices it polls and of those node 1 polls.
   */
  private void crossNode(Agents agents, int devices, JsonObject s6) throws Exception {
    List<Hub> nodes = new ArrayList<>();
    Map<String, String> env = clusterEnv("cross");
    JsonObject config = agents.hubConfig(1000, devices).put("history", new JsonObject().put("seconds", 60));
    try {
      for (int n = 0; n < 2; n++) nodes.add(Hub.start(this, "node" + n + "-cross", config, "512m", List.of("--cluster"), env));
      try {
        for (Hub h : nodes) h.awaitWarm(devices, 4, Duration.ofSeconds(120));
      } catch (IllegalStateException e) {
        // Recorded, not thrown: the scaling figures above stand, and this is a finding in itself.
        String owners = getJson(nodes.get(0).httpPort, "/api/cluster").getJsonObject("owners").encode();
        s6.put("crossNodeLatencyMs", new JsonObject().put("error", e.getMessage()).put("owners", owners)
            .put("historyResubscriptions", resubscriptions(nodes)));
        say("  cross-node step: " + e.getMessage() + "; owners " + owners);
        table.append("  cross-node latency not measured: ").append(e.getMessage()).append('\n');
        return;
      }
      crossNode(nodes, devices, s6);
      s6.getJsonObject("crossNodeLatencyMs").put("historyResubscriptions", resubscriptions(nodes));
    } finally {
      for (Hub h : nodes) h.close();
    }
  }

  /** Latency to a browser on node 0 of the devices node 0 polls and of those node 1 polls. */
  private void crossNode(List<Hub> nodes, int devices, JsonObject s6) throws Exception {
    JsonArray local = getJson(nodes.get(0).httpPort, "/api/cluster").getJsonArray("polling");
    JsonArray remote = getJson(nodes.get(1).httpPort, "/api/cluster").getJsonArray("polling");
    if (local.isEmpty() || remote.isEmpty()) {
      s6.put("crossNodeLatencyMs", new JsonObject().put("error", "a node polls nothing: node 0 " + local + ", node 1 " + remote));
      return;
    }
    int perSide = opt.smoke() ? 5 : 50;
    JsonObject out = new JsonObject();
    for (String side : List.of("local", "remote")) {
      JsonArray ids = side.equals("local") ? local : remote;
      try (BridgeClients clients = new BridgeClients(nodes.get(0).httpPort)) {
        clients.connectUpTo(perSide, i -> "ifpulse.traffic." + ids.getString(i % ids.size()));
        Thread.sleep(3000);
        Histogram h = clients.measure(Math.max(3, opt.windowS() / 2));
        out.put(side, percentiles(h));
      }
    }
    double extra = out.getJsonObject("remote").getDouble("p50") - out.getJsonObject("local").getDouble("p50");
    out.put("extraP50Ms", round(extra, 2));
    s6.put("crossNodeLatencyMs", out);
    say(String.format(Locale.ROOT, "  browser on node 0: p50 %.1f ms for its own devices, %.1f ms for node 1's",
        out.getJsonObject("local").getDouble("p50"), out.getJsonObject("remote").getDouble("p50")));
    table.append(String.format(Locale.ROOT, "  browser on node 0 (2 nodes): p50/p99 %.1f/%.1f ms for devices it polls, %.1f/%.1f ms for the other node's: +%.1f ms across nodes%n",
        out.getJsonObject("local").getDouble("p50"), out.getJsonObject("local").getDouble("p99"),
        out.getJsonObject("remote").getDouble("p50"), out.getJsonObject("remote").getDouble("p99"), extra));
  }

  /**
   * kill -9 of poller node 2 of 3: how long until its devices' samples reach a browser on the web
   * node again. The browser watches every device; which ones were the dead node's the web node's
   * view tells, before and after.
   */
  private void failover(List<Hub> nodes, Hub web, JsonObject s6) throws Exception {
    JsonObject before = getJson(web.httpPort, "/api/cluster");
    JsonArray ids = new JsonArray(new ArrayList<>(before.getJsonObject("owners").fieldNames()));
    try (BridgeClients clients = new BridgeClients(web.httpPort)) {
      clients.connectUpTo(ids.size(), i -> "ifpulse.traffic." + ids.getString(i));
      Thread.sleep(3000); // a sample of every device first
      long killed = System.nanoTime();
      Process k = new ProcessBuilder("kill", "-9", String.valueOf(nodes.get(2).process.pid())).start();
      k.waitFor(10, TimeUnit.SECONDS);
      long deadline = killed + 60_000_000_000L;
      JsonObject after = before;
      while (after.getJsonArray("members").size() == before.getJsonArray("members").size() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        after = getJson(web.httpPort, "/api/cluster");
      }
      java.util.Set<String> alive = new java.util.HashSet<>();
      for (Object m : after.getJsonArray("members")) alive.add(((JsonObject) m).getString("id"));
      List<String> victims = new ArrayList<>();
      JsonObject owners = before.getJsonObject("owners");
      for (String id : owners.fieldNames()) if (!alive.contains(owners.getString(id))) victims.add(id);
      if (victims.isEmpty()) {
        s6.put("failover", new JsonObject().put("skipped", "no device of the killed node found in the web node's view"));
        return;
      }
      double worst = 0;
      for (String id : victims) {
        String address = "ifpulse.traffic." + id;
        while (clients.lastArrivalNanos(address) < killed && System.nanoTime() < deadline) Thread.sleep(20);
        worst = Math.max(worst, (clients.lastArrivalNanos(address) - killed) / 1e9);
      }
      s6.put("failover", new JsonObject().put("devicesMoved", victims.size()).put("lastDeviceBackAfterS", round(worst, 2)));
      say(String.format(Locale.ROOT, "  kill -9 of poller node 2: its %d devices all back at the browser within %.2f s", victims.size(), worst));
      table.append(String.format(Locale.ROOT, "  kill -9 of a poller node (3 pollers): its %d devices all back at a browser on the web node within %.2f s%n",
          victims.size(), worst));
    }
  }

  // ======================================================================================
  // Parts

  int port() {
    int p = nextPort;
    nextPort += 1;
    return p;
  }

  /** A block of consecutive ports for simulated agents. */
  int ports(int n) {
    int p = nextPort;
    nextPort += n;
    return p;
  }

  Path work() {
    return work;
  }

  static void say(String s) {
    System.err.println("[bench] " + s);
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private static void awaitHttp(String url, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) throw new IllegalStateException(url + " not answering", e);
        Thread.sleep(200);
      }
    }
  }

  static JsonObject getJson(int port, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body());
  }

  private static JsonObject machine() {
    JsonObject m = new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          m.put("cpu", l.substring(l.indexOf(':') + 1).trim());
          break;
        }
      }
    } catch (IOException e) {
      // not Linux: no CPU model
    }
    return m;
  }

  // ---- the simulated agents, in their own process

  static final class Agents implements AutoCloseable {
    final BenchProcess process;
    final int basePort;
    final JsonObject config;

    private Agents(BenchProcess process, int basePort, JsonObject config) {
      this.process = process;
      this.basePort = basePort;
      this.config = config;
    }

    static String deviceId(int i) {
      return String.format("bench-%03d", i);
    }

    static Agents start(Bench b, int devices, int ifs) throws Exception {
      return start(b, devices, ifs, 3600);
    }

    /** Agents that run for {@code seconds} at most (the soak's run and more). */
    static Agents start(Bench b, int devices, int ifs, int seconds) throws Exception {
      int base = b.ports(devices);
      Path cfg = b.work().resolve("agents-" + base + ".json");
      BenchProcess p = BenchProcess.start("simulator-" + base, List.of(javaBin(), "-XX:+UseSerialGC", "-Xmx1g", "-cp",
          System.getProperty("java.class.path"), SimulatorServer.class.getName(), String.valueOf(devices), String.valueOf(ifs),
          String.valueOf(base), String.valueOf(seconds), cfg.toString()), b.work().resolve("simulator-" + base + ".log"), Map.of());
      p.await("ready"::equals, Duration.ofSeconds(60));
      return new Agents(p, base, new JsonObject(Files.readString(cfg)));
    }

    int port(int device) {
      return basePort + device;
    }

    /** A hub config for these agents (the simulator wrote it), with the interval given. */
    JsonObject hubConfig(long intervalMs) {
      return hubConfig(intervalMs, Integer.MAX_VALUE);
    }

    /** The same with only the first {@code devices} agents. */
    JsonObject hubConfig(long intervalMs, int devices) {
      JsonObject c = config.copy();
      JsonArray all = c.getJsonArray("devices");
      if (devices < all.size()) c.put("devices", new JsonArray(new ArrayList<>(all.getList().subList(0, devices))));
      c.getJsonObject("defaults").put("intervalMs", intervalMs).put("liveIntervalMs", intervalMs);
      c.getJsonObject("web").put("host", "127.0.0.1");
      return c;
    }

    JsonObject stats() throws Exception {
      process.send("stats");
      return new JsonObject(process.await(l -> l.startsWith("{"), Duration.ofSeconds(10)));
    }

    @Override
    public void close() throws Exception {
      try {
        process.send("quit");
      } catch (IOException e) {
        // already gone
      }
      process.close();
    }
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  // ---- the hub, as an operator starts it

  /** More JVM options for every hub and node, to compare JVM settings: IFPULSE_BENCH_HUB_OPTS="-XX:..." */
  static final List<String> HUB_EXTRA_OPTS = System.getenv().getOrDefault("IFPULSE_BENCH_HUB_OPTS", "").isBlank() ? List.of()
      : List.of(System.getenv("IFPULSE_BENCH_HUB_OPTS").trim().split("\\s+"));

  static final class Hub implements AutoCloseable {
    final BenchProcess process;
    final int httpPort;
    /** host:port of its Hazelcast member, as /api/cluster lists members; null when not clustered. */
    final String memberAddress;

    private Hub(BenchProcess process, int httpPort, String memberAddress) {
      this.process = process;
      this.httpPort = httpPort;
      this.memberAddress = memberAddress;
    }

    static Hub start(Bench b, String name, JsonObject config, String heap) throws Exception {
      return start(b, name, config, heap, List.of(), Map.of());
    }

    static Hub start(Bench b, String name, JsonObject config, String heap, List<String> args, Map<String, String> env)
        throws Exception {
      return start(b, name, config, heap, args, env, Duration.ofSeconds(60));
    }

    /** The same, waiting up to {@code within} for each step of the start (the soak's loaded machine needs more). */
    static Hub start(Bench b, String name, JsonObject config, String heap, List<String> args, Map<String, String> env,
        Duration within) throws Exception {
      Path file = b.work().resolve(name + ".json");
      if (b.opt.slotMs() > 0 && !config.getJsonObject("poller", new JsonObject()).containsKey("slotMs")) {
        config = withSlot(config, b.opt.slotMs());
      }
      Files.writeString(file, config.encodePrettily());
      // The JVM options of scripts/run.sh (but the heap, sized per scenario).
      List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-Xmx" + heap, "-XX:PerfDataSamplingInterval=1000"));
      cmd.addAll(HUB_EXTRA_OPTS);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ifpulse.Main", "--config", file.toString()));
      cmd.addAll(args);
      Map<String, String> allEnv = new java.util.HashMap<>(env);
      allEnv.put("IFPULSE__registry__file", b.work().resolve(name + "-registry.json").toString());
      // An open hub on loopback whatever the user's own ~/.ifpulse/users.json holds.
      allEnv.putIfAbsent("IFPULSE__web__auth__usersFile", b.work().resolve(name + "-no-users.json").toString());
      BenchProcess p = BenchProcess.start(name, cmd, b.work().resolve(name + ".log"), allEnv);
      String member = null;
      if (args.contains("--cluster")) {
        String joined = p.await(l -> l.contains("joined cluster as "), within);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("joined cluster as \\[?([^\\]\\s]+)\\]?:(\\d+)").matcher(joined);
        if (m.find()) member = m.group(1) + ":" + m.group(2);
      }
      if (args.contains("poller")) {
        // No HTTP on a poller-only node: it says when it is ready.
        p.await(l -> l.startsWith("ifpulse: node ready"), within);
        return new Hub(p, -1, member);
      }
      String line = p.await(l -> l.startsWith("ifpulse: dashboard at "), within);
      String url = line.substring("ifpulse: dashboard at ".length());
      int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/?$", "$1"));
      return new Hub(p, port, member);
    }

    /** Waits until every device has published {@code samples} samples (discovery and warm-up done). */
    void awaitWarm(int devices, long samples, Duration within) throws Exception {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        JsonArray ds = getJson(httpPort, "/api/devices").getJsonArray("devices");
        long ready = ds.stream().filter(o -> ((JsonObject) o).getLong("seq", 0L) >= samples).count();
        if (ds.size() == devices && ready == devices) return;
        if (System.nanoTime() > deadline) {
          List<String> behind = ds.stream().map(o -> (JsonObject) o).filter(d -> d.getLong("seq", 0L) < samples)
              .map(d -> d.getString("id") + " (seq " + d.getValue("seq") + ", last ts " + d.getValue("lastTs") + ")").toList();
          throw new IllegalStateException(process.name + ": only " + ready + " of " + devices + " devices warmed up in " + within
              + "; behind: " + behind);
        }
        Thread.sleep(500);
      }
    }

    /** Stops the hub's process (SIGSTOP), so that it uses no CPU while a peer is measured. */
    void pause() throws Exception {
      signal("-STOP");
    }

    void resume() throws Exception {
      signal("-CONT");
    }

    private void signal(String sig) throws Exception {
      Process p = new ProcessBuilder("kill", sig, String.valueOf(process.pid())).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("kill " + sig + " failed");
    }

    @Override
    public void close() {
      process.close();
    }
  }

  /** What the hub and the agents had done at one instant. */
  static final class Snapshot {
    long nanos;
    /** The hub's CPU before and after it answered this snapshot's queries. */
    double hubCpu;
    double hubCpuAfterQueries;
    double simCpu;
    double hubJitCpu;
    double hubJitCpuAfterQueries;
    long simVarbinds;
    long simRequests;
    long polls;
    long timeouts;
    long overruns;
    long seqSum;
    JsonObject timing;

    static Snapshot take(Hub hub, Agents agents) throws Exception {
      Snapshot s = new Snapshot();
      s.nanos = System.nanoTime();
      JsonObject st = agents.stats();
      s.simVarbinds = st.getLong("varbinds");
      s.simRequests = st.getLong("requests");
      s.simCpu = agents.process.cpuSeconds();
      if (hub != null) {
        s.hubCpu = hub.process.cpuSeconds();
        s.hubJitCpu = hub.process.jitCpuSeconds();
        for (Object o : getJson(hub.httpPort, "/api/devices").getJsonArray("devices")) {
          JsonObject d = (JsonObject) o;
          JsonObject stats = d.getJsonObject("stats", new JsonObject());
          s.polls += stats.getLong("polls", 0L);
          s.timeouts += stats.getLong("timeouts", 0L);
          s.overruns += stats.getLong("overruns", 0L);
          s.seqSum += d.getLong("seq", 0L);
        }
        s.timing = getJson(hub.httpPort, "/api/poller/timing");
        s.hubJitCpuAfterQueries = hub.process.jitCpuSeconds();
        s.hubCpuAfterQueries = hub.process.cpuSeconds();
      }
      return s;
    }

    /**
     * The hub's CPU seconds from the end of snapshot {@code a} to the start of this one: what
     * polling cost, without the answers to the harness's own queries (a few ms each, and at one
     * read per device per second a large share of a 20 s window).
     */
    double hubCpuSince(Snapshot a) {
      return hubCpu - a.hubCpuAfterQueries;
    }

    /** The JIT compiler threads' part of {@link #hubCpuSince}; never below 0 (threads that exit take their CPU along). */
    double hubJitCpuSince(Snapshot a) {
      return Math.max(0, hubJitCpu - a.hubJitCpuAfterQueries);
    }

    Histogram histogram(String key) {
      byte[] bytes = Base64.getDecoder().decode(timing.getJsonObject(key).getString("histogram"));
      try {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
      } catch (java.util.zip.DataFormatException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- added round-trip time

  /**
   * Round-trip time added for one part of scenario 1: {@code tc netem} on lo where the kernel has
   * it (half the delay each way), else every simulated agent answers that much later — the same
   * for every poller, and a poller cannot tell the two apart.
   */
  static final class AddedRtt implements AutoCloseable {
    private final String method;
    private final Runnable undo;

    private AddedRtt(String method, Runnable undo) {
      this.method = method;
      this.undo = undo;
    }

    static AddedRtt apply(int rttMs, Agents agents) throws Exception {
      if (rttMs == 0) return new AddedRtt("nothing (loopback)", () -> { });
      String[] cmd = {"tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", (rttMs / 2.0) + "ms"};
      String why;
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
          Runtime.getRuntime().addShutdownHook(new Thread(AddedRtt::removeNetem));
          return new AddedRtt("tc netem on lo (" + rttMs / 2.0 + " ms each way)", AddedRtt::removeNetem);
        }
        why = out;
      } catch (IOException e) {
        why = "tc is not available: " + e.getMessage();
      }
      agents.process.send("delay " + rttMs);
      agents.process.await(l -> l.startsWith("delay "), Duration.ofSeconds(10));
      String method = "the agents answering " + rttMs + " ms late (tc netem on lo failed: " + why + ")";
      return new AddedRtt(method, () -> {
        try {
          agents.process.send("delay 0");
          agents.process.await(l -> l.startsWith("delay "), Duration.ofSeconds(10));
        } catch (Exception e) {
          throw new IllegalStateException("could not take the agents' delay back", e);
        }
      });
    }

    String method() {
      return method;
    }

    private static void removeNetem() {
      try {
        new ProcessBuilder("tc", "qdisc", "del", "dev", "lo", "root").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // nothing to remove
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      undo.run();
    }
  }
}
