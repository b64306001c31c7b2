package io.ifpulse.config;

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
    return fromJson(json, fieldPath, defaults(), KEYS);
  }

  /** The keys of the utilisation rule: what a group may set for its own ({@link #utilisationFromJson}). */
  static final List<String> UTILISATION_KEYS = List.of("utilisationPct", "utilisationClearPct", "forSeconds", "clearForSeconds");

  /**
   * A group's {@code "alerts": {"utilisation": {...}}}: the keys of the global {@code "alerts"} that
   * the utilisation rule reads, each defaulting to the global value ({@code base}). Errors name the
   * field as {@code fieldPath + "." + key} with the value.
   */
  public static AlertConfig utilisationFromJson(JsonObject json, String fieldPath, AlertConfig base) {
    return fromJson(json, fieldPath, base, UTILISATION_KEYS);
  }

  private static AlertConfig fromJson(JsonObject json, String fieldPath, AlertConfig d, List<String> keys) {
    if (json == null || json.isEmpty()) return d;
    Fields f = Fields.of(json, fieldPath).known(java.util.Set.copyOf(keys));
    double raise = f.number("utilisationPct", d.utilisationPct, MIN_PCT, MAX_PCT);
    double clear = f.number("utilisationClearPct", d.utilisationClearPct, MIN_PCT, MAX_PCT);
    if (clear >= raise) {
      // Name the key the operator wrote: raising utilisationPct to below the default clear level
      // is as much a mistake in the pair as a bad clear level.
      String field = json.containsKey("utilisationClearPct") ? "utilisationClearPct" : "utilisationPct";
      throw f.error(field, "utilisationClearPct (" + Fields.text(clear) + ") must be below utilisationPct (" + Fields.text(raise) + ")");
    }
    int forSeconds = f.integer("forSeconds", d.forSeconds, 0, MAX_SECONDS);
    int clearForSeconds = f.integer("clearForSeconds", d.clearForSeconds, 0, MAX_SECONDS);
    // 0 switches a rate rule off.
    double errors = f.number("errorsPerSecond", d.errorsPerSecond, 0, Double.MAX_VALUE);
    double discards = f.number("discardsPerSecond", d.discardsPerSecond, 0, Double.MAX_VALUE);
    boolean operStatus = f.bool("operStatus", d.operStatus);
    return new AlertConfig(raise, clear, forSeconds, clearForSeconds, errors, discards, operStatus);
  }
}
