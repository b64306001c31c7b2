package io.ifpulse.poll;

import io.ifpulse.config.ReadGroup;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import java.util.Set;
import org.snmp4j.smi.OID;

/**
 * An interface being polled, with the OIDs it is read through. The choice of 64- or 32-bit column
 * is per interface and per counter, and it learns: a column the agent answers with noSuchInstance
 * falls back to its 32-bit form (or is dropped) from the next poll on.
 */
final class PolledInterface {
  private static final String IF_X_TABLE = "1.3.6.1.2.1.31.1.1.1.";
  static final OID IF_OPER = new OID("1.3.6.1.2.1.2.2.1.8");
  static final OID IF_DISCONTINUITY = new OID("1.3.6.1.2.1.31.1.1.1.19");

  final InterfaceInfo info;
  /** Per {@link Counter}: the OID polled, or null when the agent has no such counter. */
  final OID[] counterOids = new OID[Counter.COUNT];
  final boolean[] usingHc = new boolean[Counter.COUNT];
  /** ifOperStatus, or null when the device is not asked for status. */
  final OID operOid;
  final OID discontinuityOid;

  PolledInterface(InterfaceInfo info, Set<ReadGroup> read) {
    this.info = info;
    for (Counter c : Counter.values()) {
      boolean hc = info.hasHcCounters() && c.hcColumn != null;
      usingHc[c.ordinal()] = hc;
      String column = hc ? c.hcColumn : c.column32;
      boolean inIfX = column.startsWith(IF_X_TABLE);
      boolean wanted = read.contains(group(c));
      counterOids[c.ordinal()] = !wanted || inIfX && !info.hasIfXEntry() ? null : column(column);
    }
    boolean status = read.contains(ReadGroup.STATUS);
    operOid = status ? index(IF_OPER) : null;
    discontinuityOid = status && info.hasDiscontinuityTime() ? index(IF_DISCONTINUITY) : null;
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
      counterOids[counter] = c.column32.startsWith(IF_X_TABLE) && !info.hasIfXEntry() ? null : column(c.column32);
    } else {
      counterOids[counter] = null;
    }
  }

  /** Number of varbinds this interface adds to a request. */
  int varbinds() {
    int n = (operOid != null ? 1 : 0) + (discontinuityOid != null ? 1 : 0);
    for (OID o : counterOids) if (o != null) n++;
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
  static int varbindBytes(OID oid, int valueBytes) {
    int oidBytes = 1; // the first two sub-identifiers share one byte
    for (int i = 2; i < oid.size(); i++) {
      long v = oid.get(i) & 0xFFFF_FFFFL;
      oidBytes += v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5;
    }
    return 2 + 2 + oidBytes + valueBytes;
  }

  private OID column(String column) {
    return column == null ? null : new OID(column).append(info.ifIndex());
  }

  private OID index(OID column) {
    return new OID(column).append(info.ifIndex());
  }
}
