package io.ifpulse.sim;

import io.ifpulse.config.ConfigException;
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
    double amplitude) {

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
          "amplitude");

  public SimDeviceSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(community, "community");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(counters, "counters");
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

  /** A spec with every option at its JSON default, for tests and code that build specs directly. */
  public static SimDeviceSpec defaults(String id, String community, Model model) {
    return fromJson(id, community, new JsonObject().put("model", model.name().toLowerCase(Locale.ROOT)), "sim");
  }

  /**
   * Parses the "sim" object of a device entry; errors are ConfigException naming e.g. fieldPath +
   * ".model" and the value.
   */
  public static SimDeviceSpec fromJson(String id, String community, JsonObject sim, String fieldPath) {
    String p = fieldPath == null || fieldPath.isEmpty() ? "" : fieldPath + ".";
    if (sim == null) throw new ConfigException(p + "model", null, "required (steady, sine, bursts or host)");
    for (String key : sim.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException(p + key, sim.getValue(key), "unknown key; allowed: " + String.join(", ", KEYS));
      }
    }
    Object modelValue = sim.getValue("model");
    if (modelValue == null) throw new ConfigException(p + "model", null, "required (steady, sine, bursts or host)");
    Model model = enumValue(Model.class, modelValue, p + "model", "steady, sine, bursts or host");
    int interfaces = (int) integer(sim, "interfaces", p, 4, 1, MAX_INTERFACES);
    double speedMbps = number(sim, "speedMbps", p, 1000, Double.MIN_VALUE, MAX_SPEED_MBPS, "must be > 0 and <= 1000000 (1 Tbit/s)");
    double rateMbps = number(sim, "rateMbps", p, 100, 0, Double.MAX_VALUE, "must be >= 0");
    if (rateMbps > speedMbps) {
      throw new ConfigException(p + "rateMbps", sim.getValue("rateMbps"), "must not exceed speedMbps (" + fmt(speedMbps) + ")");
    }
    CounterKind counters =
        sim.getValue("counters") == null
            ? CounterKind.HC
            : enumValue(CounterKind.class, sim.getValue("counters"), p + "counters", "hc, counter32 or v1");
    double cacheSeconds = number(sim, "cacheSeconds", p, 0, 0, 3600, "must be between 0 and 3600");
    double delayMs = number(sim, "delayMs", p, 0, 0, 60_000, "must be between 0 and 60000");
    boolean silent = bool(sim, "silent", p, false);
    double restartEvery = number(sim, "restartEverySeconds", p, 0, 0, 1e9, "must be >= 0 (0 = never)");
    if (restartEvery > 0 && restartEvery < 1) {
      throw new ConfigException(p + "restartEverySeconds", sim.getValue("restartEverySeconds"), "must be 0 (never) or at least 1");
    }
    double period =
        number(sim, "periodSeconds", p, model == Model.BURSTS ? 10 : 60, 0.001, 86_400, "must be > 0 and <= 86400");
    double amplitude;
    if (model == Model.BURSTS) {
      amplitude = number(sim, "amplitude", p, 0.3, 0.001, 1, "bursts duty cycle must be > 0 and <= 1");
    } else {
      amplitude = number(sim, "amplitude", p, 0.5, 0, 1, "must be between 0 and 1");
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
        amplitude);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String field, String allowed) {
    if (value instanceof String s) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(s.trim())) return e;
      }
    }
    throw new ConfigException(field, value, "must be one of " + allowed);
  }

  private static double number(JsonObject o, String key, String p, double dflt, double min, double max, String problem) {
    Object v = o.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Number n)) throw new ConfigException(p + key, v, "must be a number");
    double d = n.doubleValue();
    if (!Double.isFinite(d) || d < min || d > max) throw new ConfigException(p + key, v, problem);
    return d;
  }

  private static long integer(JsonObject o, String key, String p, long dflt, long min, long max) {
    Object v = o.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Number n)) throw new ConfigException(p + key, v, "must be an integer");
    double d = n.doubleValue();
    if (d != Math.rint(d)) throw new ConfigException(p + key, v, "must be an integer");
    if (d < min || d > max) throw new ConfigException(p + key, v, "must be between " + min + " and " + max);
    return (long) d;
  }

  private static boolean bool(JsonObject o, String key, String p, boolean dflt) {
    Object v = o.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Boolean b)) throw new ConfigException(p + key, v, "must be true or false");
    return b;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** A copy with another id (and the same everything else); handy for fleets of equal devices. */
  public SimDeviceSpec withId(String newId) {
    return new SimDeviceSpec(newId, community, model, interfaces, speedBps, rateBps, counters, cacheSeconds,
        delayMs, silent, restartEverySeconds, periodSeconds, amplitude);
  }

  @Override
  public String toString() {
    // Never print the community.
    return "SimDeviceSpec[id=" + id + ", model=" + model + ", interfaces=" + interfaces + ", speedBps=" + speedBps
        + ", rateBps=" + rateBps + ", counters=" + counters + ", cacheSeconds=" + cacheSeconds + ", delayMs="
        + delayMs + ", silent=" + silent + ", restartEverySeconds=" + restartEverySeconds + ", periodSeconds="
        + periodSeconds + ", amplitude=" + amplitude + "]";
  }
}
