package io.ifpulse.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one way the config is read and checked: the fields of one JSON object, each read with its
 * path in the file ({@code devices[2].sim.rateMbps}), so every error names the field and the value
 * in the same words, whichever part of the config it is in. Values that may be secrets are shown
 * as {@code <secret>}, objects and lists by their shape only.
 */
public final class Fields {
  private final JsonObject json;
  private final java.util.function.Function<String, String> pathOf;

  private Fields(JsonObject json, java.util.function.Function<String, String> pathOf) {
    this.json = json == null ? new JsonObject() : json;
    this.pathOf = pathOf;
  }

  /** The fields of {@code json}, found at {@code path} of the file ("" for the top). */
  public static Fields of(JsonObject json, String path) {
    String prefix = path == null || path.isEmpty() ? "" : path + ".";
    return new Fields(json, k -> prefix + k);
  }

  /**
   * Fields merged from several places (a device over the defaults): {@code pathOf} names where
   * each key's value came from, so the error points at the line to fix.
   */
  public static Fields merged(JsonObject json, java.util.function.Function<String, String> pathOf) {
    return new Fields(json, pathOf);
  }

  public JsonObject json() {
    return json;
  }

  /** The path of a field of this object. */
  public String path(String key) {
    return pathOf.apply(key);
  }

  public boolean has(String key) {
    return json.getValue(key) != null;
  }

  public Object raw(String key) {
    return json.getValue(key);
  }

  /** A problem with a field: the path, the value as it may be shown, and what is wrong. */
  public ConfigException error(String key, String problem) {
    return new ConfigException(path(key), shown(key, json.getValue(key)), problem);
  }

  /** Refuses keys outside {@code known}: a typo must not silently fall back to a default. */
  public Fields known(Set<String> known) {
    for (String k : json.fieldNames()) {
      if (!known.contains(k)) {
        throw new ConfigException(path(k), shown(k, json.getValue(k)), "is not a known setting (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
    return this;
  }

  public String string(String key, String dflt) {
    Object v = json.getValue(key);
    if (v == null) return dflt;
    if (v instanceof String s) return s;
    throw error(key, "must be a string");
  }

  public boolean bool(String key, boolean dflt) {
    Object v = json.getValue(key);
    if (v == null) return dflt;
    if (v instanceof Boolean b) return b;
    throw error(key, "must be true or false");
  }

  /** A whole number within [min, max]. */
  public long integer(String key, long dflt, long min, long max) {
    Object v = json.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw error(key, "must be a whole number");
    long l = n.longValue();
    if (l < min || l > max) throw error(key, "must be between " + min + " and " + max);
    return l;
  }

  public int integer(String key, int dflt, int min, int max) {
    return (int) integer(key, (long) dflt, min, max);
  }

  /** A finite number within [min, max]. */
  public double number(String key, double dflt, double min, double max) {
    Object v = json.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Number n)) throw error(key, "must be a number");
    double d = n.doubleValue();
    if (!(Double.isFinite(d) && d >= min && d <= max)) throw error(key, "must be between " + text(min) + " and " + text(max));
    return d;
  }

  /** One of an enum's constants, written in any case; the error lists them in lower case. */
  public <E extends Enum<E>> E choice(String key, Class<E> type, E dflt) {
    Object v = json.getValue(key);
    if (v == null) {
      if (dflt != null) return dflt;
      throw error(key, "is required: one of " + words(type));
    }
    if (v instanceof String s) {
      for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s.trim())) return e;
    }
    throw error(key, "must be one of " + words(type));
  }

  /** A nested object (empty when absent). */
  public JsonObject object(String key) {
    Object v = json.getValue(key);
    if (v == null) return new JsonObject();
    if (v instanceof JsonObject o) return o;
    throw error(key, "must be an object");
  }

  /** The fields of a nested object. */
  public Fields child(String key) {
    return of(object(key), path(key));
  }

  /** A list, also accepting a single value for convenience ("includeName": "^Gi"). */
  public List<Object> list(String key) {
    Object v = json.getValue(key);
    if (v == null) return List.of();
    if (v instanceof JsonArray a) {
      @SuppressWarnings("unchecked") // JsonArray holds JSON values: Object is all that is promised
      List<Object> values = a.getList();
      return values;
    }
    return List.of(v);
  }

  private static String words(Class<? extends Enum<?>> type) {
    return String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
  }

  static String text(double d) {
    if (d == Double.MAX_VALUE) return "any";
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A value as an error may show it: secrets hidden, objects and lists by their shape. */
  static Object shown(String key, Object v) {
    if (v instanceof JsonObject) return Shape.OBJECT;
    if (v instanceof JsonArray) return Shape.LIST;
    if (v instanceof String s && secretish(key)) return new Secret(s);
    return v;
  }

  /** A key that may hold a secret ("community", "authPassphrase", a misspelt "Community"). */
  static boolean secretish(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("pass") || k.contains("community") || k.contains("secret") || k.contains("key");
  }

  enum Shape {
    OBJECT("{...}"),
    LIST("[...]"),
    /** What a refused secret field is shown as: the value is never echoed. */
    HIDDEN("(not shown)");

    private final String text;

    Shape(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
