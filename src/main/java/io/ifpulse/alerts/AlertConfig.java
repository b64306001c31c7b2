package io.ifpulse.alerts;

import io.ifpulse.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Thresholds of the alert rules, the {@code "alerts"} object of the config file.
 *
 * <p>Every threshold has a lower clear level (hysteresis) so that a value hovering at the
 * threshold raises once rather than flapping on every poll. A rate threshold of 0 switches that
 * rule off: "at least 0 errors/s" would hold on every interface forever and could never clear.
 *
 * @param utilisationPct raise when inUtil or outUtil is at or above this (%)
 * @param utilisationClearPct clear only when both directions are below this (%)
 * @param forSeconds how long a raise condition must hold before the alert is raised
 * @param clearForSeconds how long a clear condition must hold before the alert is cleared
 * @param errorsPerSecond raise when inErrors + outErrors is at or above this; clear below half
 * @param discardsPerSecond raise when inDiscards + outDiscards is at or above this; clear below half
 * @param operStatus raise {@code oper-down} when an interface that was up goes to anything else
 */
public record AlertConfig(
    double utilisationPct,
    double utilisationClearPct,
    int forSeconds,
    int clearForSeconds,
    double errorsPerSecond,
    double discardsPerSecond,
    boolean operStatus) {

  static final List<String> KEYS = List.of("utilisationPct", "utilisationClearPct", "forSeconds", "clearForSeconds",
      "errorsPerSecond", "discardsPerSecond", "operStatus");
  // Above 100 % only makes sense for links whose nominal speed understates them, hence 1000.
  static final double MIN_PCT = 1;
  static final double MAX_PCT = 1000;
  static final int MAX_SECONDS = 86_400;

  public AlertConfig {
    check(utilisationPct >= MIN_PCT && utilisationPct <= MAX_PCT, "utilisationPct", utilisationPct);
    check(utilisationClearPct >= MIN_PCT && utilisationClearPct < utilisationPct, "utilisationClearPct", utilisationClearPct);
    check(forSeconds >= 0 && forSeconds <= MAX_SECONDS, "forSeconds", forSeconds);
    check(clearForSeconds >= 0 && clearForSeconds <= MAX_SECONDS, "clearForSeconds", clearForSeconds);
    check(errorsPerSecond >= 0 && Double.isFinite(errorsPerSecond), "errorsPerSecond", errorsPerSecond);
    check(discardsPerSecond >= 0 && Double.isFinite(discardsPerSecond), "discardsPerSecond", discardsPerSecond);
  }

  private static void check(boolean ok, String field, Object value) {
    if (!ok) throw new IllegalArgumentException("AlertConfig." + field + " out of range: " + value);
  }

  public static AlertConfig defaults() {
    return new AlertConfig(90, 80, 30, 10, 1.0, 10.0, true);
  }

  /**
   * Parses the {@code "alerts"} object; null or empty gives the defaults. Errors name the field as
   * {@code fieldPath + "." + key} (e.g. {@code alerts.utilisationPct}) with the value.
   */
  public static AlertConfig fromJson(JsonObject json, String fieldPath) {
    AlertConfig d = defaults();
    if (json == null || json.isEmpty()) return d;
    String p = fieldPath == null || fieldPath.isEmpty() ? "" : fieldPath + ".";
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException(p + key, json.getValue(key),
            "is not a known setting (known: " + String.join(", ", KEYS) + ")");
      }
    }
    double raise = number(json, "utilisationPct", p, d.utilisationPct, MIN_PCT, MAX_PCT);
    double clear = number(json, "utilisationClearPct", p, d.utilisationClearPct, MIN_PCT, MAX_PCT);
    if (clear >= raise) {
      // Name the key the operator wrote: raising utilisationPct to below the default clear level
      // is as much a mistake in the pair as a bad clear level.
      String field = json.containsKey("utilisationClearPct") ? "utilisationClearPct" : "utilisationPct";
      throw new ConfigException(p + field, json.getValue(field),
          "utilisationClearPct (" + fmt(clear) + ") must be below utilisationPct (" + fmt(raise) + ")");
    }
    int forSeconds = seconds(json, "forSeconds", p, d.forSeconds);
    int clearForSeconds = seconds(json, "clearForSeconds", p, d.clearForSeconds);
    double errors = number(json, "errorsPerSecond", p, d.errorsPerSecond, 0, Double.MAX_VALUE);
    double discards = number(json, "discardsPerSecond", p, d.discardsPerSecond, 0, Double.MAX_VALUE);
    Object oper = json.getValue("operStatus", d.operStatus);
    if (!(oper instanceof Boolean operStatus)) throw new ConfigException(p + "operStatus", oper, "must be true or false");
    return new AlertConfig(raise, clear, forSeconds, clearForSeconds, errors, discards, operStatus);
  }

  private static double number(JsonObject j, String key, String p, double dflt, double min, double max) {
    Object v = j.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Number n)) throw new ConfigException(p + key, v, "must be a number");
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      throw new ConfigException(p + key, v, max == Double.MAX_VALUE ? "must be >= " + fmt(min) + " (0 = off)"
          : "must be between " + fmt(min) + " and " + fmt(max));
    }
    return d;
  }

  private static int seconds(JsonObject j, String key, String p, int dflt) {
    Object v = j.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(p + key, v, "must be a whole number of seconds");
    }
    if (n.doubleValue() < 0 || n.doubleValue() > MAX_SECONDS) {
      throw new ConfigException(p + key, v, "must be between 0 and " + MAX_SECONDS);
    }
    return n.intValue();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
