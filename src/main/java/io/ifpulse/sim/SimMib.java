package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec.CounterKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of the MIB a simulated device serves: an OID-ordered list of objects (scalars and
 * table columns), each with its instances (".0" for a scalar, the ifIndex list for a column).
 * Values come from {@link SimDevice}; this class only navigates, so GET, GETNEXT and GETBULK need
 * no per-device OID tree and work for any number of interfaces.
 *
 * <p>No object OID is a prefix of another, so for any OID q the only object that can contain q is
 * the greatest object OID that is {@code <= q}: one binary search finds it.
 */
final class SimMib {
  // Object ids: 100s = system group, 200s = interfaces scalars, 2200 + column = ifTable,
  // 3100 + column = ifXTable.
  static final int SYS_DESCR = 101, SYS_OBJECT_ID = 102, SYS_UPTIME = 103, SYS_NAME = 105;
  static final int IF_NUMBER = 201;
  static final int IF_TABLE = 2200, IF_X_TABLE = 3100;

  static final int[] IF_ENTRY = {1, 3, 6, 1, 2, 1, 2, 2, 1};
  static final int[] IF_X_ENTRY = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1};
  static final int[] IF_TABLE_COLUMNS = {1, 2, 3, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 20};
  static final int[] IF_X_COLUMNS_32 = {1, 2, 3, 4, 5, 15, 18, 19};
  static final int[] IF_X_COLUMNS_HC = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 18, 19};

  /** One MIB object: a scalar (single instance 0) or a table column (instances = ifIndex list). */
  static final class Obj {
    final int id;
    final int[] oid;
    final boolean scalar;
    /** Counter64 objects are invisible to SNMPv1 (RFC 3584 section 4.2.2.1). */
    final boolean counter64;

    Obj(int id, int[] oid, boolean scalar, boolean counter64) {
      this.id = id;
      this.oid = oid;
      this.scalar = scalar;
      this.counter64 = counter64;
    }
  }

  private static final Obj[] HC = build(CounterKind.HC);
  private static final Obj[] C32 = build(CounterKind.COUNTER32);
  private static final Obj[] V1 = build(CounterKind.V1);

  static Obj[] objects(CounterKind kind) {
    return switch (kind) {
      case HC -> HC;
      case COUNTER32 -> C32;
      case V1 -> V1;
    };
  }

  private static Obj[] build(CounterKind kind) {
    List<Obj> l = new ArrayList<>();
    l.add(new Obj(SYS_DESCR, new int[] {1, 3, 6, 1, 2, 1, 1, 1}, true, false));
    l.add(new Obj(SYS_OBJECT_ID, new int[] {1, 3, 6, 1, 2, 1, 1, 2}, true, false));
    l.add(new Obj(SYS_UPTIME, new int[] {1, 3, 6, 1, 2, 1, 1, 3}, true, false));
    l.add(new Obj(SYS_NAME, new int[] {1, 3, 6, 1, 2, 1, 1, 5}, true, false));
    l.add(new Obj(IF_NUMBER, new int[] {1, 3, 6, 1, 2, 1, 2, 1}, true, false));
    for (int c : IF_TABLE_COLUMNS) l.add(new Obj(IF_TABLE + c, append(IF_ENTRY, c), false, false));
    if (kind != CounterKind.V1) {
      for (int c : kind == CounterKind.HC ? IF_X_COLUMNS_HC : IF_X_COLUMNS_32) {
        l.add(new Obj(IF_X_TABLE + c, append(IF_X_ENTRY, c), false, c >= 6 && c <= 13));
      }
    }
    Obj[] a = l.toArray(new Obj[0]);
    for (int i = 1; i < a.length; i++) {
      if (compare(a[i - 1].oid, a[i].oid) >= 0) throw new AssertionError("MIB objects out of order at " + i);
    }
    return a;
  }

  static int[] append(int[] prefix, int... more) {
    int[] r = new int[prefix.length + more.length];
    System.arraycopy(prefix, 0, r, 0, prefix.length);
    System.arraycopy(more, 0, r, prefix.length, more.length);
    return r;
  }

  /** Lexicographic OID order, sub-identifiers compared as unsigned 32-bit numbers. */
  static int compare(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) return Integer.compareUnsigned(a[i], b[i]);
    }
    return Integer.compare(a.length, b.length);
  }

  static boolean startsWith(int[] oid, int[] prefix) {
    if (oid.length < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) if (oid[i] != prefix[i]) return false;
    return true;
  }

  /** Index of the greatest object whose OID is {@code <= q}, or -1. */
  static int floor(Obj[] objs, int[] q) {
    int lo = 0, hi = objs.length - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(objs[mid].oid, q) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Position of the first element of the sorted (unsigned) array that is > key (unsigned). */
  static int firstAbove(int[] sorted, int key) {
    int lo = 0, hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Integer.compareUnsigned(sorted[mid], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of key in the sorted array, or -1. */
  static int indexOf(int[] sorted, int key) {
    int p = firstAbove(sorted, key) - 1;
    return p >= 0 && sorted[p] == key ? p : -1;
  }

  private SimMib() {}
}
