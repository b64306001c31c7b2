package io.ifpulse.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.snmp.GetRequest.Expect;
import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snmp4j.PDU;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * One row per way an agent's reply can differ from what was asked. The request is the poller's
 * shape: sysUpTime, then per interface counters and status. Each row gives the reply's varbinds
 * and what the decoder must make of each asked position — {@code t:} TimeTicks, {@code c64:} and
 * {@code c32:} counters with their width, {@code i:} INTEGER, {@code absent}, {@code x} unusable —
 * and the errors it must count.
 */
@Unit
class ReplyDecoderTest {
  static final String UPTIME = "1.3.6.1.2.1.1.3.0";
  static final String HC_IN = "1.3.6.1.2.1.31.1.1.1.6.";
  static final String HC_OUT = "1.3.6.1.2.1.31.1.1.1.10.";
  static final String OPER = "1.3.6.1.2.1.2.2.1.8.";

  /** sysUpTime; ifHCInOctets.1, ifHCOutOctets.1, ifOperStatus.1; ifHCInOctets.2, ifHCOutOctets.2. */
  static final GetRequest ASKED = get(
      UPTIME, Expect.TIME_TICKS,
      HC_IN + 1, Expect.COUNTER, HC_OUT + 1, Expect.COUNTER, OPER + 1, Expect.INTEGER,
      HC_IN + 2, Expect.COUNTER, HC_OUT + 2, Expect.COUNTER);

  static final String ALL_GOOD = "t:500 c64:1000 c64:2000 i:1 c64:3000 c64:4000";

  record Row(String name, List<VariableBinding> reply, String expected, Map<ReplyError, Integer> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("everything as asked", good(), ALL_GOOD),
        row("a Counter32 from a 64-bit column: the width comes from the reply",
            replace(good(), 2, vb(HC_OUT + 1, new Counter32(2000))), "t:500 c64:1000 c32:2000 i:1 c64:3000 c64:4000"),
        row("the largest Counter64 stays unsigned",
            replace(good(), 1, vb(HC_IN + 1, new Counter64(-1L))), "t:500 c64:18446744073709551615 c64:2000 i:1 c64:3000 c64:4000"),
        row("two interfaces' in-octets swapped: neither is read as the other's",
            swap(good(), 1, 4), "t:500 x c64:2000 i:1 x c64:4000", ReplyError.REORDERED, 2),
        row("another interface's row in place of the asked one",
            replace(good(), 4, vb(HC_IN + 7, new Counter64(9999))), "t:500 c64:1000 c64:2000 i:1 x c64:4000",
            ReplyError.FOREIGN_OID, 1),
        row("another table's column in place of a counter",
            replace(good(), 1, vb("1.3.6.1.2.1.1.5.0", new OctetString("core-sw1"))), "t:500 x c64:2000 i:1 c64:3000 c64:4000",
            ReplyError.FOREIGN_OID, 1),
        row("an OctetString where a counter was asked",
            replace(good(), 2, vb(HC_OUT + 1, new OctetString("garbage"))), "t:500 c64:1000 x i:1 c64:3000 c64:4000",
            ReplyError.WRONG_TYPE, 1),
        row("a Gauge32 where a counter was asked",
            replace(good(), 5, vb(HC_OUT + 2, new Gauge32(4000))), "t:500 c64:1000 c64:2000 i:1 c64:3000 x",
            ReplyError.WRONG_TYPE, 1),
        row("a counter where ifOperStatus (INTEGER) was asked",
            replace(good(), 3, vb(OPER + 1, new Counter32(1))), "t:500 c64:1000 c64:2000 x c64:3000 c64:4000",
            ReplyError.WRONG_TYPE, 1),
        row("sysUpTime as an INTEGER",
            replace(good(), 0, vb(UPTIME, new Integer32(500))), "x c64:1000 c64:2000 i:1 c64:3000 c64:4000",
            ReplyError.WRONG_TYPE, 1),
        row("a NULL value, as the request carried it",
            replace(good(), 1, vb(HC_IN + 1, Null.instance)), "t:500 x c64:2000 i:1 c64:3000 c64:4000",
            ReplyError.WRONG_TYPE, 1),
        row("noSuchInstance: the agent has no such counter",
            replace(good(), 4, vb(HC_IN + 2, Null.noSuchInstance)), "t:500 c64:1000 c64:2000 i:1 absent c64:4000",
            ReplyError.NO_SUCH_INSTANCE, 1),
        row("noSuchObject: the agent has no such column",
            replace(good(), 5, vb(HC_OUT + 2, Null.noSuchObject)), "t:500 c64:1000 c64:2000 i:1 c64:3000 absent",
            ReplyError.NO_SUCH_OBJECT, 1),
        row("endOfMibView from an agent that answers a GET as a GETNEXT",
            replace(good(), 3, vb(OPER + 1, Null.endOfMibView)), "t:500 c64:1000 c64:2000 absent c64:3000 c64:4000",
            ReplyError.END_OF_MIB_VIEW, 1),
        row("the last two varbinds missing",
            good().subList(0, 4), "t:500 c64:1000 c64:2000 i:1 x x", ReplyError.MISSING, 2),
        row("an empty reply",
            List.of(), "x x x x x x", ReplyError.MISSING, 6),
        row("one varbind left out in the middle: the rest are each one place early",
            without(good(), 2), "t:500 c64:1000 x x x x", ReplyError.REORDERED, 3, ReplyError.MISSING, 1),
        row("a varbind more than asked",
            plus(good(), vb(HC_IN + 3, new Counter64(5))), ALL_GOOD, ReplyError.EXTRA, 1),
        row("the varbind before it again in place of the last",
            plus(without(good(), 5), good().get(4)), "t:500 c64:1000 c64:2000 i:1 c64:3000 x", ReplyError.REORDERED, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decodes(Row row) {
    ReplyDecoder d = new ReplyDecoder("device test");
    PDU pdu = response(row.reply());
    d.decode(ASKED, pdu);
    assertEquals(row.expected(), render(d, ASKED.size()), row.name());
    for (ReplyError k : ReplyError.values()) {
      assertEquals(row.errors().getOrDefault(k, 0).longValue(), d.errors(k), row.name() + ": " + k.label);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorRows")
  void errorStatus(String name, int status, int index, int position) {
    ReplyDecoder d = new ReplyDecoder("device test");
    PDU pdu = response(good());
    pdu.setErrorStatus(status);
    pdu.setErrorIndex(index);
    d.decode(ASKED, pdu);
    assertEquals(status, d.errorStatus(), name);
    assertEquals(status == PDU.noSuchName, d.noSuchName(), name);
    assertEquals(position, d.errorPosition(), name);
    // An error reply echoes the request: nothing in it is a value, and nothing is counted.
    assertEquals("x x x x x x", render(d, ASKED.size()), name);
    assertEquals(0, d.errorsJson().fieldNames().stream().mapToLong(k -> d.errorsJson().getLong(k)).sum(), name);
  }

  static Stream<Arguments> errorRows() {
    return Stream.of(
        Arguments.of("v1 noSuchName at the 5th varbind", PDU.noSuchName, 5, 4),
        Arguments.of("noSuchName at sysUpTime", PDU.noSuchName, 1, 0),
        Arguments.of("error index past the request", PDU.noSuchName, 7, -1),
        Arguments.of("error index 0", PDU.genErr, 0, -1),
        Arguments.of("negative error index", PDU.noSuchName, -3, -1),
        Arguments.of("tooBig", PDU.tooBig, 0, -1));
  }

  @Test
  void countsAddUpAcrossRepliesAndEveryKindIsListed() {
    ReplyDecoder d = new ReplyDecoder("device test");
    d.decode(ASKED, response(swap(good(), 1, 4)));
    d.decode(ASKED, response(good().subList(0, 5)));
    d.decode(ASKED, response(good()));
    assertEquals(ALL_GOOD, render(d, ASKED.size()), "a good reply after bad ones reads whole");
    var json = d.errorsJson();
    List<String> labels = new ArrayList<>();
    for (ReplyError k : ReplyError.values()) labels.add(k.label);
    assertEquals(labels, new ArrayList<>(json.fieldNames()));
    assertEquals(2, json.getLong("reordered"));
    assertEquals(1, json.getLong("missing"));
    assertEquals(0, json.getLong("foreign-oid"));
  }

  @Test
  void aShorterRequestAfterALongerOneSeesOnlyItsOwnPositions() {
    ReplyDecoder d = new ReplyDecoder("device test");
    d.decode(ASKED, response(good()));
    GetRequest small = get(UPTIME, Expect.TIME_TICKS, HC_IN + 9, Expect.COUNTER);
    d.decode(small, response(List.of(vb(UPTIME, new TimeTicks(7)), vb(HC_IN + 9, Null.noSuchInstance))));
    assertEquals("t:7 absent", render(d, small.size()));
  }

  // ---- helpers

  static GetRequest get(Object... oidAndType) {
    List<int[]> oids = new ArrayList<>();
    List<Expect> expect = new ArrayList<>();
    for (int i = 0; i < oidAndType.length; i += 2) {
      oids.add(new OID((String) oidAndType[i]).getValue());
      expect.add((Expect) oidAndType[i + 1]);
    }
    return new GetRequest(oids, expect);
  }

  static List<VariableBinding> good() {
    return List.of(
        vb(UPTIME, new TimeTicks(500)),
        vb(HC_IN + 1, new Counter64(1000)), vb(HC_OUT + 1, new Counter64(2000)), vb(OPER + 1, new Integer32(1)),
        vb(HC_IN + 2, new Counter64(3000)), vb(HC_OUT + 2, new Counter64(4000)));
  }

  static VariableBinding vb(String oid, Variable v) {
    return new VariableBinding(new OID(oid), v);
  }

  static List<VariableBinding> replace(List<VariableBinding> vbs, int at, VariableBinding vb) {
    List<VariableBinding> out = new ArrayList<>(vbs);
    out.set(at, vb);
    return out;
  }

  static List<VariableBinding> swap(List<VariableBinding> vbs, int a, int b) {
    List<VariableBinding> out = new ArrayList<>(vbs);
    out.set(a, vbs.get(b));
    out.set(b, vbs.get(a));
    return out;
  }

  static List<VariableBinding> without(List<VariableBinding> vbs, int at) {
    List<VariableBinding> out = new ArrayList<>(vbs);
    out.remove(at);
    return out;
  }

  static List<VariableBinding> plus(List<VariableBinding> vbs, VariableBinding vb) {
    List<VariableBinding> out = new ArrayList<>(vbs);
    out.add(vb);
    return out;
  }

  static PDU response(List<VariableBinding> vbs) {
    PDU pdu = new PDU();
    pdu.setType(PDU.RESPONSE);
    for (VariableBinding vb : vbs) pdu.add(vb);
    return pdu;
  }

  static Row row(String name, List<VariableBinding> reply, String expected, Object... errors) {
    Map<ReplyError, Integer> e = new EnumMap<>(ReplyError.class);
    for (int i = 0; i < errors.length; i += 2) e.put((ReplyError) errors[i], (Integer) errors[i + 1]);
    return new Row(name, reply, expected, e);
  }

  /** What the decoder made of each position, in the notation of the rows. */
  static String render(ReplyDecoder d, int size) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (d.absent(i)) out.add("absent");
      else if (!d.has(i)) out.add("x");
      else if (d.width(i) != 0) out.add("c" + d.width(i) + ":" + Long.toUnsignedString(d.value(i)));
      else out.add((i == 0 ? "t:" : "i:") + d.value(i));
    }
    return String.join(" ", out);
  }
}
