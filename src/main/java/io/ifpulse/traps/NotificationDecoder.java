package io.ifpulse.traps;

import io.ifpulse.events.Notification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * What a notification says, without I/O: its name, the interface it is about and its varbinds,
 * bounded. Everything in it comes from outside: a value is cut to {@code maxValueBytes}, the list
 * to {@code maxVarbinds}, and nothing in it is trusted to be well formed (an ifIndex that is not a
 * positive integer is no interface).
 */
public final class NotificationDecoder {
  /** snmpTraps (RFC 3418): the generic notifications. */
  private static final String SNMP_TRAPS = "1.3.6.1.6.3.1.1.5.";
  private static final Map<String, String> NAMES = Map.of(SNMP_TRAPS + "1", "coldStart", SNMP_TRAPS + "2", "warmStart",
      SNMP_TRAPS + "3", "linkDown", SNMP_TRAPS + "4", "linkUp", SNMP_TRAPS + "5", "authenticationFailure", SNMP_TRAPS + "6",
      "egpNeighborLoss");
  private static final OID IF_INDEX = new OID("1.3.6.1.2.1.2.2.1.1");
  private static final OID IF_OPER = new OID("1.3.6.1.2.1.2.2.1.8");
  private static final OID IF_TABLE_ENTRY = new OID("1.3.6.1.2.1.2.2.1");
  private static final String[] OPER = {null, "up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown"};

  private final int maxVarbinds;
  private final int maxValueBytes;

  public NotificationDecoder(int maxVarbinds, int maxValueBytes) {
    this.maxVarbinds = maxVarbinds;
    this.maxValueBytes = maxValueBytes;
  }

  /**
   * Decodes a trap or inform PDU. The device, time and source are the caller's ({@code device} is
   * a placeholder until the source is matched). Returns null for a PDU that is no notification.
   */
  public Notification decode(PDU pdu, String version, String source, long ts) {
    String kind = switch (pdu.getType()) {
      case PDU.V1TRAP, PDU.TRAP -> "trap";
      case PDU.INFORM -> "inform";
      default -> null;
    };
    if (kind == null) return null;
    List<? extends VariableBinding> all = pdu.getVariableBindings();
    String oid;
    int first = 0;
    if (pdu instanceof PDUv1 v1 && pdu.getType() == PDU.V1TRAP) {
      oid = v1TrapOid(v1);
    } else {
      // sysUpTime.0 and snmpTrapOID.0 come first (RFC 3416 4.2.6); a PDU without them names nothing.
      oid = null;
      for (int i = 0; i < Math.min(2, all.size()); i++) {
        VariableBinding vb = all.get(i);
        if (vb.getOid().equals(SnmpConstants.snmpTrapOID) && vb.getVariable() instanceof OID o) {
          oid = o.toDottedString();
          first = i + 1;
        } else if (vb.getOid().equals(SnmpConstants.sysUpTime)) {
          first = i + 1;
        }
      }
      if (oid == null) oid = "";
    }
    String name = NAMES.getOrDefault(oid, oid.isEmpty() ? "unknown" : oid);
    int ifIndex = 0;
    String oper = null;
    List<Notification.Varbind> out = new ArrayList<>();
    boolean cut = false;
    for (int i = first; i < all.size(); i++) {
      VariableBinding vb = all.get(i);
      OID o = vb.getOid();
      Variable v = vb.getVariable();
      if (o != null && o.size() == IF_TABLE_ENTRY.size() + 2 && o.startsWith(IF_TABLE_ENTRY)) {
        // A column of ifTable: its last sub-identifier is the ifIndex, whichever column it is.
        int index = o.get(o.size() - 1);
        if (index > 0 && ifIndex == 0) ifIndex = index;
        if (o.startsWith(IF_INDEX) && v instanceof Integer32 n && n.getValue() > 0) ifIndex = n.getValue();
        if (o.startsWith(IF_OPER) && v instanceof Integer32 n && n.getValue() >= 1 && n.getValue() < OPER.length) oper = OPER[n.getValue()];
      }
      if (out.size() >= maxVarbinds) {
        cut = true;
        continue;
      }
      String text = text(v);
      if (text.length() > maxValueBytes) {
        text = text.substring(0, maxValueBytes);
        cut = true;
      }
      out.add(new Notification.Varbind(o == null ? "" : o.toDottedString(), v == null ? "Null" : v.getSyntaxString(), text));
    }
    return new Notification("?", ts, source, version, kind, name, oid, ifIndex, oper, out, cut);
  }

  /** RFC 3584 3.1: generic traps become snmpTraps.(generic + 1), enterprise ones enterprise.0.specific. */
  static String v1TrapOid(PDUv1 v1) {
    int generic = v1.getGenericTrap();
    if (generic >= 0 && generic < 6) return SNMP_TRAPS + (generic + 1);
    OID enterprise = v1.getEnterprise() == null ? new OID() : v1.getEnterprise();
    return enterprise.toDottedString() + ".0." + v1.getSpecificTrap();
  }

  /** A value as text: printable strings as they are, other octets as hex, the rest as SNMP4J prints them. */
  private String text(Variable v) {
    if (v == null) return "";
    if (v instanceof OctetString s) {
      byte[] b = s.getValue();
      int n = Math.min(b.length, maxValueBytes);
      boolean printable = true;
      for (int i = 0; i < n && printable; i++) printable = (b[i] >= 0x20 && b[i] < 0x7f) || b[i] == '\t' || b[i] == '\n' || b[i] == '\r';
      if (printable) {
        String t = new String(b, 0, n, StandardCharsets.US_ASCII);
        return b.length > n ? t + "…" : t; // one past the limit: the caller cuts it and says so
      }
      StringBuilder hex = new StringBuilder(n * 3);
      for (int i = 0; i < n && hex.length() < maxValueBytes + 3; i++) {
        if (i > 0) hex.append(':');
        hex.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
      }
      return hex.length() > maxValueBytes || b.length > n ? hex + "…" : hex.toString();
    }
    return v.toString();
  }
}
