package io.ifpulse.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The recent in/out bit rates of one interface, in a ring of primitive arrays: 12 bytes a point
 * (an int millisecond offset and two floats). It grows by doubling up to its capacity, so an
 * interface polled every 10 s holds 90 points for 15 minutes and only one polled every second
 * needs the full 900. A float keeps 7 significant digits: far finer than any chart.
 *
 * <p>A gap is stored as NaN, so a chart shows it as a gap rather than a line to zero.
 */
final class InterfaceHistory {
  private static final int INITIAL = 16;
  /** Offsets are ints (24 days of milliseconds); the base moves forward well before that. */
  private static final long REBASE_AFTER_MS = 1L << 30;

  private final int capacity;
  private long baseMs;
  private int[] offsetMs = new int[INITIAL];
  private float[] in = new float[INITIAL];
  private float[] out = new float[INITIAL];
  private int start;
  private int size;

  InterfaceHistory(int capacity, long baseMs) {
    this.capacity = capacity;
    this.baseMs = baseMs;
  }

  void add(long tsMs, double inBps, double outBps) {
    if (size > 0 && tsMs <= tsAt(size - 1)) return; // duplicates and reordering: keep time increasing
    if (tsMs - baseMs > REBASE_AFTER_MS) rebase(tsMs);
    if (size == offsetMs.length && size < capacity) grow();
    int slot;
    if (size < offsetMs.length) {
      slot = (start + size) % offsetMs.length;
      size++;
    } else {
      slot = start;
      start = (start + 1) % offsetMs.length;
    }
    offsetMs[slot] = (int) (tsMs - baseMs);
    in[slot] = (float) inBps;
    out[slot] = (float) outBps;
  }

  /** The points at or after {@code fromMs}, as parallel arrays ts, inBps, outBps (null = gap). */
  JsonObject since(long fromMs) {
    JsonArray ts = new JsonArray();
    JsonArray ins = new JsonArray();
    JsonArray outs = new JsonArray();
    for (int i = 0; i < size; i++) {
      long t = tsAt(i);
      if (t < fromMs) continue;
      int slot = (start + i) % offsetMs.length;
      ts.add(t);
      ins.add(Float.isNaN(in[slot]) ? null : (double) in[slot]);
      outs.add(Float.isNaN(out[slot]) ? null : (double) out[slot]);
    }
    return new JsonObject().put("ts", ts).put("inBps", ins).put("outBps", outs);
  }

  int size() {
    return size;
  }

  /** Bytes held by the arrays (for the memory figures in the docs and /metrics). */
  long bytes() {
    return (long) offsetMs.length * 12;
  }

  private long tsAt(int i) {
    return baseMs + offsetMs[(start + i) % offsetMs.length];
  }

  private void rebase(long nowMs) {
    long newBase = nowMs - REBASE_AFTER_MS / 2;
    int shift = (int) (newBase - baseMs);
    for (int i = 0; i < offsetMs.length; i++) offsetMs[i] -= shift;
    baseMs = newBase;
  }

  private void grow() {
    int n = Math.min(capacity, offsetMs.length * 2);
    int[] o = new int[n];
    float[] a = new float[n];
    float[] b = new float[n];
    for (int i = 0; i < size; i++) {
      int slot = (start + i) % offsetMs.length;
      o[i] = offsetMs[slot];
      a[i] = in[slot];
      b[i] = out[slot];
    }
    offsetMs = o;
    in = a;
    out = b;
    start = 0;
  }
}
