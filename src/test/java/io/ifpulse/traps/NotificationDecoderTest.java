package io.ifpulse.traps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ifpulse.events.Notification;
import io.ifpulse.testing.Unit;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.VariableBinding;

/** Every notification shape the receiver meets, one row each: what it is called, which interface, what is kept. */
@Unit
class NotificationDecoderTest {
  private static final NotificationDecoder DECODER = new NotificationDecoder(4, 16);

  /** name, ifIndex, oper, varbinds kept, cut. */
  private record Case(String why, Supplier<PDU> pdu, String name, int ifIndex, String oper, int varbinds, boolean cut) {}

  private static PDU v2(int type, String trapOid, VariableBinding... rest) {
    PDU p = new PDU();
    p.setType(type);
    p.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1234)));
    if (trapOid != null) p.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID(trapOid)));
    for (VariableBinding vb : rest) p.add(vb);
    return p;
  }

  private static VariableBinding vb(String oid, org.snmp4j.smi.Variable v) {
    return new VariableBinding(new OID(oid), v);
  }

  private static PDUv1 v1(int generic, int specific, VariableBinding... rest) {
    PDUv1 p = new PDUv1();
    p.setType(PDU.V1TRAP);
    p.setEnterprise(new OID("1.3.6.1.4.1.8072.3.2.10"));
    p.setAgentAddress(new IpAddress("127.0.0.9"));
    p.setGenericTrap(generic);
    p.setSpecificTrap(specific);
    for (VariableBinding vb : rest) p.add(vb);
    return p;
  }

  private static final List<Case> CASES = List.of(
      new Case("v2c linkDown with ifIndex, admin and oper", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3",
          vb("1.3.6.1.2.1.2.2.1.1.2", new Integer32(2)), vb("1.3.6.1.2.1.2.2.1.7.2", new Integer32(1)),
          vb("1.3.6.1.2.1.2.2.1.8.2", new Integer32(2))), "linkDown", 2, "down", 3, false),
      new Case("an inform of linkUp", () -> v2(PDU.INFORM, "1.3.6.1.6.3.1.1.5.4", vb("1.3.6.1.2.1.2.2.1.1.7", new Integer32(7))),
          "linkUp", 7, null, 1, false),
      new Case("the interface from a column's index when ifIndex is not sent", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3",
          vb("1.3.6.1.2.1.2.2.1.8.5", new Integer32(7))), "linkDown", 5, "lowerLayerDown", 1, false),
      new Case("an ifOperStatus out of range is no state", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3",
          vb("1.3.6.1.2.1.2.2.1.8.5", new Integer32(99))), "linkDown", 5, null, 1, false),
      new Case("a negative ifIndex value is no interface", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3",
          vb("1.3.6.1.2.1.2.2.1.1.0", new Integer32(-3))), "linkDown", 0, null, 1, false),
      new Case("coldStart", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.1"), "coldStart", 0, null, 0, false),
      new Case("warmStart", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.2"), "warmStart", 0, null, 0, false),
      new Case("authenticationFailure", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.5"), "authenticationFailure", 0, null, 0, false),
      new Case("an enterprise notification is named by its OID", () -> v2(PDU.TRAP, "1.3.6.1.4.1.9.9.41.2.0.1"),
          "1.3.6.1.4.1.9.9.41.2.0.1", 0, null, 0, false),
      new Case("no snmpTrapOID: unknown", () -> v2(PDU.TRAP, null), "unknown", 0, null, 0, false),
      new Case("v1 linkDown (generic 2)", () -> v1(2, 0, vb("1.3.6.1.2.1.2.2.1.1.3", new Integer32(3))), "linkDown", 3, null, 1, false),
      new Case("v1 coldStart (generic 0)", () -> v1(0, 0), "coldStart", 0, null, 0, false),
      new Case("v1 enterprise-specific: enterprise.0.specific", () -> v1(6, 17), "1.3.6.1.4.1.8072.3.2.10.0.17", 0, null, 0, false),
      new Case("more varbinds than kept: cut, and the interface still found", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3",
          vb("1.3.6.1.4.1.1.1", new Integer32(1)), vb("1.3.6.1.4.1.1.2", new Integer32(1)), vb("1.3.6.1.4.1.1.3", new Integer32(1)),
          vb("1.3.6.1.4.1.1.4", new Integer32(1)), vb("1.3.6.1.2.1.2.2.1.1.9", new Integer32(9))), "linkDown", 9, null, 4, true),
      new Case("a long string: cut", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3", vb("1.3.6.1.2.1.31.1.1.1.18.2",
          new OctetString("x".repeat(1000)))), "linkDown", 0, null, 1, true),
      new Case("binary octets as hex, cut", () -> v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3", vb("1.3.6.1.4.1.1.9",
          new OctetString(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}))), "linkDown", 0, null, 1, true));

  @Test
  void everyShape() {
    for (Case c : CASES) {
      Notification n = DECODER.decode(c.pdu.get(), "v2c", "127.0.0.1:1", 1L);
      assertEquals(c.name, n.name(), c.why);
      assertEquals(c.ifIndex, n.ifIndex(), c.why);
      assertEquals(c.oper, n.oper(), c.why);
      assertEquals(c.varbinds, n.varbinds().size(), c.why);
      assertEquals(c.cut, n.cut(), c.why);
      for (Notification.Varbind v : n.varbinds()) assertEquals(true, v.value().length() <= 16, c.why + ": " + v.value());
      assertEquals(n, Notification.fromJson(n.toJson()), c.why + ": through its JSON");
    }
  }

  @Test
  void theKindOfPdu() {
    assertEquals("inform", DECODER.decode(v2(PDU.INFORM, "1.3.6.1.6.3.1.1.5.1"), "v2c", "s", 1).pdu());
    assertEquals("trap", DECODER.decode(v1(0, 0), "v1", "s", 1).pdu());
    assertNull(DECODER.decode(v2(PDU.GET, "1.3.6.1.6.3.1.1.5.1"), "v2c", "s", 1), "a GET is no notification");
  }

  @Test
  void printableStringsStayText() {
    Notification n = DECODER.decode(v2(PDU.TRAP, "1.3.6.1.6.3.1.1.5.3", vb("1.3.6.1.2.1.31.1.1.1.18.2", new OctetString("uplink"))),
        "v2c", "s", 1);
    assertEquals("uplink", n.varbinds().get(0).value());
    assertEquals("OCTET STRING", n.varbinds().get(0).type());
  }
}
