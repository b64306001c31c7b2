package io.ifpulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux network namespace joined to this one by a veth pair: a real, non-loopback IP path
 * between the test JVM and a process started inside the namespace, that reaches no real network.
 *
 * <p>Both ends get the two host addresses of one /30 of 198.18.0.0/15, the block RFC 2544 sets
 * aside for benchmarking and that is never routed; the /30 is picked per namespace, away from any
 * address this machine already has, so parallel runs do not clash. The namespace has no other
 * interface but its own {@code lo}, so nothing inside it reaches anything but this machine.
 *
 * <p>{@link #close} kills what still runs inside, deletes the veth pair and the namespace, and
 * fails when either is still there; a JVM shutdown hook does the same for a run that dies first.
 * Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2's {@code ip}: without them {@link
 * #create} fails the test with the reason, never skips it.
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final List<Path> IP_CANDIDATES = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"), Path.of("/bin/ip"));
  private static final long COMMAND_TIMEOUT_S = 10;
  private static final int BLOCK = (198 << 24) | (18 << 16); // 198.18.0.0/15
  private static final int SUBNETS = 1 << 15; // its /30s
  private static final Pattern INET = Pattern.compile("\\binet (\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Path ip;
  private final String name;
  private final String outsideLink;
  private final String insideLink;
  private final String outsideAddress;
  private final String insideAddress;
  private final Thread shutdownHook;
  private boolean closed;

  private NetworkNamespace(Path ip, String name, String outsideLink, String insideLink, String outsideAddress, String insideAddress) {
    this.ip = ip;
    this.name = name;
    this.outsideLink = outsideLink;
    this.insideLink = insideLink;
    this.outsideAddress = outsideAddress;
    this.insideAddress = insideAddress;
    this.shutdownHook = new Thread(this::closeQuietly, name + "-cleanup");
  }

  /** Creates the namespace and the veth pair, both ends up, or fails the test saying why. */
  public static NetworkNamespace create() {
    Path ip = requireIp();
    requireRoot();
    long pid = ProcessHandle.current().pid();
    int n = SEQUENCE.incrementAndGet();
    // Link names are at most 15 bytes: "ifp" + pid (7 digits at most) + "-" + n + one letter.
    String name = "ifp-" + pid + "-" + n;
    String outside = "ifp" + pid + "-" + n + "h";
    String inside = "ifp" + pid + "-" + n + "n";
    int subnet = freeSubnet(ip, pid, n);
    String outsideAddress = dotted(BLOCK + subnet * 4 + 1);
    String insideAddress = dotted(BLOCK + subnet * 4 + 2);
    NetworkNamespace ns = new NetworkNamespace(ip, name, outside, inside, outsideAddress, insideAddress);
    Runtime.getRuntime().addShutdownHook(ns.shutdownHook);
    try {
      ns.ip("netns", "add", name);
      ns.ip("link", "add", outside, "type", "veth", "peer", "name", inside);
      ns.ip("link", "set", inside, "netns", name);
      ns.ip("addr", "add", outsideAddress + "/30", "dev", outside);
      ns.ip("link", "set", outside, "up");
      ns.ip("-n", name, "addr", "add", insideAddress + "/30", "dev", inside);
      ns.ip("-n", name, "link", "set", inside, "up");
      ns.ip("-n", name, "link", "set", "lo", "up");
    } catch (RuntimeException | AssertionError e) {
      ns.closeQuietly();
      throw e;
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /** The address of the namespace's end: what a server inside binds and the test connects to. */
  public String insideAddress() {
    return insideAddress;
  }

  /** The address of this side's end: where connections to {@link #insideAddress} come from. */
  public String outsideAddress() {
    return outsideAddress;
  }

  /** {@code command} as run inside the namespace ({@code ip netns exec}, which execs it in place). */
  public List<String> inside(List<String> command) {
    List<String> out = new ArrayList<>(List.of(ip.toString(), "netns", "exec", name));
    out.addAll(command);
    return out;
  }

  /** Whether a namespace of this name exists now. */
  public boolean exists() {
    return ip("netns", "list").lines().anyMatch(l -> l.equals(name) || l.startsWith(name + " "));
  }

  /** Whether this side's end of the veth pair exists now. */
  public boolean linkExists() {
    return run(ip, List.of("-o", "link", "show", "dev", outsideLink)).code == 0;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // called from the hook itself
    }
    // A namespace lives on while a process is inside it; everything inside is what this test started.
    Result pids = run(ip, List.of("netns", "pids", name));
    if (pids.code == 0) {
      pids.output.lines().map(String::trim).filter(s -> s.matches("\\d+")).map(Long::parseLong)
          .forEach(pid -> ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            try {
              p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              // checked below: the namespace would remain
            }
          }));
    }
    // Deleting one end deletes the pair, wherever the other end is.
    run(ip, List.of("link", "del", outsideLink));
    run(ip, List.of("netns", "del", name));
    List<String> left = new ArrayList<>();
    if (linkExists()) left.add("link " + outsideLink);
    if (exists()) left.add("namespace " + name);
    if (!left.isEmpty()) throw new AssertionError("could not remove " + left + "; remove by hand with ip link del / ip netns del");
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException | AssertionError ignored) {
      // best effort at JVM exit, or after a failed create that already reports its cause
    }
  }

  @Override
  public String toString() {
    return "namespace " + name + " (" + insideAddress + " inside, " + outsideAddress + " on " + outsideLink + ")";
  }

  // ---- setup

  private static Path requireIp() {
    for (Path p : IP_CANDIDATES) if (Files.isExecutable(p)) return p;
    throw new AssertionError("iproute2's ip is missing (looked at " + IP_CANDIDATES + "): the off-loopback tests create a"
        + " network namespace with it. Install Debian's iproute2 package (apt-get install iproute2).");
  }

  private static void requireRoot() {
    String uid = null;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) uid = line.split("\\s+")[2]; // real, effective, saved, fs: the effective one
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read /proc/self/status to tell whether this runs as root: " + e.getMessage(), e);
    }
    if (!"0".equals(uid)) {
      throw new AssertionError("the off-loopback tests need root (effective uid is " + uid + "): they create a network"
          + " namespace and a veth pair with ip netns. Run them as root, as scripts/test.sh does in CI.");
    }
  }

  /** A /30 of the block that overlaps no IPv4 network configured here, starting from one of this run's own. */
  private static int freeSubnet(Path ip, long pid, int n) {
    Result addrs = run(ip, List.of("-o", "-4", "addr", "show"));
    if (addrs.code != 0) throw new AssertionError("ip -o -4 addr show failed: " + addrs.output);
    Set<Integer> taken = new HashSet<>();
    Matcher m = INET.matcher(addrs.output);
    while (m.find()) {
      int a = parse(m.group(1));
      int len = Integer.parseInt(m.group(2));
      long size = 1L << (32 - len);
      long first = Integer.toUnsignedLong(a) & ~(size - 1);
      long last = first + size - 1;
      long blockFirst = Integer.toUnsignedLong(BLOCK);
      long blockLast = blockFirst + SUBNETS * 4L - 1;
      for (long x = Math.max(first, blockFirst); x <= Math.min(last, blockLast); x += 4) taken.add((int) ((x - blockFirst) / 4));
    }
    int start = (int) Math.floorMod(pid * 7919L + n * 104_729L + System.nanoTime(), (long) SUBNETS);
    for (int i = 0; i < SUBNETS; i++) {
      int s = (start + i) % SUBNETS;
      if (!taken.contains(s)) return s;
    }
    throw new AssertionError("every /30 of 198.18.0.0/15 is in use on this machine");
  }

  private static int parse(String dotted) {
    int v = 0;
    for (String part : dotted.split("\\.")) v = (v << 8) | Integer.parseInt(part);
    return v;
  }

  private static String dotted(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }

  // ---- running ip

  private record Result(int code, String output) {}

  /** Runs ip; fails the test, with ip's own words, when it does not succeed. */
  private String ip(String... args) {
    Result r = run(ip, List.of(args));
    if (r.code != 0) throw new AssertionError("ip " + String.join(" ", args) + " failed (exit " + r.code + "): " + r.output.trim());
    return r.output;
  }

  /** Runs ip with a bounded wait; its output goes through a file so that a hung ip cannot block a read. */
  private static Result run(Path ip, List<String> args) {
    Path out = null;
    try {
      out = Files.createTempFile("ifpulse-ip-", ".txt");
      List<String> cmd = new ArrayList<>();
      cmd.add(ip.toString());
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
        return new Result(-1, "ip " + String.join(" ", args) + " did not finish within " + COMMAND_TIMEOUT_S + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + ip, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }
}
