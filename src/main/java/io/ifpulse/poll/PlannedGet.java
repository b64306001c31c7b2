package io.ifpulse.poll;

import io.ifpulse.rate.Counter;
import io.ifpulse.snmp.GetRequest;
import io.ifpulse.snmp.GetRequest.Expect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One GET of a poll as {@link RequestPlanner} laid it out: sysUpTime, then for each interface its
 * counters (in {@link Counter} order), ifOperStatus and ifCounterDiscontinuityTime, as far as it
 * has them. The layout is fixed when the GET is planned, so its reply is read against what this
 * request asked, even when an interface's column choices change while it is on its way.
 */
final class PlannedGet {
  /** What a varbind carries, besides a {@link Counter} ordinal. */
  static final int UPTIME = -1;
  static final int OPER = Counter.COUNT;
  static final int DISCONTINUITY = Counter.COUNT + 1;

  final List<PolledInterface> interfaces;
  /** Where the first of them is in the device's list of interfaces; the others follow it. */
  final int first;
  final GetRequest request;
  private final int[][] oids;
  private final byte[] fields;
  private final int[] owners;

  PlannedGet(List<PolledInterface> interfaces, int first) {
    this.interfaces = interfaces;
    this.first = first;
    int n = 1;
    for (PolledInterface p : interfaces) n += p.varbinds();
    oids = new int[n][];
    fields = new byte[n];
    owners = new int[n];
    List<Expect> expect = new ArrayList<>(n);
    int v = put(0, RequestPlanner.SYS_UPTIME, UPTIME, -1, expect, Expect.TIME_TICKS);
    for (int k = 0; k < interfaces.size(); k++) {
      PolledInterface p = interfaces.get(k);
      for (int c = 0; c < Counter.COUNT; c++) {
        if (p.counterOids[c] != null) v = put(v, p.counterOids[c], c, k, expect, Expect.COUNTER);
      }
      if (p.operOid != null) v = put(v, p.operOid, OPER, k, expect, Expect.INTEGER);
      if (p.discontinuityOid != null) v = put(v, p.discontinuityOid, DISCONTINUITY, k, expect, Expect.TIME_TICKS);
    }
    request = new GetRequest(Arrays.asList(oids), expect);
  }

  private int put(int v, int[] oid, int field, int owner, List<Expect> expect, Expect type) {
    oids[v] = oid;
    fields[v] = (byte) field;
    owners[v] = owner;
    expect.add(type);
    return v + 1;
  }

  /** Varbinds asked, sysUpTime included. */
  int size() {
    return fields.length;
  }

  /** What varbind {@code v} carries: a {@link Counter} ordinal, {@link #UPTIME}, {@link #OPER} or {@link #DISCONTINUITY}. */
  int field(int v) {
    return fields[v];
  }

  /** Which of {@link #interfaces} varbind {@code v} belongs to; -1 for sysUpTime. */
  int owner(int v) {
    return owners[v];
  }

  int[] oid(int v) {
    return oids[v];
  }
}
