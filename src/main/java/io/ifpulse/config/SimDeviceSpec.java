package io.ifpulse.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One simulated SNMP agent: who it is (id, community), how its traffic behaves (model, rates,
 * shape) and how badly it behaves as an agent (counter cache, delay, silence, restarts).
 *
 * <p>Rates are in bit/s here; the JSON form ({@link #fromJson}) uses Mbit/s. {@code rateBps} is
 * the mean in-rate of the first interface; interface {@code n} (0-based) runs at
 * {@code (1 + 0.25 n) × rateBps}, capped so that its instantaneous peak stays at or below
 * 0.95 × speed, and sends 0.6 × its in-rate. {@code amplitude} is the relative sine amplitude for
 * {@link Model#SINE} and the duty cycle for {@link Model#BURSTS}; {@code periodSeconds} is the
 * sine or burst period. Zero for {@code cacheSeconds}, {@code delayMs} and
 * {@code restartEverySeconds} means "off".
 */
public record SimDeviceSpec(
    String id,
    String community,
    Model model,
    int interfaces,
    long speedBps,
    double rateBps,
    CounterKind counters,
    double cacheSeconds,
    double delayMs,
    boolean silent,
    double restartEverySeconds,
    double periodSeconds,
    double amplitude,
    Hostile hostile,
    Network network) {

  /**
   * How the agent attacks its poller, for tests of the poller's bounds ({@code "hostile"} in the
   * JSON form; all off by default).
   *
   * @param interfaces rows the agent serves instead of {@code interfaces} (up to {@value
   *     #MAX_HOSTILE_INTERFACES}), computed on demand so the simulator holds no strings for them;
   *     0: off
   * @param stringBytes the length of every ifDescr and ifAlias (up to {@value #MAX_STRING_BYTES},
   *     and the agent then sends replies up to a whole datagram); 0: off
   * @param descr the ifDescr of every interface (text chosen to hurt a regex, say); null: off
   * @param otherPort replies leave from another UDP port than the one the requests came to
   * @param wrongTypes counters are answered as OctetStrings (their decimal digits)
   * @param reorder the varbinds of GET replies come in reverse order
   * @param getAsNext a GET is answered as a GETNEXT: each varbind is the next row's or, past the
   *     last row, another column's or table's
   * @param duplicate every reply is sent twice
   * @param lateMs every other reply is held back this long (beyond the poller's timeout, say); 0: off
   * @param bulkStuck GETBULK never advances: it answers the OIDs it was asked for
   * @param tooBig every request is answered tooBig
   * @param jumpEverySeconds the octet counters jump forward by {@value #JUMP_OCTETS} octets this
   *     often (far beyond any link's speed); 0: off
   * @param flipWidths every other reply to a GET carries the Counter64 columns as Counter32 (their
   *     low 32 bits)
   */
  public record Hostile(int interfaces, int stringBytes, String descr, boolean otherPort, boolean wrongTypes,
      boolean reorder, boolean getAsNext, boolean duplicate, double lateMs, boolean bulkStuck, boolean tooBig,
      double jumpEverySeconds, boolean flipWidths) {
    public static final Hostile NONE = new Hostile(0, 0, null, false, false, false, false, false, 0, false, false, 0, false);
    static final List<String> KEYS = List.of("interfaces", "stringBytes", "descr", "otherPort", "wrongTypes", "reorder",
        "getAsNext", "duplicate", "lateMs", "bulkStuck", "tooBig", "jumpEverySeconds", "flipWidths");

    /** The first four: what a walk (discovery) meets; the rest: how replies go wrong. */
    public Hostile(int interfaces, int stringBytes, String descr, boolean otherPort) {
      this(interfaces, stringBytes, descr, otherPort, false, false, false, false, 0, false, false, 0, false);
    }

    public boolean any() {
      return interfaces > 0 || stringBytes > 0 || descr != null || otherPort || wrongTypes || reorder || getAsNext
          || duplicate || lateMs > 0 || bulkStuck || tooBig || jumpEverySeconds > 0 || flipWidths;
    }
  }

  /** How far hostile counters jump: 10^12 octets, 8 Tbit at once, and not a multiple of 2^32. */
  public static final long JUMP_OCTETS = 1_000_000_000_000L;

  /**
   * Faults of the network between the poller and this agent, made by the simulator (where no
   * netem is at hand): {@code "network"} in the JSON form; all off by default. Each datagram,
   * request or reply, is judged on its own with a {@link java.util.Random} of the given seed, so a
   * run repeats.
   *
   * @param loss the share of datagrams lost, each way (0..0.9)
   * @param jitterMs a reply leaves after a delay drawn evenly from [0, jitterMs]
   * @param duplicate the share of replies sent twice
   * @param reorder the share of replies held back by {@code jitterMs + }{@value #REORDER_MS} ms more,
   *     so that the replies after them overtake them
   * @param seed the seed of the draws
   */
  public record Network(double loss, double jitterMs, double duplicate, double reorder, long seed) {
    public static final Network NONE = new Network(0, 0, 0, 0, 1);
    public static final double REORDER_MS = 50;
    static final List<String> KEYS = List.of("loss", "jitterMs", "duplicate", "reorder", "seed");

    public Network {
      check(loss >= 0 && loss <= 0.9, "network.loss", loss);
      check(jitterMs >= 0 && jitterMs <= 10_000, "network.jitterMs", jitterMs);
      check(duplicate >= 0 && duplicate <= 1, "network.duplicate", duplicate);
      check(reorder >= 0 && reorder <= 1, "network.reorder", reorder);
    }

    public boolean any() {
      return loss > 0 || jitterMs > 0 || duplicate > 0 || reorder > 0;
    }
  }

  public static final int MAX_HOSTILE_INTERFACES = 1_000_000;
  /** A value that still fits one UDP datagram with its OID and headers. */
  public static final int MAX_STRING_BYTES = 65_000;

  /** Traffic shape. {@code HOST} serves this machine's real interfaces from /proc/net/dev. */
  public enum Model {
    STEADY,
    SINE,
    BURSTS,
    HOST
  }

  /**
   * Which counters the agent has. {@code HC}: ifTable plus ifXTable with the Counter64 HC columns;
   * {@code COUNTER32}: ifXTable without the HC columns (names, ifHighSpeed, ifAlias present);
   * {@code V1}: ifTable only, no ifXTable at all.
   */
  public enum CounterKind {
    HC,
    COUNTER32,
    V1
  }

  public static final int MAX_INTERFACES = 10_000;
  /** 1 Tbit/s: anything faster is a typo. */
  public static final double MAX_SPEED_MBPS = 1_000_000;

  static final List<String> KEYS =
      List.of(
          "model",
          "interfaces",
          "speedMbps",
          "rateMbps",
          "counters",
          "cacheSeconds",
          "delayMs",
          "silent",
          "restartEverySeconds",
          "periodSeconds",
          "amplitude",
          "hostile",
          "network");

  public SimDeviceSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(community, "community");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(hostile, "hostile");
    Objects.requireNonNull(network, "network");
    check(hostile.lateMs() >= 0 && hostile.lateMs() <= 60_000, "hostile.lateMs", hostile.lateMs());
    check(hostile.jumpEverySeconds() == 0 || hostile.jumpEverySeconds() >= 1 && Double.isFinite(hostile.jumpEverySeconds()),
        "hostile.jumpEverySeconds", hostile.jumpEverySeconds());
    check(hostile.interfaces() >= 0 && hostile.interfaces() <= MAX_HOSTILE_INTERFACES, "hostile.interfaces", hostile.interfaces());
    check(hostile.stringBytes() >= 0 && hostile.stringBytes() <= MAX_STRING_BYTES, "hostile.stringBytes", hostile.stringBytes());
    check(hostile.descr() == null || hostile.descr().length() <= MAX_STRING_BYTES, "hostile.descr", "(too long)");
    check(interfaces >= 1 && interfaces <= MAX_INTERFACES, "interfaces", interfaces);
    check(speedBps > 0, "speedBps", speedBps);
    check(rateBps >= 0 && rateBps <= speedBps, "rateBps", rateBps);
    check(cacheSeconds >= 0 && Double.isFinite(cacheSeconds), "cacheSeconds", cacheSeconds);
    check(delayMs >= 0 && Double.isFinite(delayMs), "delayMs", delayMs);
    check(
        restartEverySeconds >= 0 && Double.isFinite(restartEverySeconds),
        "restartEverySeconds",
        restartEverySeconds);
    check(periodSeconds > 0 && Double.isFinite(periodSeconds), "periodSeconds", periodSeconds);
    if (model == Model.BURSTS) {
      check(amplitude > 0 && amplitude <= 1, "amplitude (duty cycle)", amplitude);
    } else {
      check(amplitude >= 0 && amplitude <= 1, "amplitude", amplitude);
    }
  }

  private static void check(boolean ok, String field, Object value) {
    if (!ok) throw new IllegalArgumentException("SimDeviceSpec." + field + " out of range: " + value);
  }

  /**
   * Parses the "sim" object of a device entry; errors are ConfigException naming e.g. fieldPath +
   * ".model" and the value.
   */
  public static SimDeviceSpec fromJson(String id, String community, JsonObject sim, String fieldPath) {
    Fields f = Fields.of(sim, fieldPath).known(java.util.Set.copyOf(KEYS));
    Model model = f.choice("model", Model.class, null);
    int interfaces = f.integer("interfaces", 4, 1, MAX_INTERFACES);
    double speedMbps = f.number("speedMbps", 1000, 0.000001, MAX_SPEED_MBPS);
    double rateMbps = f.number("rateMbps", 100, 0, MAX_SPEED_MBPS);
    if (rateMbps > speedMbps) throw f.error("rateMbps", "must not exceed speedMbps (" + Fields.text(speedMbps) + ")");
    CounterKind counters = f.choice("counters", CounterKind.class, CounterKind.HC);
    double cacheSeconds = f.number("cacheSeconds", 0, 0, 3600);
    double delayMs = f.number("delayMs", 0, 0, 60_000);
    boolean silent = f.bool("silent", false);
    double restartEvery = f.number("restartEverySeconds", 0, 0, 1e9);
    if (restartEvery > 0 && restartEvery < 1) throw f.error("restartEverySeconds", "must be 0 (never) or at least 1");
    double period = f.number("periodSeconds", model == Model.BURSTS ? 10 : 60, 0.001, 86_400);
    // For bursts the amplitude is the duty cycle, which must leave some traffic.
    double amplitude = model == Model.BURSTS ? f.number("amplitude", 0.3, 0.001, 1) : f.number("amplitude", 0.5, 0, 1);
    Hostile hostile = Hostile.NONE;
    if (sim.containsKey("hostile")) {
      if (!(sim.getValue("hostile") instanceof JsonObject h)) throw f.error("hostile", "must be an object");
      Fields hf = Fields.of(h, fieldPath + ".hostile").known(java.util.Set.copyOf(Hostile.KEYS));
      String descr = hf.string("descr", null);
      if (descr != null && descr.length() > MAX_STRING_BYTES) throw hf.error("descr", "must be at most " + MAX_STRING_BYTES + " characters");
      double jump = hf.number("jumpEverySeconds", 0, 0, 1e9);
      if (jump > 0 && jump < 1) throw hf.error("jumpEverySeconds", "must be 0 (never) or at least 1");
      hostile = new Hostile(hf.integer("interfaces", 0, 0, MAX_HOSTILE_INTERFACES), hf.integer("stringBytes", 0, 0, MAX_STRING_BYTES),
          descr, hf.bool("otherPort", false), hf.bool("wrongTypes", false), hf.bool("reorder", false),
          hf.bool("getAsNext", false), hf.bool("duplicate", false), hf.number("lateMs", 0, 0, 60_000),
          hf.bool("bulkStuck", false), hf.bool("tooBig", false), jump, hf.bool("flipWidths", false));
    }
    Network network = Network.NONE;
    if (sim.containsKey("network")) {
      if (!(sim.getValue("network") instanceof JsonObject n)) throw f.error("network", "must be an object");
      Fields nf = Fields.of(n, fieldPath + ".network").known(java.util.Set.copyOf(Network.KEYS));
      network = new Network(nf.number("loss", 0, 0, 0.9), nf.number("jitterMs", 0, 0, 10_000),
          nf.number("duplicate", 0, 0, 1), nf.number("reorder", 0, 0, 1), nf.integer("seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    return new SimDeviceSpec(
        id,
        community,
        model,
        interfaces,
        Math.round(speedMbps * 1e6),
        rateMbps * 1e6,
        counters,
        cacheSeconds,
        delayMs,
        silent,
        restartEvery,
        period,
        amplitude,
        hostile,
        network);
  }

  @Override
  public String toString() {
    // Never print the community.
    return "SimDeviceSpec[id=" + id + ", model=" + model + ", interfaces=" + interfaces + ", speedBps=" + speedBps
        + ", rateBps=" + rateBps + ", counters=" + counters + ", cacheSeconds=" + cacheSeconds + ", delayMs="
        + delayMs + ", silent=" + silent + ", restartEverySeconds=" + restartEverySeconds + ", periodSeconds="
        + periodSeconds + ", amplitude=" + amplitude + (hostile.any() ? ", hostile=" + hostile : "")
        + (network.any() ? ", network=" + network : "") + "]";
  }
}
