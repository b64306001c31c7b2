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
    Hostile hostile) {

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
   */
  public record Hostile(int interfaces, int stringBytes, String descr, boolean otherPort) {
    public static final Hostile NONE = new Hostile(0, 0, null, false);
    static final List<String> KEYS = List.of("interfaces", "stringBytes", "descr", "otherPort");

    public boolean any() {
      return interfaces > 0 || stringBytes > 0 || descr != null || otherPort;
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
          "hostile");

  public SimDeviceSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(community, "community");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(hostile, "hostile");
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
      hostile = new Hostile(hf.integer("interfaces", 0, 0, MAX_HOSTILE_INTERFACES), hf.integer("stringBytes", 0, 0, MAX_STRING_BYTES),
          descr, hf.bool("otherPort", false));
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
        hostile);
  }

  @Override
  public String toString() {
    // Never print the community.
    return "SimDeviceSpec[id=" + id + ", model=" + model + ", interfaces=" + interfaces + ", speedBps=" + speedBps
        + ", rateBps=" + rateBps + ", counters=" + counters + ", cacheSeconds=" + cacheSeconds + ", delayMs="
        + delayMs + ", silent=" + silent + ", restartEverySeconds=" + restartEverySeconds + ", periodSeconds="
        + periodSeconds + ", amplitude=" + amplitude + (hostile.any() ? ", hostile=" + hostile : "") + "]";
  }
}
