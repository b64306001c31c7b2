package io.ifpulse.cluster;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Cluster nodes as separate JVMs running {@code io.ifpulse.Main --cluster}, for the multi-process
 * tests: one config file for all of them, one unique cluster name per harness (so that runs never
 * mix), a Hazelcast port range found free on 127.0.0.1, and per node its own HTTP port, registry
 * file and log file (stdout and stderr together). The clustered event bus runs over mutual TLS as
 * it must beyond loopback: one CA per harness, made by scripts/cluster-certs.sh (so that every
 * cluster test also runs the script), and a certificate per node slot.
 *
 * <p>Every process started here is ended by {@link #close} and, should a test never get there, by
 * a JVM shutdown hook. Every wait is bounded in time.
 */
final class ClusterNodes implements AutoCloseable {
  static final String READY_WEB = "ifpulse: dashboard at http://";
  static final String READY_NODE = "ifpulse: node ready";
  private static final Pattern DASHBOARD = Pattern.compile("ifpulse: dashboard at http://[^:/\\s]+:(\\d+)/");
  /**
   * Node JVMs: a small heap, the hub's collector (docs/ARCHITECTURE.md, Timing) and the module
   * access Hazelcast asks for, as scripts/run.sh gives it.
   */
  static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "-Dhazelcast.phone.home.enabled=false");

  enum Role {
    ALL, POLLER, WEB, SUBSCRIBER;

    boolean web() {
      return this == ALL || this == WEB;
    }

    boolean polls() {
      return this == ALL || this == POLLER;
    }

    String arg() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One node slot: the same index keeps its registry file across restarts. */
  final class Node {
    final int index;
    final Path registryFile;
    volatile Role role;
    volatile Process process;
    volatile Path log;
    volatile int httpPort;
    volatile int runs;
    volatile long startedNanos;
    volatile long readyNanos;
    /** Stopped by SIGSTOP: only SIGKILL ends it. */
    volatile boolean frozen;
    /** The Hazelcast member uuid, from {@code GET /api/cluster} once ready (web roles only). */
    volatile String memberId;

    Node(int index) {
      this.index = index;
      this.registryFile = dir.resolve("node-" + index + "-devices.json");
    }

    boolean alive() {
      Process p = process;
      return p != null && p.isAlive();
    }

    String logText() {
      Path l = log;
      if (l == null) return "(not started)";
      try {
        return Files.exists(l) ? Files.readString(l, StandardCharsets.ISO_8859_1) : "(no log yet)";
      } catch (IOException e) {
        return "(cannot read " + l + ": " + e + ")";
      }
    }

    String logTail(int lines) {
      String[] all = logText().split("\n");
      int from = Math.max(0, all.length - lines);
      StringBuilder b = new StringBuilder();
      for (int i = from; i < all.length; i++) b.append("    ").append(all[i]).append('\n');
      return b.toString();
    }

    @Override
    public String toString() {
      Process p = process;
      return "node-" + index + "[" + role + (p == null ? "" : ", pid " + p.pid() + (p.isAlive() ? "" : ", exited"))
          + (httpPort > 0 ? ", http " + httpPort : "") + (memberId != null ? ", member " + memberId : "") + "]";
    }
  }

  /** The moments of a stop, in {@link MonotonicClock} epoch milliseconds (comparable with sample ts). */
  record Stop(double signalledAtMs, double exitedAtMs, int exitCode) {
    double tookMs() {
      return exitedAtMs - signalledAtMs;
    }
  }

  record Response(int status, String body) {
    JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object (HTTP " + status + "): " + body, e);
      }
    }
  }

  final Path dir;
  final Path config;
  final String clusterName = "t-" + UUID.randomUUID();
  final int hazelcastPort;
  /** How IFPULSE_CLUSTER_MEMBERS is given to the nodes; the contract's form. */
  volatile String members = "127.0.0.1";
  /** False starts plain standalone hubs (no --cluster, no --role): a baseline to compare with. */
  volatile boolean clustered = true;
  /** Where the harness's CA and the nodes' certificates are made (on the first node's start). */
  final Path busDir;
  /**
   * False starts nodes with a plain event bus (allowed on loopback only); so does
   * {@code -Difpulse.cluster.plainBus=true}, to tell whether a failure has to do with TLS.
   */
  volatile boolean busTls = !Boolean.getBoolean("ifpulse.cluster.plainBus");
  private final Map<String, Map<String, String>> busMaterial = new HashMap<>();
  private final Map<Integer, Node> nodes = new TreeMap<>();
  private final Map<String, String> extraEnv = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final Thread shutdownHook;
  private final boolean keepDir;
  private volatile boolean closed;

  /**
   * @param config the config file every node reads (devices pointing at the test's simulator)
   */
  ClusterNodes(String testName, JsonObject config) {
    try {
      this.dir = Files.createTempDirectory("ifpulse-" + testName + "-");
      this.config = dir.resolve("cluster.json");
      this.busDir = dir.resolve("bus");
      Files.writeString(this.config, config.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.hazelcastPort = freeTcpBlock(20);
    this.keepDir = Boolean.getBoolean("ifpulse.cluster.keepLogs");
    this.shutdownHook = new Thread(this::killAll, "cluster-nodes-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    System.out.println("[cluster] " + testName + ": cluster " + clusterName + ", Hazelcast from port " + hazelcastPort
        + ", files in " + dir);
  }

  /** An environment variable given to every node started from now on. */
  ClusterNodes env(String name, String value) {
    extraEnv.put(name, value);
    return this;
  }

  synchronized Node node(int index) {
    Node n = nodes.get(index);
    if (n == null) throw new IllegalArgumentException("no node " + index);
    return n;
  }

  synchronized List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  synchronized List<Node> running() {
    return nodes.values().stream().filter(Node::alive).toList();
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  /** Starts node {@code index} (again, if it ran before: same registry file, new port and log). */
  Node start(int index, Role role) {
    return start(index, role, Map.of());
  }

  /** Like {@link #start(int, Role)}, with environment variables for this node only (they win over all others). */
  Node start(int index, Role role, Map<String, String> nodeEnv) {
    return start(index, role, nodeEnv, List.of());
  }

  /** Like {@link #start(int, Role, Map)}, with more command-line arguments (e.g. --print). */
  Node start(int index, Role role, Map<String, String> nodeEnv, List<String> args) {
    if (closed) throw new IllegalStateException("closed");
    Node n;
    synchronized (this) {
      n = nodes.computeIfAbsent(index, Node::new);
    }
    if (n.alive()) throw new IllegalStateException(n + " is running");
    n.role = role;
    n.runs++;
    n.httpPort = role.web() ? freeTcpPort() : 0;
    n.memberId = null;
    n.readyNanos = 0;
    n.frozen = false;
    n.log = dir.resolve("node-" + index + (n.runs > 1 ? "-run" + n.runs : "") + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-Difpulse.test.node=" + index); // to tell the processes apart in ps
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ifpulse.Main", "--config", config.toString()));
    if (clustered) cmd.addAll(List.of("--cluster", "--role", role.arg()));
    cmd.addAll(args);
    // The working directory is the test's own (the project): a node finds conf/cluster.xml and
    // webroot/ there, as it does when an operator starts it from the checkout.
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("IFPULSE")); // nothing of the caller's environment leaks in
    env.put("IFPULSE_CLUSTER_NAME", clusterName);
    env.put("IFPULSE_CLUSTER_MEMBERS", members);
    env.put("IFPULSE_CLUSTER_PORT", Integer.toString(hazelcastPort));
    env.put("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1");
    env.put("HZ_PHONE_HOME_ENABLED", "false");
    env.put("IFPULSE__web__host", "127.0.0.1");
    env.put("IFPULSE__web__port", Integer.toString(role.web() ? n.httpPort : 0));
    env.put("IFPULSE__registry__file", n.registryFile.toString());
    // Open on loopback whatever the user's own ~/.ifpulse/users.json holds; a test may give a file.
    env.put("IFPULSE__web__auth__usersFile", n.registryFile.resolveSibling("no-users.json").toString());
    if (clustered && busTls) env.putAll(busEnv("node-" + index));
    env.putAll(extraEnv);
    env.putAll(nodeEnv);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(n.log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      n.startedNanos = System.nanoTime();
      n.process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + index, e);
    }
    System.out.println("[cluster] started " + n);
    return n;
  }

  /** Starts the node and waits until it says it is ready; returns its start-to-ready time. */
  Node startAndWait(int index, Role role, Duration timeout) {
    Node n = start(index, role);
    waitReady(index, timeout);
    return n;
  }

  /**
   * Waits for the node's ready line: the dashboard line for roles with HTTP (its port is taken
   * from the line), "node ready" for the others. Fails at once, with the log's tail, if the node
   * exits.
   */
  void waitReady(int index, Duration timeout) {
    Node n = node(index);
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> isReady(index, n));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(n + " not ready within " + timeout + "; log:\n" + n.logTail(60));
    }
  }

  private boolean isReady(int index, Node n) {
    String text = n.logText();
    boolean ready;
    if (n.role.web()) {
      Matcher m = DASHBOARD.matcher(text);
      ready = m.find();
      if (ready) {
        int port = Integer.parseInt(m.group(1));
        if (port != n.httpPort) {
          System.out.println("[cluster] NOTE " + n + " reports dashboard port " + port + " (asked for " + n.httpPort + ")");
          n.httpPort = port;
        }
      }
    } else {
      ready = text.contains(READY_NODE);
    }
    if (ready) {
      n.readyNanos = System.nanoTime();
      if (n.role.web()) {
        try {
          n.memberId = cluster(index).getString("node");
        } catch (RuntimeException | AssertionError e) {
          System.out.println("[cluster] NOTE " + n + ": GET /api/cluster failed right after ready: " + e.getMessage());
        }
      }
      System.out.printf("[cluster] %s ready after %.1f s%n", n, (n.readyNanos - n.startedNanos) / 1e9);
      return true;
    }
    if (!n.alive()) {
      throw new AssertionError(n + " exited (code " + n.process.exitValue() + ") before it was ready; log:\n" + n.logTail(60));
    }
    return false;
  }

  /** SIGKILL (Process.destroyForcibly on Linux); returns the instant of the signal. */
  double kill9(int index) {
    Node n = node(index);
    double at = MonotonicClock.nowEpochMillis();
    n.process.destroyForcibly();
    waitExit(n, Duration.ofSeconds(10));
    System.out.printf("[cluster] killed -9 %s%n", n);
    return at;
  }

  /**
   * SIGSTOP: the process hangs with its sockets open, as a node in a long GC pause or on a stuck
   * host does; only the heartbeat timeout can tell. Returns the instant of the signal.
   */
  double freeze(int index) {
    Node n = node(index);
    double at = MonotonicClock.nowEpochMillis();
    signal(n, "STOP");
    n.frozen = true;
    System.out.printf("[cluster] froze (SIGSTOP) %s%n", n);
    return at;
  }

  /** SIGCONT after {@link #freeze}: the node resumes as if no time had passed. */
  double thaw(int index) {
    Node n = node(index);
    double at = MonotonicClock.nowEpochMillis();
    signal(n, "CONT");
    n.frozen = false;
    System.out.printf("[cluster] thawed (SIGCONT) %s%n", n);
    return at;
  }

  private static void signal(Node n, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(n.process.pid())).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + n.process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM (Process.destroy): Main's shutdown hook leaves the cluster; waits up to 30 s for the exit. */
  Stop stopGracefully(int index) {
    Node n = node(index);
    double at = MonotonicClock.nowEpochMillis();
    n.process.destroy();
    boolean exited = waitExit(n, Duration.ofSeconds(30));
    double exitedAt = MonotonicClock.nowEpochMillis();
    if (!exited) {
      n.process.destroyForcibly();
      waitExit(n, Duration.ofSeconds(10));
      throw new AssertionError(n + " did not exit within 30 s of SIGTERM; killed it. log:\n" + n.logTail(40));
    }
    Stop s = new Stop(at, exitedAt, n.process.exitValue());
    System.out.printf("[cluster] stopped %s: exit %d after %.0f ms%n", n, s.exitCode(), s.tookMs());
    return s;
  }

  private static boolean waitExit(Node n, Duration timeout) {
    try {
      return n.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The last lines of every node's log, for assertion messages. */
  String tails(int lines) {
    StringBuilder b = new StringBuilder("\n--- node logs (" + dir + ") ---\n");
    for (Node n : nodes()) b.append(n).append(":\n").append(n.logTail(lines));
    return b.toString();
  }

  String tails() {
    return tails(25);
  }

  @Override
  public void close() {
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // called while the JVM exits
    }
    List<Node> all = nodes();
    for (Node n : all) {
      if (!n.alive()) continue;
      if (n.frozen) n.process.destroyForcibly(); // a stopped process never handles SIGTERM
      else n.process.destroy();
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (Node n : all) {
      Process p = n.process;
      if (p == null) continue;
      try {
        long left = Math.max(1, end - System.nanoTime());
        if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
          System.out.println("[cluster] " + n + " ignored SIGTERM for 15 s; killing it");
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (keepDir) {
      System.out.println("[cluster] kept " + dir);
    } else {
      deleteTree(dir);
    }
  }

  /** The shutdown hook: no waiting for graceful exits, just make sure nothing survives the test JVM. */
  private void killAll() {
    for (Node n : nodes()) {
      Process p = n.process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        try {
          p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          return;
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Event-bus TLS

  /**
   * IFPULSE_BUS_CERT, IFPULSE_BUS_KEY and IFPULSE_BUS_CA of a certificate of this harness's CA for
   * {@code name} (made once; the CA on the first call).
   */
  synchronized Map<String, String> busEnv(String name) {
    return busMaterial.computeIfAbsent(name, k -> certificates(busDir, k));
  }

  /**
   * Runs {@code scripts/cluster-certs.sh dir name=127.0.0.1} and returns the variables it prints for
   * the node: a CA per directory, made on the first call for it.
   */
  static Map<String, String> certificates(Path dir, String name) {
    List<String> cmd = List.of("scripts/cluster-certs.sh", dir.toString(), name + "=127.0.0.1");
    try {
      Files.createDirectories(dir.getParent());
      Path out = Files.createTempFile(dir.getParent(), "cluster-certs-", ".out");
      Path err = Files.createTempFile(dir.getParent(), "cluster-certs-", ".err");
      Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " took over 30 s");
      }
      String printed = Files.readString(out) + Files.readString(err);
      Files.delete(out);
      Files.delete(err);
      if (p.exitValue() != 0) throw new AssertionError(cmd + " exited " + p.exitValue() + ": " + printed);
      Map<String, String> vars = new LinkedHashMap<>();
      for (String line : printed.split("\n")) {
        int eq = line.indexOf('=');
        if (line.startsWith("IFPULSE_BUS_") && eq > 0) vars.put(line.substring(0, eq), line.substring(eq + 1));
      }
      if (!vars.keySet().equals(Set.of("IFPULSE_BUS_CERT", "IFPULSE_BUS_KEY", "IFPULSE_BUS_CA"))) {
        throw new AssertionError(cmd + " printed " + printed);
      }
      return vars;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------------------------------
  // HTTP

  Response request(int index, String method, String path, JsonObject body) {
    Node n = node(index);
    if (n.httpPort <= 0) throw new IllegalStateException(n + " serves no HTTP");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort + path))
        .timeout(Duration.ofSeconds(10));
    HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode());
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, pub);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " on " + n + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(int index, String path) {
    return request(index, "GET", path, null);
  }

  JsonObject getJson(int index, String path) {
    Response r = get(index, path);
    if (r.status() != 200) throw new AssertionError("GET " + path + " on " + node(index) + ": HTTP " + r.status() + " " + r.body());
    return r.json();
  }

  Response post(int index, String path, JsonObject body) {
    return request(index, "POST", path, body);
  }

  Response put(int index, String path, JsonObject body) {
    return request(index, "PUT", path, body);
  }

  Response delete(int index, String path) {
    return request(index, "DELETE", path, null);
  }

  /** {@code GET /api/cluster}. */
  JsonObject cluster(int index) {
    return getJson(index, "/api/cluster");
  }

  /** {@code GET /api/devices}, by id. */
  Map<String, JsonObject> devices(int index) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (Object o : getJson(index, "/api/devices").getJsonArray("devices")) {
      JsonObject d = (JsonObject) o;
      out.put(d.getString("id"), d);
    }
    return out;
  }

  /** {@code GET /api/devices/{id}/interfaces/{ifIndex}/history?seconds=N}. */
  JsonObject history(int index, String device, int ifIndex, int seconds) {
    return getJson(index, "/api/devices/" + device + "/interfaces/" + ifIndex + "/history?seconds=" + seconds);
  }

  // ------------------------------------------------------------------------------------------
  // The cluster's view

  /** What one node says in {@code GET /api/cluster}. */
  record View(int node, String self, List<JsonObject> members, Map<String, String> owners, Set<String> polling) {
    static View of(int node, JsonObject j) {
      List<JsonObject> members = new ArrayList<>();
      for (Object o : j.getJsonArray("members", new JsonArray())) members.add((JsonObject) o);
      Map<String, String> owners = new TreeMap<>();
      JsonObject o = j.getJsonObject("owners", new JsonObject());
      for (String k : o.fieldNames()) owners.put(k, o.getString(k));
      Set<String> polling = new HashSet<>();
      for (Object p : j.getJsonArray("polling", new JsonArray())) polling.add((String) p);
      return new View(node, j.getString("node"), members, owners, polling);
    }

    Set<String> memberIds() {
      Set<String> s = new HashSet<>();
      for (JsonObject m : members) s.add(m.getString("id"));
      return s;
    }

    Set<String> owned(String member) {
      Set<String> s = new HashSet<>();
      owners.forEach((d, m) -> {
        if (m.equals(member)) s.add(d);
      });
      return s;
    }
  }

  /** The views of the given nodes, taken one after the other. */
  Map<Integer, View> views(Collection<Integer> indexes) {
    Map<Integer, View> out = new TreeMap<>();
    for (int i : indexes) out.put(i, View.of(i, cluster(i)));
    return out;
  }

  /**
   * Why these views are not one settled cluster of {@code members} members polling exactly
   * {@code devices}, or null when they are: the same member list and the same owners everywhere,
   * every device owned by a member, and each node polling exactly what it owns.
   */
  static String unsettled(Map<Integer, View> views, int members, Set<String> devices) {
    View first = null;
    for (View v : views.values()) {
      if (v.members().size() != members) return "node-" + v.node() + " sees " + v.members().size() + " members";
      if (!v.owners().keySet().equals(devices)) {
        Set<String> missing = new HashSet<>(devices);
        missing.removeAll(v.owners().keySet());
        Set<String> extra = new HashSet<>(v.owners().keySet());
        extra.removeAll(devices);
        return "node-" + v.node() + " owners: missing " + abbreviate(missing) + ", extra " + abbreviate(extra);
      }
      if (first == null) first = v;
      else {
        if (!v.memberIds().equals(first.memberIds())) return "members differ between node-" + first.node() + " and node-" + v.node();
        if (!v.owners().equals(first.owners())) return "owners differ between node-" + first.node() + " and node-" + v.node();
      }
      if (!v.memberIds().containsAll(new HashSet<>(v.owners().values()))) return "node-" + v.node() + " has owners that are not members";
      // A node must know which member it is: after a split-brain merge Hazelcast gives the merged
      // member a new uuid, and a node still deciding by its old one polls nothing it owns.
      List<String> local = v.members().stream().filter(m -> m.getBoolean("local", false)).map(m -> m.getString("id")).toList();
      if (!local.equals(List.of(v.self()))) {
        return "node-" + v.node() + " says it is " + v.self() + " but its local member is " + local;
      }
      Set<String> own = v.owned(v.self());
      if (!v.polling().equals(own)) {
        Set<String> notPolled = new HashSet<>(own);
        notPolled.removeAll(v.polling());
        Set<String> notOwned = new HashSet<>(v.polling());
        notOwned.removeAll(own);
        return "node-" + v.node() + " owns but does not poll " + abbreviate(notPolled) + ", polls but does not own " + abbreviate(notOwned);
      }
    }
    if (first != null && views.size() == members) {
      // Every member answered: together they poll every device exactly once.
      Map<String, Integer> polledBy = new HashMap<>();
      for (View v : views.values()) v.polling().forEach(d -> polledBy.merge(d, 1, Integer::sum));
      Set<String> unpolled = new HashSet<>(devices);
      unpolled.removeAll(polledBy.keySet());
      if (!unpolled.isEmpty()) return "no node polls " + abbreviate(unpolled);
      List<String> twice = polledBy.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
      if (!twice.isEmpty()) return "polled by more than one node: " + abbreviate(twice);
    }
    return null;
  }

  /** Waits until {@link #unsettled} says the nodes agree; returns the views. */
  Map<Integer, View> awaitSettled(Collection<Integer> indexes, int members, Set<String> devices, Duration timeout) {
    long t0 = System.nanoTime();
    java.util.concurrent.atomic.AtomicReference<String> why = new java.util.concurrent.atomic.AtomicReference<>("never asked");
    try {
      Map<Integer, View> v = Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
        try {
          Map<Integer, View> views = views(indexes);
          why.set(unsettled(views, members, devices));
          return why.get() == null ? views : null;
        } catch (RuntimeException | AssertionError e) {
          why.set(e.toString()); // a node busy or between states: ask again
          return null;
        }
      }, java.util.Objects::nonNull);
      System.out.printf("[cluster] settled: %d members, %d devices, after %.1f s%n", members, devices.size(), (System.nanoTime() - t0) / 1e9);
      return v;
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("cluster not settled within " + timeout + ": " + why.get() + tails());
    }
  }

  /** Polls until {@code done} holds for the views of the given nodes; returns them, or null at the timeout. */
  Map<Integer, View> awaitViews(Collection<Integer> indexes, Predicate<Map<Integer, View>> done, Duration timeout, long everyMs) {
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(everyMs)).until(() -> {
        try {
          Map<Integer, View> v = views(indexes);
          return done.test(v) ? v : null;
        } catch (RuntimeException | AssertionError e) {
          return null; // a node busy or between states: ask again
        }
      }, java.util.Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      return null;
    }
  }

  static String abbreviate(Collection<String> ids) {
    List<String> sorted = ids.stream().sorted().toList();
    return sorted.size() <= 8 ? sorted.toString() : sorted.subList(0, 8) + " ... (" + sorted.size() + ")";
  }

  // ------------------------------------------------------------------------------------------
  // Ports, files, time

  static int freeTcpPort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
    }
  }

  /** The first of {@code count} consecutive TCP ports that were all free on 127.0.0.1 a moment ago. */
  static int freeTcpBlock(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket()) {
          s.setReuseAddress(false);
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) return base;
    }
    throw new IllegalStateException("no block of " + count + " free TCP ports on 127.0.0.1");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** The credential every node's config has, by which devices (of the file and of the API) name the simulator's community. */
  static final String CREDENTIAL = "lab";

  /** A node config of devices at the simulator's ports (no embedded agents), with quick intervals. */
  static JsonObject config(Map<String, Integer> devicePorts) {
    JsonArray devices = new JsonArray();
    devicePorts.forEach((id, port) -> devices.add(device(id, port)));
    return new JsonObject()
        .put("simulator", new JsonObject().put("basePort", 0))
        .put("defaults", new JsonObject().put("intervalMs", 2000).put("liveIntervalMs", 1000).put("timeoutMs", 500).put("retries", 1))
        .put("credentials", new JsonObject().put(CREDENTIAL, new JsonObject().put("community", "public")))
        .put("devices", devices);
  }

  static JsonObject device(String id, int port) {
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", port).put("credentials", CREDENTIAL);
  }

  static Map<String, Integer> ports(io.ifpulse.sim.Simulator sim, Collection<String> ids) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String id : ids) out.put(id, sim.port(id));
    return out;
  }

  /** {@code prefix-000}, {@code prefix-001}, ... */
  static List<String> ids(String prefix, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add(String.format("%s-%03d", prefix, i));
    return out;
  }

  /** One simulated agent per id: steady traffic on 2 interfaces (1 Gbit/s, 100 Mbit/s in). */
  static io.ifpulse.sim.Simulator simulator(List<String> ids) throws IOException {
    List<io.ifpulse.config.SimDeviceSpec> specs = new ArrayList<>();
    for (String id : ids) {
      specs.add(io.ifpulse.config.SimDeviceSpec.fromJson(id, "public",
          new JsonObject().put("model", "steady").put("interfaces", 2), "sim"));
    }
    return io.ifpulse.sim.Simulator.start("127.0.0.1", 0, specs);
  }

  /** Devices per member, from an owners map. */
  static Map<String, Integer> perMember(Map<String, String> owners) {
    Map<String, Integer> out = new TreeMap<>();
    owners.values().forEach(m -> out.merge(m, 1, Integer::sum));
    return out;
  }

  /** Closes each in order, whatever the others throw; rethrows the first failure. */
  static void closeAll(AutoCloseable... all) {
    RuntimeException first = null;
    for (AutoCloseable c : all) {
      if (c == null) continue;
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) first = new RuntimeException("close failed: " + e, e);
      }
    }
    if (first != null) throw first;
  }
}
