package io.ifpulse.fuzz;

import io.ifpulse.snmp.GetRequest;
import io.ifpulse.snmp.GetRequest.Expect;
import io.ifpulse.snmp.ReplyDecoder;
import io.ifpulse.snmp.ReplyError;
import java.util.ArrayList;
import java.util.List;
import org.snmp4j.smi.OID;

/**
 * The GET the reply fuzzers answer: what the poller asks of a device with two interfaces
 * (sysUpTime, the HC octet counters, a Counter32 column, an INTEGER column), and the invariants a
 * decoded reply must hold whatever the agent sent.
 */
final class ReplyRequests {
  static final String SYS_UPTIME = "1.3.6.1.2.1.1.3.0";
  static final String IF_HC_IN = "1.3.6.1.2.1.31.1.1.1.6";
  static final String IF_HC_OUT = "1.3.6.1.2.1.31.1.1.1.10";
  static final String IF_IN_OCTETS = "1.3.6.1.2.1.2.2.1.10";
  static final String IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8";

  /** The OIDs in the order asked. */
  static final List<String> OIDS = List.of(SYS_UPTIME, IF_HC_IN + ".1", IF_HC_OUT + ".1", IF_HC_IN + ".2", IF_HC_OUT + ".2",
      IF_IN_OCTETS + ".1", IF_OPER_STATUS + ".1");
  static final List<Expect> EXPECT = List.of(Expect.TIME_TICKS, Expect.COUNTER, Expect.COUNTER, Expect.COUNTER, Expect.COUNTER,
      Expect.COUNTER, Expect.INTEGER);

  private ReplyRequests() {}

  static GetRequest get() {
    return get(OIDS, EXPECT);
  }

  static GetRequest get(List<String> oids, List<Expect> expect) {
    List<int[]> raw = new ArrayList<>();
    for (String o : oids) raw.add(new OID(o).getValue());
    return new GetRequest(raw, expect);
  }

  /** What any decoded reply must satisfy, position by position. */
  static void check(ReplyDecoder d, List<Expect> expect) {
    for (int i = 0; i < expect.size(); i++) {
      if (d.has(i) && d.absent(i)) throw new AssertionError(i + ": both a value and absent");
      if (d.errorStatus() != 0 && d.has(i)) throw new AssertionError(i + ": a value read from an error reply");
      if (!d.has(i)) continue;
      long v = d.value(i);
      int w = d.width(i);
      switch (expect.get(i)) {
        case COUNTER -> {
          if (w != 32 && w != 64) throw new AssertionError(i + ": a counter of width " + w);
          if (w == 32 && (v < 0 || v > 0xFFFF_FFFFL)) throw new AssertionError(i + ": Counter32 value " + v);
        }
        case TIME_TICKS -> {
          if (v < 0 || v > 0xFFFF_FFFFL) throw new AssertionError(i + ": TimeTicks value " + v);
        }
        case INTEGER -> {
          if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new AssertionError(i + ": INTEGER value " + v);
        }
      }
    }
    for (ReplyError kind : ReplyError.values()) {
      if (d.errors(kind) < 0) throw new AssertionError(kind + " counted negative");
    }
    d.errorsJson().encode();
  }
}
