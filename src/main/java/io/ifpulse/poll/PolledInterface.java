package io.ifpulse.poll;

import io.ifpulse.config.ReadGroup;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import java.util.Arrays;
import java.util.Set;

/**
 * An interface being polled, with the OIDs it is read through (as sub-identifiers). The choice of
 * 64- or 32-bit column is per interface and per counter, and it learns: a column the agent answers
 * with noSuchInstance falls back to its 32-bit form (or is dropped) from the next poll on.
 */
final class PolledInterface {
  private static final String IF_X_TABLE = "1.3.6.1.2.1.31.1.1.1.";
  private static final int[] IF_OPER = oid("1.3.6.1.2.1.2.2.1.8");
  private static final int[] IF_DISCONTINUITY = oid("1.3.6.1.2.1.31.1.1.1.19");

  final InterfaceInfo info;
  /** Per {@link Counter}: the OID polled, or null when the agent has no such counter. */
  final int[][] counterOids = new int[Counter.COUNT][];
  final boolean[] usingHc = new boolean[Counter.COUNT];
  /** ifOperStatus, or null when the device is not asked for status. */
  final int[] operOid;
  final int[] discontinuityOid;

  PolledInterface(InterfaceInfo info, Set<ReadGroup> read) {
    this.info = info;
    for (Counter c : Counter.values()) {
      boolean hc = info.hasHcCounters() && c.hcColumn != null;
      usingHc[c.ordinal()] = hc;
      String column = hc ? c.hcColumn : c.column32;
      boolean inIfX = column.startsWith(IF_X_TABLE);
      boolean wanted = read.contains(group(c));
      counterOids[c.ordinal()] = !wanted || inIfX && !info.hasIfXEntry() ? null : row(oid(column));
    }
    boolean status = read.contains(ReadGroup.STATUS);
    operOid = status ? row(IF_OPER) : null;
    discontinuityOid = status && info.hasDiscontinuityTime() ? row(IF_DISCONTINUITY) : null;
  }

  /** The same interface, rediscovered: new facts, and the column choices it learned. */
  PolledInterface refreshed(InterfaceInfo info, Set<ReadGroup> read) {
    PolledInterface p = new PolledInterface(info, read);
    System.arraycopy(counterOids, 0, p.counterOids, 0, Counter.COUNT);
    System.arraycopy(usingHc, 0, p.usingHc, 0, Counter.COUNT);
    return p;
  }

  static ReadGroup group(Counter c) {
    return switch (c) {
      case IN_OCTETS, OUT_OCTETS -> ReadGroup.OCTETS;
      case IN_UCAST, IN_MCAST, IN_BCAST, OUT_UCAST, OUT_MCAST, OUT_BCAST -> ReadGroup.PACKETS;
      case IN_ERRORS, OUT_ERRORS -> ReadGroup.ERRORS;
      case IN_DISCARDS, OUT_DISCARDS -> ReadGroup.DISCARDS;
    };
  }

  /** The agent has no instance for this counter's current column: fall back or drop it. */
  void columnMissing(int counter) {
    Counter c = Counter.of(counter);
    if (usingHc[counter]) {
      usingHc[counter] = false;
      counterOids[counter] = c.column32.startsWith(IF_X_TABLE) && !info.hasIfXEntry() ? null : row(oid(c.column32));
    } else {
      counterOids[counter] = null;
    }
  }

  /** Number of varbinds this interface adds to a request. */
  int varbinds() {
    int n = (operOid != null ? 1 : 0) + (discontinuityOid != null ? 1 : 0);
    for (int[] o : counterOids) if (o != null) n++;
    return n;
  }

  /** Estimated BER bytes of this interface's varbinds in a reply. */
  int replyBytes() {
    int bytes = (operOid != null ? varbindBytes(operOid, 3) : 0)
        + (discontinuityOid != null ? varbindBytes(discontinuityOid, 6) : 0);
    for (int i = 0; i < Counter.COUNT; i++) {
      if (counterOids[i] != null) bytes += varbindBytes(counterOids[i], usingHc[i] ? 11 : 7);
    }
    return bytes;
  }

  /** BER size of a varbind: sequence header, OID TLV, value TLV (all lengths below 128). */
  static int varbindBytes(int[] oid, int valueBytes) {
    int oidBytes = 1; // the first two sub-identifiers share one byte
    for (int i = 2; i < oid.length; i++) {
      long v = oid[i] & 0xFFFF_FFFFL;
      oidBytes += v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5;
    }
    return 2 + 2 + oidBytes + valueBytes;
  }

  static int[] oid(String dotted) {
    return Arrays.stream(dotted.split("\\.")).mapToInt(Integer::parseUnsignedInt).toArray();
  }

  /** A column's instance for this interface. */
  private int[] row(int[] column) {
    int[] o = Arrays.copyOf(column, column.length + 1);
    o[column.length] = info.ifIndex();
    return o;
  }
}
