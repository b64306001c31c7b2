package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;
import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load generator for the simulator: blasts SNMPv2c GET (or GETBULK) requests of 40 Counter64
 * varbinds at one simulated device over loopback, keeping {@code --window} requests in flight,
 * for a bounded time, and reports varbinds/s answered plus the CPU time of the simulator's I/O
 * thread (the one thread that receives, decodes, computes, encodes and sends).
 *
 * <p>The client side is deliberately cheap (one pre-encoded request, request-id patched in
 * place; replies parsed just enough to count and type-check the varbinds) so that, on a small
 * machine, it is the simulator that is measured.
 *
 * <pre>
 * mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ifpulse.sim.SimulatorLoad \
 *     --mode get --seconds 10 --window 32
 * </pre>
 *
 * Options: --mode get|bulk, --seconds N (measured, after a 2 s warm-up; at most 10),
 * --window N (requests in flight), --target host:port (measure an external agent instead;
 * no simulator CPU figure then), --community S.
 */
public final class SimulatorLoad {
  static final int VARBINDS = 40;
  static final int INTERFACES = 24;

  public static void main(String[] args) throws Exception {
    String mode = "get";
    double seconds = 10;
    int window = 32;
    String target = null;
    String community = "public";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> mode = args[++i];
        case "--seconds" -> seconds = Math.min(10, Double.parseDouble(args[++i]));
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--target" -> target = args[++i];
        case "--community" -> community = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Result r = run(mode, seconds, window, target, community);
    System.out.println(r);
  }

  record Result(
      String mode, int window, double seconds, long responses, long varbinds, long timeouts,
      double simThreadCpu, double loadThreadCpu, double processCpu) {
    double varbindsPerSecond() {
      return varbinds / seconds;
    }

    /** Varbinds per second of simulator I/O-thread CPU time (what one fully busy core would answer). */
    double varbindsPerCpuSecond() {
      return simThreadCpu > 0 ? varbinds / (simThreadCpu * seconds) : Double.NaN;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "mode=%s window=%d: %.0f varbinds/s answered (%.0f responses/s, %d timeouts) over %.1f s;"
              + " simulator I/O thread CPU %.0f%% of one core => %.0f varbinds per CPU-second;"
              + " load generator thread CPU %.0f%%; whole process %.0f%% (of %d cores)",
          mode, window, varbindsPerSecond(), responses / seconds, timeouts, seconds,
          100 * simThreadCpu, varbindsPerCpuSecond(), 100 * loadThreadCpu, 100 * processCpu,
          Runtime.getRuntime().availableProcessors());
    }
  }

  static Result run(String mode, double seconds, int window, String target, String community) throws Exception {
    Simulator sim = null;
    InetSocketAddress address;
    if (target == null) {
      SimDeviceSpec spec =
          SimDeviceSpec.fromJson(
              "load", community,
              new JsonObject().put("model", "sine").put("interfaces", INTERFACES).put("speedMbps", 10000).put("rateMbps", 2000),
              "sim");
      sim = Simulator.start("127.0.0.1", 0, List.of(spec));
      address = new InetSocketAddress("127.0.0.1", sim.port("load"));
    } else {
      int colon = target.lastIndexOf(':');
      address = new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
    }
    try {
      byte[] msg = "bulk".equals(mode) ? bulkRequest(community) : getRequest(community);
      int ridOffset = requestIdOffset(msg);
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long simTid = sim != null ? sim.ioThreadId() : -1;

      try (DatagramChannel ch = DatagramChannel.open(); Selector sel = Selector.open()) {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        ch.connect(address);
        ch.configureBlocking(false);
        ch.register(sel, SelectionKey.OP_READ);
        ByteBuffer out = ByteBuffer.wrap(msg);
        ByteBuffer in = ByteBuffer.allocateDirect(65536);
        int rid = 0x01000000;
        int inflight = 0;
        long responses = 0, varbinds = 0, timeouts = 0;
        long start = System.nanoTime();
        long warmEnd = start + 2_000_000_000L;
        long end = warmEnd + (long) (seconds * 1e9);
        boolean measuring = false;
        long t0 = start, sim0 = 0, load0 = 0, proc0 = 0;
        while (true) {
          long now = System.nanoTime();
          if (now >= end) break;
          if (!measuring && now >= warmEnd) {
            measuring = true;
            responses = varbinds = timeouts = 0;
            t0 = now;
            sim0 = simTid >= 0 ? mx.getThreadCpuTime(simTid) : 0;
            load0 = mx.getCurrentThreadCpuTime();
            proc0 = os.getProcessCpuTime();
          }
          while (inflight < window) {
            rid = rid == 0x7FFFFFFF ? 0x01000000 : rid + 1;
            msg[ridOffset] = (byte) (rid >>> 24);
            msg[ridOffset + 1] = (byte) (rid >>> 16);
            msg[ridOffset + 2] = (byte) (rid >>> 8);
            msg[ridOffset + 3] = (byte) rid;
            out.clear();
            ch.write(out);
            inflight++;
          }
          if (sel.select(100) == 0) {
            // Nothing for 100 ms: count what is in flight as lost and refill the window.
            timeouts += inflight;
            inflight = 0;
            continue;
          }
          sel.selectedKeys().clear();
          while (true) {
            in.clear();
            if (ch.read(in) <= 0) break;
            in.flip();
            if (inflight > 0) inflight--;
            int n = countCounter64(in);
            if (n < 0) throw new IllegalStateException("bad response (error status or wrong type)");
            responses++;
            varbinds += n;
          }
        }
        long t1 = System.nanoTime();
        double dt = (t1 - t0) / 1e9;
        double simCpu = simTid >= 0 ? (mx.getThreadCpuTime(simTid) - sim0) / 1e9 / dt : Double.NaN;
        double loadCpu = (mx.getCurrentThreadCpuTime() - load0) / 1e9 / dt;
        double procCpu = (os.getProcessCpuTime() - proc0) / 1e9 / dt;
        return new Result(mode, window, dt, responses, varbinds, timeouts, simCpu, loadCpu, procCpu);
      }
    } finally {
      if (sim != null) sim.close();
    }
  }

  // ------------------------------------------------------------------ requests

  /** GET of ifHCInOctets and ifHCOutOctets of interfaces 1..20 (40 Counter64 varbinds). */
  static byte[] getRequest(String community) {
    List<byte[]> vbs = new ArrayList<>();
    for (int i = 0; i < VARBINDS; i++) {
      int column = i % 2 == 0 ? 6 : 10;
      vbs.add(tlv(0x30, oid(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, column, 1 + i / 2), new byte[] {5, 0}));
    }
    return message(0xA0, community, 0, 0, vbs);
  }

  /** GETBULK non-repeaters 0, max-repetitions 20 over ifHCInOctets and ifHCOutOctets (40 varbinds). */
  static byte[] bulkRequest(String community) {
    List<byte[]> vbs = new ArrayList<>();
    vbs.add(tlv(0x30, oid(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6), new byte[] {5, 0}));
    vbs.add(tlv(0x30, oid(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 10), new byte[] {5, 0}));
    return message(0xA5, community, 0, VARBINDS / 2, vbs);
  }

  private static byte[] message(int pduTag, String community, int a, int b, List<byte[]> vbs) {
    byte[] pdu =
        tlv(
            pduTag,
            new byte[] {2, 4, 1, 0, 0, 0}, // request-id: always 4 bytes, patched per request
            integer(a),
            integer(b),
            tlv(0x30, vbs.toArray(new byte[0][])));
    return tlv(0x30, new byte[] {2, 1, 1}, tlv(4, community.getBytes(StandardCharsets.UTF_8)), pdu);
  }

  private static int requestIdOffset(byte[] msg) {
    // SEQUENCE, version, community, PDU tag+length, then INTEGER 4 bytes.
    int p = skipHeader(msg, 0);
    p = skip(msg, p);
    p = skip(msg, p);
    p = skipHeader(msg, p);
    if (msg[p] != 2 || msg[p + 1] != 4) throw new IllegalStateException("request-id not where expected");
    return p + 2;
  }

  private static byte[] integer(int v) {
    if (v < 128) return new byte[] {2, 1, (byte) v};
    return new byte[] {2, 2, (byte) (v >> 8), (byte) v};
  }

  private static byte[] oid(int... s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(s[0] * 40 + s[1]);
    for (int i = 2; i < s.length; i++) {
      int v = s[i];
      if (v >= 1 << 21) b.write(0x80 | (v >>> 21) & 0x7f);
      if (v >= 1 << 14) b.write(0x80 | (v >>> 14) & 0x7f);
      if (v >= 1 << 7) b.write(0x80 | (v >>> 7) & 0x7f);
      b.write(v & 0x7f);
    }
    return tlv(6, b.toByteArray());
  }

  private static byte[] tlv(int tag, byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    ByteArrayOutputStream b = new ByteArrayOutputStream(n + 4);
    b.write(tag);
    if (n < 128) {
      b.write(n);
    } else if (n < 256) {
      b.write(0x81);
      b.write(n);
    } else {
      b.write(0x82);
      b.write(n >> 8);
      b.write(n);
    }
    for (byte[] p : parts) b.writeBytes(p);
    return b.toByteArray();
  }

  // ------------------------------------------------------------------ responses

  /**
   * Number of Counter64 varbinds in a v2c response with error-status 0, or -1 if the reply is
   * not that.
   */
  static int countCounter64(ByteBuffer in) {
    byte[] m = new byte[in.remaining()];
    in.get(m);
    int p = skipHeader(m, 0); // message SEQUENCE
    p = skip(m, p); // version
    p = skip(m, p); // community
    if ((m[p] & 0xff) != 0xA2) return -1;
    p = skipHeader(m, p);
    p = skip(m, p); // request-id
    if (m[p] != 2 || m[p + 1] != 1 || m[p + 2] != 0) return -1; // error-status must be 0
    p = skip(m, p);
    p = skip(m, p); // error-index
    int listEnd = end(m, p);
    p = skipHeader(m, p);
    int n = 0;
    while (p < listEnd) {
      int vbEnd = end(m, p);
      int q = skipHeader(m, p);
      q = skip(m, q); // name
      if ((m[q] & 0xff) != 0x46) return -1; // Counter64
      n++;
      p = vbEnd;
    }
    return n;
  }

  private static int lengthAt(byte[] m, int p) {
    int b = m[p + 1] & 0xff;
    if (b < 128) return b;
    int k = b & 0x7f, len = 0;
    for (int i = 0; i < k; i++) len = (len << 8) | (m[p + 2 + i] & 0xff);
    return len;
  }

  private static int headerLength(byte[] m, int p) {
    int b = m[p + 1] & 0xff;
    return b < 128 ? 2 : 2 + (b & 0x7f);
  }

  private static int skipHeader(byte[] m, int p) {
    return p + headerLength(m, p);
  }

  private static int skip(byte[] m, int p) {
    return end(m, p);
  }

  private static int end(byte[] m, int p) {
    return p + headerLength(m, p) + lengthAt(m, p);
  }

  private SimulatorLoad() {}
}
