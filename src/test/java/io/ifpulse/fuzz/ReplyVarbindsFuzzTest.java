package io.ifpulse.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ifpulse.snmp.GetRequest.Expect;
import io.ifpulse.snmp.ReplyDecoder;
import io.ifpulse.snmp.SnmpReply;
import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.List;
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
 * Varbind lists built from fuzz data against a request also built from it: asked OIDs in any
 * order, other tables' OIDs, every SNMP type and exception, error replies, too few or too many
 * varbinds. A decoded position must be the asked OID with a value of the asked type.
 */
@Unit
class ReplyVarbindsFuzzTest {
  private static final ReplyDecoder DECODER = new ReplyDecoder("fuzz");
  private static final Expect[] EXPECTS = Expect.values();

  public static void fuzzerTestOneInput(FuzzedDataProvider data) {
    int asked = data.consumeInt(1, 12);
    List<String> oids = new ArrayList<>();
    List<Expect> expect = new ArrayList<>();
    for (int i = 0; i < asked; i++) {
      oids.add(ReplyRequests.OIDS.get(i % ReplyRequests.OIDS.size()) + (i >= ReplyRequests.OIDS.size() ? "." + i : ""));
      expect.add(data.consumeBoolean() ? ReplyRequests.EXPECT.get(i % ReplyRequests.EXPECT.size()) : data.pickValue(EXPECTS));
    }
    PDU pdu = new PDU();
    pdu.setType(PDU.RESPONSE);
    if (data.consumeInt(0, 7) == 0) {
      pdu.setErrorStatus(data.consumeInt(0, 18));
      pdu.setErrorIndex(data.consumeInt(-1, 20));
    }
    int vbs = data.consumeInt(0, 16);
    for (int i = 0; i < vbs; i++) {
      OID oid = switch (data.consumeInt(0, 3)) {
        case 0, 1 -> new OID(oids.get(data.consumeInt(0, asked - 1)));
        case 2 -> new OID(oids.get(i % asked) + "." + data.consumeInt(0, 3));
        default -> new OID(data.consumeInts(data.consumeInt(0, 12)));
      };
      pdu.add(new VariableBinding(oid, variable(data)));
    }
    DECODER.decode(ReplyRequests.get(oids, expect), new SnmpReply(pdu, 0, 1, null));
    ReplyRequests.check(DECODER, expect);
  }

  private static Variable variable(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 10)) {
      case 0 -> new Counter32(data.consumeLong(0, 0xFFFF_FFFFL));
      case 1 -> new Counter64(data.consumeLong());
      case 2 -> new TimeTicks(data.consumeLong(0, 0xFFFF_FFFFL));
      case 3 -> new Integer32(data.consumeInt());
      case 4 -> new Gauge32(data.consumeLong(0, 0xFFFF_FFFFL));
      case 5 -> Null.noSuchObject;
      case 6 -> Null.noSuchInstance;
      case 7 -> Null.endOfMibView;
      case 8 -> new OctetString(data.consumeBytes(data.consumeInt(0, 300)));
      case 9 -> new OID(data.consumeInts(data.consumeInt(0, 8)));
      default -> new Null();
    };
  }

  @FuzzTest
  void decodesAnyVarbindList(FuzzedDataProvider data) {
    fuzzerTestOneInput(data);
  }
}
