package io.ifpulse.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interfaces of a device's latest sample, kept column by column (one column per key and kind
 * of value) in arrays that each new sample overwrites in place.
 *
 * <p>Why not keep the sample itself: it is a JsonObject per interface, about 1 KB of small objects
 * (map entries, boxed numbers), and the latest one of every device lives for a whole interval. At
 * 200 devices those 11 MB survived every young collection of the hub (one every 0.7 s in scenario
 * 3 of docs/BENCHMARKS.md), overflowed the survivor space into the old generation and so brought a
 * full collection of over 100 ms every 35 s; copying them was most of each young pause. Columns are
 * a few arrays per device, allocated once.
 *
 * <p>Generic over the keys: whatever an interface of the sample holds is kept (numbers as
 * primitives, anything else by reference), so a field added to the sample needs no change here.
 * An absent key stays absent; what is not kept is the order of an interface's keys (columns come
 * in the order first seen) and an explicit JSON null (absent, as docs/EVENTS.md reads it anyway).
 */
final class LastInterfaces {
  private enum Kind { DOUBLE, INT, LONG, OTHER }

  private static final class Column {
    final String key;
    final Kind kind;
    double[] doubles = new double[0];
    long[] longs = new long[0];
    boolean[] present = new boolean[0];
    Object[] objects = new Object[0];

    Column(String key, Kind kind) {
      this.key = key;
      this.kind = kind;
    }

    void ensure(int n) {
      if (present.length >= n) return;
      int cap = Math.max(n, present.length * 2);
      present = Arrays.copyOf(present, cap);
      switch (kind) {
        case DOUBLE -> doubles = Arrays.copyOf(doubles, cap);
        case INT, LONG -> longs = Arrays.copyOf(longs, cap);
        case OTHER -> objects = Arrays.copyOf(objects, cap);
      }
    }

    void clear(int n) {
      Arrays.fill(present, 0, n, false);
      if (kind == Kind.OTHER) Arrays.fill(objects, 0, n, null); // nothing of an old sample kept alive
    }

    Object get(int k) {
      if (!present[k]) return null;
      return switch (kind) {
        case DOUBLE -> doubles[k];
        case INT -> (int) longs[k];
        case LONG -> longs[k];
        case OTHER -> objects[k];
      };
    }
  }

  /** Columns by key, one map per kind: a key seen with two kinds of value gets two columns. */
  @SuppressWarnings("unchecked")
  private final Map<String, Column>[] byKind = new Map[Kind.values().length];
  private final List<Column> columns = new ArrayList<>();
  /**
   * Per position in the sample: the column each of its entries went to last time, in entry order.
   * A device's samples list the same interfaces with the same keys in the same order, so this
   * answers almost every entry without a map lookup (about 15 per interface per sample otherwise);
   * a key or kind that differs from last time falls back to the maps and is remembered.
   */
  private Column[][] route = new Column[0][];
  private int size;

  LastInterfaces() {
    for (int i = 0; i < byKind.length; i++) byKind[i] = new HashMap<>();
  }

  /** Replaces what is kept by the interfaces of a new sample. */
  void update(JsonArray interfaces) {
    int n = interfaces.size();
    for (Column c : columns) {
      c.ensure(n);
      c.clear(Math.max(n, size));
    }
    size = n;
    if (route.length < n) route = Arrays.copyOf(route, n);
    // Runs for every interface of every sample: no lambda, no boxing.
    for (int k = 0; k < n; k++) {
      if (!(interfaces.getValue(k) instanceof JsonObject i)) continue;
      Column[] r = route[k];
      if (r == null || r.length < i.size()) r = route[k] = r == null ? new Column[i.size()] : Arrays.copyOf(r, i.size());
      int at = 0;
      for (Map.Entry<String, Object> e : i.getMap().entrySet()) {
        Object v = e.getValue();
        if (v == null) continue;
        Kind kind = v instanceof Double || v instanceof Float ? Kind.DOUBLE
            : v instanceof Integer || v instanceof Short || v instanceof Byte ? Kind.INT
            : v instanceof Long ? Kind.LONG
            : Kind.OTHER;
        Column c = r[at];
        if (c == null || c.kind != kind || !c.key.equals(e.getKey())) {
          c = column(e.getKey(), kind, n);
          r[at] = c;
        }
        at++;
        c.present[k] = true;
        switch (kind) {
          case DOUBLE -> c.doubles[k] = ((Number) v).doubleValue();
          case INT, LONG -> c.longs[k] = ((Number) v).longValue();
          case OTHER -> c.objects[k] = v;
        }
      }
    }
  }

  private Column column(String key, Kind kind, int n) {
    Map<String, Column> m = byKind[kind.ordinal()];
    Column c = m.get(key);
    if (c == null) {
      c = new Column(key, kind);
      c.ensure(n);
      m.put(key, c);
      columns.add(c);
    }
    return c;
  }

  /** Interfaces in the latest sample. */
  int size() {
    return size;
  }

  /** The value of {@code key} of interface {@code k} (position in the sample), or null. */
  Object get(int k, String key) {
    for (Column c : columns) {
      if (c.key.equals(key) && c.present[k]) return c.get(k);
    }
    return null;
  }

  /** The sum of a numeric key over the interfaces that have it. */
  double sum(String key) {
    double s = 0;
    for (Column c : columns) {
      if (!c.key.equals(key) || c.kind == Kind.OTHER) continue;
      for (int k = 0; k < size; k++) {
        if (c.present[k]) s += c.kind == Kind.DOUBLE ? c.doubles[k] : c.longs[k];
      }
    }
    return s;
  }

  /**
   * The numbers under {@code key} of every interface, by position; NaN where absent. One pass per
   * column, where {@link #get} per interface would search the columns each time.
   */
  double[] numbers(String key) {
    double[] out = new double[size];
    Arrays.fill(out, Double.NaN);
    for (Column c : columns) {
      if (!c.key.equals(key) || c.kind == Kind.OTHER) continue;
      for (int k = 0; k < size; k++) {
        if (c.present[k]) out[k] = c.kind == Kind.DOUBLE ? c.doubles[k] : c.longs[k];
      }
    }
    return out;
  }

  /** The values under {@code key} of every interface, by position; null where absent. */
  Object[] values(String key) {
    Object[] out = new Object[size];
    for (Column c : columns) {
      if (!c.key.equals(key)) continue;
      for (int k = 0; k < size; k++) {
        if (c.present[k]) out[k] = c.get(k);
      }
    }
    return out;
  }

  /** Interface {@code k} as the sample had it (a new object). */
  JsonObject iface(int k) {
    JsonObject j = new JsonObject();
    for (Column c : columns) {
      if (c.present[k]) j.put(c.key, c.get(k));
    }
    return j;
  }
}
