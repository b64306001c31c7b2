package io.ifpulse.poll;

import io.ifpulse.events.InterfaceSample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.ReadGroup;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.rate.Counter;
import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.snmp.ReplyDecoder;
import io.ifpulse.snmp.ReplyError;
import io.ifpulse.snmp.SnmpReply;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snmp4j.PDU;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * A poll's replies taken apart by the layout of the request that asked: which interface gets a
 * reading, with which counters, and what goes back to the planner. Every counter value in these
 * replies encodes its own interface and counter ({@code ifIndex × 1000 + counter}), and every row
 * checks that each reading holds only its own interface's values.
 */
@Unit
class PollRoundTest {
  /** ifIndex 3 (up) and 4 (down), every column: sysUpTime at 0, then 14 varbinds each. */
  static final int IF3 = 1;
  static final int IF4 = 15;

  record Row(String name, Function<List<VariableBinding>, PDU> reply, String expected, boolean rediscover) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("every varbind as asked", PollRoundTest::response, "3:all/up 4:all/down", false),
        new Row("the two in-octets swapped: neither interface takes the other's",
            vbs -> response(swap(vbs, IF3, IF4)), "3:-IN_OCTETS/up 4:-IN_OCTETS/down", false),
        new Row("another interface's row in place of one's own",
            vbs -> response(set(vbs, IF3 + 1, vb("1.3.6.1.2.1.31.1.1.1.10.9", new Counter64(9001)))),
            "3:-OUT_OCTETS/up 4:all/down", false),
        new Row("an OctetString for a counter",
            vbs -> response(set(vbs, IF4 + 8, vb(oid(vbs, IF4 + 8), new OctetString("x")))), "3:all/up 4:-IN_ERRORS/down", false),
        new Row("a 64-bit counter the agent does not have",
            vbs -> response(set(vbs, IF3, vb(oid(vbs, IF3), Null.noSuchInstance))), "3:-IN_OCTETS/up 4:all/down", false),
        new Row("an interface gone: no counters, no status",
            vbs -> response(absentFrom(vbs, IF4)), "3:all/up 4:none/unknown", true),
        new Row("an interface whose counters are all garbage, status fine: not gone",
            vbs -> response(garbageCounters(vbs, IF4)), "3:all/up 4:none/unknown", false),
        new Row("ifOperStatus of the wrong type: the reading stands, its status is unknown",
            vbs -> response(set(vbs, IF4 + 12, vb(oid(vbs, IF4 + 12), new OctetString("up")))), "3:all/up 4:all/unknown", false),
        new Row("sysUpTime of the wrong type: nothing can be judged",
            vbs -> response(set(vbs, 0, vb(oid(vbs, 0), new Integer32(5000)))), "3:none/unknown 4:none/unknown", false),
        new Row("the reply cut short after the first interface",
            vbs -> response(vbs.subList(0, IF4)), "3:all/up 4:none/unknown", false),
        new Row("v1 noSuchName at the second interface's in-octets",
            vbs -> error(vbs, PDU.noSuchName, IF4 + 1), "3:none/unknown 4:none/unknown", false),
        new Row("genErr", vbs -> error(vbs, PDU.genErr, 0), "3:none/unknown 4:none/unknown", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void readsEachValueAsWhatWasAskedAtItsPlace(Row row) {
    RequestPlanner planner = planner();
    PlannedGet get = planner.requests().get(0);
    PollRound round = new PollRound(planner, new ReplyDecoder("device test"), "device test");
    round.take(get, new SnmpReply(row.reply().apply(good(get)), 1_000_000, 3_000_000, null));
    assertEquals(row.expected(), render(round), row.name());
    assertEquals(row.rediscover(), round.rediscover(), row.name() + ": rediscover");
    assertEquals(1, round.answered());
    for (InterfaceReading r : round.readings()) {
      assertEquals(2_000_000, r.arrivalNanos(), "the middle of the round trip");
      assertEquals(5000, r.sysUpTime());
      for (Counter c : Counter.values()) {
        if (r.has(c)) assertEquals(r.ifIndex() * 1000L + c.ordinal(), r.value(c), "ifIndex " + r.ifIndex() + " " + c + ": its own");
      }
    }
  }

  @Test
  void whatTheAgentLacksGoesBackToThePlanner() {
    RequestPlanner planner = planner();
    PlannedGet get = planner.requests().get(0);
    PollRound round = new PollRound(planner, new ReplyDecoder("device test"), "device test");
    round.take(get, new SnmpReply(response(set(good(get), IF3, vb(oid(good(get), IF3), Null.noSuchInstance))), 0, 10, null));
    PolledInterface if3 = planner.interfaces().get(0);
    assertArrayEquals(PolledInterface.oid("1.3.6.1.2.1.2.2.1.10.3"), if3.counterOids[Counter.IN_OCTETS.ordinal()]);
    assertEquals(0, planner.requestsPerPoll(), "packed again for the next poll");

    // v1: noSuchName names the varbind; the same fallback.
    RequestPlanner v1 = planner();
    PlannedGet g1 = v1.requests().get(0);
    new PollRound(v1, new ReplyDecoder("device test"), "device test").take(g1, new SnmpReply(error(good(g1), PDU.noSuchName, IF4 + 1), 0, 10, null));
    assertArrayEquals(PolledInterface.oid("1.3.6.1.2.1.2.2.1.10.4"), v1.interfaces().get(1).counterOids[Counter.IN_OCTETS.ordinal()]);
  }

  @Test
  void garbageIsCountedOnTheDevicesDecoder() {
    RequestPlanner planner = planner();
    PlannedGet get = planner.requests().get(0);
    ReplyDecoder decoder = new ReplyDecoder("device test");
    PollRound round = new PollRound(planner, decoder, "device test");
    round.take(get, new SnmpReply(response(swap(good(get), IF3, IF4)), 0, 10, null));
    assertEquals(2, decoder.errors(ReplyError.REORDERED));
  }

  @Test
  void timeoutsAndFailures() {
    RequestPlanner planner = planner();
    PlannedGet get = planner.requests().get(0);
    PollRound round = new PollRound(planner, new ReplyDecoder("device test"), "device test");
    round.take(get, new SnmpReply(null, 0, 10, "timeout"));
    round.take(get, new SnmpReply(null, 0, 10, "send failed: no route"));
    assertEquals(0, round.answered());
    assertEquals(1, round.timedOut());
    assertEquals("3:none/unknown 4:none/unknown", render(round));
    assertEquals(29, planner.pollFinished(true), "a large request timed out");
  }

  @Test
  void theSampleListsEveryInterfaceInOrderWithNoDataWhereNothingCame() {
    RequestPlanner planner = planner();
    PlannedGet get = planner.requests().get(0);
    PollRound round = new PollRound(planner, new ReplyDecoder("device test"), "device test");
    round.take(get, new SnmpReply(response(absentFrom(good(get), IF3)), 100, 300, null));
    assertEquals(200, round.latestReadNanos());
    List<InterfaceReading> readings = round.readings();
    assertEquals(List.of(4), readings.stream().map(InterfaceReading::ifIndex).toList());
    List<InterfaceSample> sample = round.sample(List.of(InterfaceRate.gap(4, InterfaceRate.Gap.FIRST)));
    assertEquals(2, sample.size());
    assertEquals(3, sample.get(0).ifIndex());
    assertEquals(InterfaceSample.Gap.NO_DATA, sample.get(0).gap());
    assertEquals("unknown", sample.get(0).oper());
    assertEquals(4, sample.get(1).ifIndex());
    assertEquals(InterfaceSample.Gap.FIRST, sample.get(1).gap());
    assertEquals("down", sample.get(1).oper());
    assertEquals(Long.MIN_VALUE, new PollRound(planner, new ReplyDecoder("device test"), "d").latestReadNanos(), "no reading, no time");
  }

  // ---- helpers

  static RequestPlanner planner() {
    RequestPlanner planner = new RequestPlanner(1400, 46);
    List<PolledInterface> ifs = new ArrayList<>();
    ifs.add(new PolledInterface(new InterfaceInfo(3, "Gi0/3", "", "", 6, 1_000_000_000L, "up", "up", true, true, true), ReadGroup.ALL));
    ifs.add(new PolledInterface(new InterfaceInfo(4, "Gi0/4", "", "", 6, 1_000_000_000L, "up", "down", true, true, true), ReadGroup.ALL));
    planner.setInterfaces(ifs);
    return planner;
  }

  /** The reply a sound agent gives: each counter {@code ifIndex × 1000 + counter}, status up for 3, down for 4. */
  static List<VariableBinding> good(PlannedGet get) {
    List<VariableBinding> out = new ArrayList<>();
    for (int v = 0; v < get.size(); v++) {
      int field = get.field(v);
      OID oid = new OID(get.oid(v));
      Variable value;
      if (field == PlannedGet.UPTIME) {
        value = new TimeTicks(5000);
      } else {
        PolledInterface p = get.interfaces.get(get.owner(v));
        long n = p.info.ifIndex() * 1000L + field;
        if (field == PlannedGet.OPER) value = new Integer32(p.info.ifIndex() == 3 ? 1 : 2);
        else if (field == PlannedGet.DISCONTINUITY) value = new TimeTicks(77);
        else value = p.usingHc[field] ? new Counter64(n) : new Counter32(n);
      }
      out.add(new VariableBinding(oid, value));
    }
    return out;
  }

  static PDU response(List<VariableBinding> vbs) {
    PDU pdu = new PDU();
    pdu.setType(PDU.RESPONSE);
    for (VariableBinding vb : vbs) pdu.add(vb);
    return pdu;
  }

  static PDU error(List<VariableBinding> vbs, int status, int errorIndex) {
    PDU pdu = response(vbs);
    pdu.setErrorStatus(status);
    pdu.setErrorIndex(errorIndex);
    return pdu;
  }

  static VariableBinding vb(String oid, Variable v) {
    return new VariableBinding(new OID(oid), v);
  }

  static VariableBinding vb(OID oid, Variable v) {
    return new VariableBinding(oid, v);
  }

  static OID oid(List<VariableBinding> vbs, int at) {
    return vbs.get(at).getOid();
  }

  static List<VariableBinding> set(List<VariableBinding> vbs, int at, VariableBinding vb) {
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

  /** Every varbind of the interface starting at {@code from} answered noSuchInstance. */
  static List<VariableBinding> absentFrom(List<VariableBinding> vbs, int from) {
    List<VariableBinding> out = new ArrayList<>(vbs);
    for (int v = from; v < from + 14; v++) out.set(v, vb(vbs.get(v).getOid(), Null.noSuchInstance));
    return out;
  }

  /** The interface's 12 counters as text at their own OIDs. */
  static List<VariableBinding> garbageCounters(List<VariableBinding> vbs, int from) {
    List<VariableBinding> out = new ArrayList<>(vbs);
    for (int v = from; v < from + Counter.COUNT; v++) out.set(v, vb(vbs.get(v).getOid(), new OctetString("?")));
    return out;
  }

  /** Per interface: no reading, or which counters its reading lacks; and its status. */
  static String render(PollRound round) {
    List<String> out = new ArrayList<>();
    List<PolledInterface> ifs = round.interfaces();
    List<InterfaceSample> sample = round.sample(rates(round));
    for (int i = 0; i < ifs.size(); i++) {
      int ifIndex = ifs.get(i).info.ifIndex();
      InterfaceReading r = round.readings().stream().filter(x -> x.ifIndex() == ifIndex).findFirst().orElse(null);
      String counters;
      if (r == null) {
        counters = "none";
      } else {
        List<String> lacking = new ArrayList<>();
        for (Counter c : Counter.values()) if (!r.has(c)) lacking.add("-" + c);
        counters = lacking.isEmpty() ? "all" : String.join(",", lacking);
      }
      out.add(ifs.get(i).info.ifIndex() + ":" + counters + "/" + sample.get(i).oper());
    }
    return String.join(" ", out);
  }

  static List<InterfaceRate> rates(PollRound round) {
    return round.readings().stream().map(r -> InterfaceRate.gap(r.ifIndex(), InterfaceRate.Gap.FIRST)).toList();
  }
}
