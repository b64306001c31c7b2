package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.config.SimDeviceSpec.CounterKind;
import io.ifpulse.config.SimDeviceSpec.Model;
import io.ifpulse.sim.SimMib.Obj;
import io.ifpulse.time.MonotonicClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * One simulated agent: its interfaces, its counters as a closed-form function of time, and the
 * knobs tests turn (silence, delay, restart). Every value is computed for one instant (a
 * {@link View}), from {@link MonotonicClock} time, so counters are exact at any instant and
 * {@link #expectedBps} is the ground truth a published rate can be compared with.
 *
 * <p>ifIndex numbering: interface n (0-based) has ifIndex {@code n + 1} after an even number of
 * restarts and {@code n + 2} after an odd number (as if a module had been inserted in front), so
 * code that keeps ifIndex across a restart reads the wrong interface — as on real hardware
 * without ifIndex persistence. ifName ("eth&lt;n&gt;") never changes. HOST devices keep their
 * numbering. Always ask {@link #ifIndex(int)}.
 */
public final class SimDevice {
  /** The largest reply an agent sends by default: a 1500-byte Ethernet MTU minus IP and UDP headers. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 1472;

  static final int OCTETS = 0, UCAST = 1, MCAST = 2, BCAST = 3, DISCARDS = 4, ERRORS = 5;
  private static final int[] SCALAR_INSTANCES = {0};
  private static final OID SYS_OBJECT_ID = new OID("1.3.6.1.4.1.99999.1");
  private static final long MASK32 = 0xFFFF_FFFFL;

  private final SimDeviceSpec spec;
  private final byte[] community;
  private final long startNanos;
  private final double startEpochMs;
  private final int count;
  private final long[] speedBps;
  private final int[] ifType;
  private final OctetString[] ifName, ifDescr, ifAlias;
  private final boolean stringsOnDemand;
  private final int number;
  private final OctetString sysDescr, sysName;
  private final TrafficModel traffic;
  private final HostCounters host;
  private final Obj[] objects;
  /** rows[parity][n] = ifIndex of interface n; sorted ascending. */
  private final int[][] rows;
  private final long cacheNanos;
  private final double restartEveryNanos;
  /** Hostile: how often the octet counters jump forward; 0: never. */
  private final double jumpEveryNanos;

  private volatile Life life;
  private volatile boolean silent;
  private volatile double delayMs;
  private volatile int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private volatile int dropRequestsAbove = Integer.MAX_VALUE;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong varbinds = new AtomicLong();
  private final AtomicLong replies = new AtomicLong();

  /** Restart state. hostBase: the HOST counters at the last restart (subtracted from readings). */
  private record Life(long restartNanos, long manualRestarts, long baseGeneration, long[][] hostBase) {}

  SimDevice(SimDeviceSpec spec, int number) throws IOException {
    this.spec = spec;
    this.community = spec.community().getBytes(StandardCharsets.UTF_8);
    this.silent = spec.silent();
    this.delayMs = spec.delayMs();
    this.cacheNanos = Math.round(spec.cacheSeconds() * 1e9);
    this.restartEveryNanos = spec.restartEverySeconds() * 1e9;
    this.jumpEveryNanos = spec.hostile().jumpEverySeconds() * 1e9;
    this.objects = SimMib.objects(spec.counters());
    String model = spec.model().name().toLowerCase(java.util.Locale.ROOT);
    this.sysDescr = new OctetString("ifpulse simulator " + spec.id() + " " + model);
    this.sysName = new OctetString(spec.id());
    if (spec.model() == Model.HOST) {
      host = new HostCounters(Math.max(100_000_000L, cacheNanos));
      count = host.size();
      speedBps = host.speedBps.clone();
      traffic = null;
    } else {
      host = null;
      count = spec.hostile().interfaces() > 0 ? spec.hostile().interfaces() : spec.interfaces();
      speedBps = new long[count];
      java.util.Arrays.fill(speedBps, spec.speedBps());
      traffic = new TrafficModel(spec, count, speedBps);
    }
    ifType = new int[count];
    java.util.Arrays.fill(ifType, 6);
    // A hostile agent's strings are made when asked for: a million interfaces or 60 KB strings
    // would otherwise fill the simulator's heap before the poller's.
    this.stringsOnDemand = host == null && (count > SimDeviceSpec.MAX_INTERFACES || spec.hostile().stringBytes() > 0);
    this.number = number;
    if (spec.hostile().stringBytes() > 0) maxMessageSize = 65507;
    int stored = stringsOnDemand ? 0 : count;
    ifName = new OctetString[stored];
    ifDescr = new OctetString[stored];
    ifAlias = new OctetString[stored];
    for (int n = 0; n < stored; n++) {
      if (host != null) {
        String name = host.names[n];
        ifName[n] = new OctetString(name);
        ifDescr[n] = new OctetString(name);
        ifAlias[n] = new OctetString("");
        ifType[n] = name.equals("lo") ? 24 : 6; // softwareLoopback : ethernetCsmacd
      } else {
        ifName[n] = new OctetString("eth" + n);
        ifDescr[n] = new OctetString(spec.hostile().descr() != null ? spec.hostile().descr() : "ifpulse sim " + spec.id() + " eth" + n);
        ifAlias[n] = new OctetString(n == 0 ? "uplink to core-" + (number + 1) : n % 3 == 1 ? "server " + spec.id() + "-" + n : "");
        ifType[n] = 6;
      }
    }
    rows = new int[2][count];
    for (int n = 0; n < count; n++) {
      rows[0][n] = n + 1;
      rows[1][n] = host != null ? n + 1 : n + 2;
    }
    this.startNanos = MonotonicClock.nanos();
    this.startEpochMs = MonotonicClock.epochMillis(startNanos);
    // HOST starts with the kernel's own counters (comparable with snmpd); a restart zeroes them.
    this.life = new Life(startNanos, 0, 0, host != null ? new long[count][HostCounters.COLUMNS] : null);
  }

  // ---------------------------------------------------------------- public API

  public SimDeviceSpec spec() {
    return spec;
  }

  /** PDUs received (answered or not, right community or not), for tests that count polls. */
  public long requests() {
    return requests.get();
  }

  /** Varbinds answered (sent in responses). */
  public long varbinds() {
    return varbinds.get();
  }

  /** Silent: receives (and counts) requests but never answers. */
  public void setSilent(boolean silent) {
    this.silent = silent;
  }

  public boolean silent() {
    return silent;
  }

  /** Answer delay; values are taken half-way, like a symmetric network round trip. */
  public void setDelayMs(double ms) {
    if (!(ms >= 0) || !Double.isFinite(ms)) throw new IllegalArgumentException("delayMs must be >= 0: " + ms);
    this.delayMs = ms;
  }

  public double delayMs() {
    return delayMs;
  }

  /** The largest reply this agent sends (bytes of SNMP message); bigger GET replies get tooBig. */
  public void setMaxMessageSize(int bytes) {
    if (bytes < 484 || bytes > 65507) throw new IllegalArgumentException("max message size must be 484..65507: " + bytes);
    this.maxMessageSize = bytes;
  }

  /**
   * Silently drops requests carrying more than this many varbinds, as a path that loses large or
   * fragmented datagrams does (an MTU black hole): the client sees only timeouts for them.
   */
  public void setDropRequestsAbove(int varbinds) {
    this.dropRequestsAbove = varbinds;
  }

  public int dropRequestsAbove() {
    return dropRequestsAbove;
  }

  public int maxMessageSize() {
    return maxMessageSize;
  }

  /** Number of interfaces (ifNumber). */
  public int interfaces() {
    return count;
  }

  /** ifName of the n-th interface (0-based); stable across restarts. */
  public String ifName(int n) {
    return name(n).toString();
  }

  private OctetString name(int n) {
    return stringsOnDemand ? new OctetString("eth" + n) : ifName[n];
  }

  private OctetString descr(int n) {
    return stringsOnDemand ? padded("ifpulse sim " + spec.id() + " eth" + n) : ifDescr[n];
  }

  private OctetString alias(int n) {
    if (!stringsOnDemand) return ifAlias[n];
    return padded(n == 0 ? "uplink to core-" + (number + 1) : n % 3 == 1 ? "server " + spec.id() + "-" + n : "");
  }

  /** The text, padded to the hostile string length when there is one. */
  private OctetString padded(String text) {
    int len = spec.hostile().stringBytes();
    if (len <= 0) return new OctetString(text);
    byte[] b = new byte[len];
    java.util.Arrays.fill(b, (byte) 'x');
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, b, 0, Math.min(t.length, len));
    return new OctetString(b);
  }

  /**
   * Agent restart now: sysUpTime back to ~0, all counters back to 0, and (except for HOST) the
   * ifIndex numbering shifts by one.
   */
  public synchronized void restart() {
    long now = MonotonicClock.nanos();
    Life l = life;
    long gen = l.manualRestarts + 1 + periodicRestarts(now);
    life = new Life(now, l.manualRestarts + 1, gen, host != null ? host.snapshot() : null);
  }

  /** The ifIndex of the n-th interface (0-based), with the numbering in effect now. */
  public int ifIndex(int n) {
    if (n < 0 || n >= count) throw new IndexOutOfBoundsException("interface " + n + " of " + count);
    return rows[parity(generation(MonotonicClock.nanos()))][n];
  }

  /**
   * Ground truth: the average bit rate of interface ifIndex (numbering in effect now) over
   * [fromEpochMs, toEpochMs] (MonotonicClock epoch ms), for direction in or out. Exact for
   * STEADY/SINE/BURSTS (integral of the model), ignoring caching. The instantaneous rate when
   * from == to. Throws UnsupportedOperationException for HOST.
   */
  public double expectedBps(int ifIndex, boolean in, double fromEpochMs, double toEpochMs) {
    if (traffic == null) throw new UnsupportedOperationException("HOST traffic is real; there is no ground truth");
    int n = position(ifIndex);
    double t1 = (fromEpochMs - startEpochMs) / 1000, t2 = (toEpochMs - startEpochMs) / 1000;
    if (t2 == t1) return traffic.rateAt(n, in, t1);
    return (traffic.bits(n, in, t2) - traffic.bits(n, in, t1)) / (t2 - t1);
  }

  /** Like {@link #expectedBps}, in packets/s of all kinds (unicast + multicast + broadcast). */
  public double expectedPps(int ifIndex, boolean in, double fromEpochMs, double toEpochMs) {
    return expectedBps(ifIndex, in, fromEpochMs, toEpochMs) / (8 * TrafficModel.PACKET_BYTES);
  }

  /** The epoch ms (MonotonicClock) at which the device started; model time 0. */
  public double startEpochMs() {
    return startEpochMs;
  }

  /** The device's start as a MonotonicClock nanos value (exact; for tests). */
  long startNanos() {
    return startNanos;
  }

  /** ifSpeed in bit/s of the n-th interface. */
  public long speedBps(int n) {
    return speedBps[n];
  }

  @Override
  public String toString() {
    return "SimDevice[" + spec.id() + "]";
  }

  // ---------------------------------------------------------------- instants

  /** Everything that depends on the instant a request is answered. */
  static final class View {
    final long asOf;
    final long restartNanos;
    final long generation;
    /** The instant the counter values belong to (< restartNanos means "all zero"). */
    final long counterNanos;
    final long[][] hostNow;
    final long[][] hostBase;

    View(long asOf, long restartNanos, long generation, long counterNanos, long[][] hostNow, long[][] hostBase) {
      this.asOf = asOf;
      this.restartNanos = restartNanos;
      this.generation = generation;
      this.counterNanos = counterNanos;
      this.hostNow = hostNow;
      this.hostBase = hostBase;
    }
  }

  private long periodicRestarts(long nanos) {
    if (restartEveryNanos <= 0 || nanos <= startNanos) return 0;
    return (long) Math.floor((nanos - startNanos) / restartEveryNanos);
  }

  private long generation(long nanos) {
    return life.manualRestarts + periodicRestarts(nanos);
  }

  private static int parity(long generation) {
    return (int) (generation & 1);
  }

  View view(long asOf) {
    Life l = life;
    long k = periodicRestarts(asOf);
    long periodic = startNanos + (long) (k * restartEveryNanos);
    long restart = Math.max(l.restartNanos, periodic);
    long gen = l.manualRestarts + k;
    long counterAt = asOf;
    if (cacheNanos > 0 && asOf > startNanos) counterAt = startNanos + (asOf - startNanos) / cacheNanos * cacheNanos;
    long[][] now = null, base = null;
    if (host != null) {
      now = host.snapshot();
      if (gen != l.baseGeneration) l = rebase(gen, now);
      base = l.hostBase;
    }
    return new View(asOf, restart, gen, counterAt, now, base);
  }

  /** HOST after a periodic restart: the counters start again from the first reading after it. */
  private synchronized Life rebase(long gen, long[][] now) {
    Life l = life;
    if (l.baseGeneration != gen) {
      l = new Life(l.restartNanos, l.manualRestarts, gen, now);
      life = l;
    }
    return l;
  }

  boolean communityMatches(byte[] securityName) {
    return java.util.Arrays.equals(community, securityName);
  }

  void countRequest() {
    requests.incrementAndGet();
  }

  /** Numbers the replies (0, 1, 2, ...), for hostile modes that act on every other one. */
  long nextReply() {
    return replies.getAndIncrement();
  }

  void countVarbinds(int n) {
    varbinds.addAndGet(n);
  }

  private int position(int ifIndex) {
    int[] r = rows[parity(generation(MonotonicClock.nanos()))];
    int p = SimMib.indexOf(r, ifIndex);
    if (p < 0) throw new IllegalArgumentException("device " + spec.id() + " has no ifIndex " + ifIndex + " now");
    return p;
  }

  // ---------------------------------------------------------------- MIB access

  private int[] instances(Obj o, View v) {
    return o.scalar ? SCALAR_INSTANCES : rows[parity(v.generation)];
  }

  /**
   * GET of one OID: the value, or noSuchObject / noSuchInstance. For SNMPv1 Counter64 objects do
   * not exist (noSuchObject).
   */
  Variable get(int[] q, View v, boolean v1) {
    int i = SimMib.floor(objects, q);
    if (i < 0 || !SimMib.startsWith(q, objects[i].oid)) return Null.noSuchObject;
    Obj o = objects[i];
    if (v1 && o.counter64) return Null.noSuchObject;
    if (q.length != o.oid.length + 1) return Null.noSuchInstance;
    int p = SimMib.indexOf(instances(o, v), q[q.length - 1]);
    if (p < 0) return Null.noSuchInstance;
    return value(o, p, v);
  }

  /** GETNEXT of one OID: the next binding in OID order, or null at the end of the MIB. */
  VariableBinding next(int[] q, View v, boolean v1) {
    int i = SimMib.floor(objects, q);
    if (i >= 0 && SimMib.startsWith(q, objects[i].oid)) {
      Obj o = objects[i];
      int[] inst = instances(o, v);
      int p = q.length == o.oid.length ? 0 : SimMib.firstAbove(inst, q[o.oid.length]);
      if (p < inst.length && !(v1 && o.counter64)) return binding(o, p, inst, v);
    }
    for (int j = i + 1; j < objects.length; j++) {
      Obj o = objects[j];
      if (v1 && o.counter64) continue;
      int[] inst = instances(o, v);
      if (inst.length > 0) return binding(o, 0, inst, v);
    }
    return null;
  }

  private VariableBinding binding(Obj o, int p, int[] inst, View v) {
    return new VariableBinding(new OID(SimMib.append(o.oid, inst[p])), value(o, p, v));
  }

  /** The value of object o at instance position p (the interface number for columns). */
  Variable value(Obj o, int n, View v) {
    switch (o.id) {
      case SimMib.SYS_DESCR:
        return sysDescr;
      case SimMib.SYS_OBJECT_ID:
        return SYS_OBJECT_ID;
      case SimMib.SYS_UPTIME:
        return new TimeTicks((Math.max(0, v.asOf - v.restartNanos) / 10_000_000L) & MASK32);
      case SimMib.SYS_NAME:
        return sysName;
      case SimMib.IF_NUMBER:
        return new Integer32(count);
      default:
        break;
    }
    if (o.id > SimMib.IF_X_TABLE) {
      switch (o.id - SimMib.IF_X_TABLE) {
        case 1: return name(n);
        case 2: return c32(n, true, MCAST, v);
        case 3: return c32(n, true, BCAST, v);
        case 4: return c32(n, false, MCAST, v);
        case 5: return c32(n, false, BCAST, v);
        case 6: return c64(n, true, OCTETS, v);
        case 7: return c64(n, true, UCAST, v);
        case 8: return c64(n, true, MCAST, v);
        case 9: return c64(n, true, BCAST, v);
        case 10: return c64(n, false, OCTETS, v);
        case 11: return c64(n, false, UCAST, v);
        case 12: return c64(n, false, MCAST, v);
        case 13: return c64(n, false, BCAST, v);
        case 15: return new Gauge32(Math.min(speedBps[n] / 1_000_000L, MASK32));
        case 18: return alias(n);
        case 19: return new TimeTicks(0);
        default: throw new AssertionError(o.id);
      }
    }
    switch (o.id - SimMib.IF_TABLE) {
      case 1: return new Integer32(rows[parity(v.generation)][n]);
      case 2: return descr(n);
      case 3: return new Integer32(ifType[n]);
      case 5: return new Gauge32(Math.min(speedBps[n], MASK32));
      case 7: // ifAdminStatus up
      case 8: // ifOperStatus up
        return new Integer32(1);
      case 10: return c32(n, true, OCTETS, v);
      case 11: return c32(n, true, UCAST, v);
      case 13: return c32(n, true, DISCARDS, v);
      case 14: return c32(n, true, ERRORS, v);
      case 16: return c32(n, false, OCTETS, v);
      case 17: return c32(n, false, UCAST, v);
      case 19: return c32(n, false, DISCARDS, v);
      case 20: return c32(n, false, ERRORS, v);
      default: throw new AssertionError(o.id);
    }
  }

  private Counter32 c32(int n, boolean in, int what, View v) {
    return new Counter32(counter(n, in, what, v) & MASK32);
  }

  private Counter64 c64(int n, boolean in, int what, View v) {
    return new Counter64(counter(n, in, what, v));
  }

  /** The full-width counter value (to be truncated to 32 or 64 bits). */
  long counter(int n, boolean in, int what, View v) {
    if (host != null) return hostCounter(n, in, what, v);
    if (v.counterNanos <= v.restartNanos) return 0;
    double t1 = (v.restartNanos - startNanos) / 1e9, t2 = (v.counterNanos - startNanos) / 1e9;
    double bits = traffic.bits(n, in, t2) - traffic.bits(n, in, t1);
    if (!(bits > 0)) return 0;
    double octets = bits / 8;
    double packets = octets / TrafficModel.PACKET_BYTES;
    double x =
        switch (what) {
          case OCTETS -> octets + jumps(v) * (double) SimDeviceSpec.JUMP_OCTETS;
          case UCAST -> 0.90 * packets;
          case MCAST -> 0.06 * packets;
          case BCAST -> 0.04 * packets;
          case DISCARDS -> packets / 2e5;
          case ERRORS -> packets / 1e6;
          default -> throw new AssertionError(what);
        };
    return (long) Math.floor(x);
  }

  /** Hostile: how many times the octet counters have jumped since the last restart. */
  private long jumps(View v) {
    if (jumpEveryNanos <= 0) return 0;
    return (long) Math.floor((v.counterNanos - v.restartNanos) / jumpEveryNanos);
  }

  private long hostCounter(int n, boolean in, int what, View v) {
    long[] now = v.hostNow[n], base = v.hostBase[n];
    int col =
        switch (what) {
          case OCTETS -> in ? HostCounters.IN_OCTETS : HostCounters.OUT_OCTETS;
          case UCAST -> in ? HostCounters.IN_PKTS : HostCounters.OUT_PKTS;
          case MCAST -> in ? HostCounters.IN_MCAST : -1;
          case BCAST -> -1;
          case DISCARDS -> in ? HostCounters.IN_DROP : HostCounters.OUT_DROP;
          case ERRORS -> in ? HostCounters.IN_ERRS : HostCounters.OUT_ERRS;
          default -> throw new AssertionError(what);
        };
    if (col < 0) return 0;
    long value = delta(now[col], base[col]);
    if (what == UCAST && in) value = Math.max(0, value - delta(now[HostCounters.IN_MCAST], base[HostCounters.IN_MCAST]));
    return value;
  }

  /** Counter since the restart baseline; if the kernel counter went backwards, the raw value. */
  private static long delta(long now, long base) {
    return Long.compareUnsigned(now, base) >= 0 ? now - base : now;
  }
}
