package io.ifpulse.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ifpulse.snmp.ReplyDecoder;
import io.ifpulse.snmp.SnmpReply;
import io.ifpulse.testing.Unit;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BERInputStream;

/**
 * Any bytes an agent can send that SNMP4J decodes as a PDU, held against the poller's GET: the
 * decoder never throws and never reads a value that is not what was asked, of the asked type.
 * Seeds: replies of the project's simulator and of an snmpsim recording (see {@link ReplySeeds}).
 */
@Unit
class ReplyBerFuzzTest {
  private static final ReplyDecoder DECODER = new ReplyDecoder("fuzz");

  /** The entry point of {@code scripts/fuzz.sh} (Jazzer's standalone driver). */
  public static void fuzzerTestOneInput(byte[] ber) {
    PDU pdu = new PDU();
    try {
      pdu.decodeBER(new BERInputStream(ByteBuffer.wrap(ber)));
    } catch (IOException | RuntimeException notAPdu) {
      // SNMP4J drops such a datagram before it reaches the poller: its message dispatcher catches
      // any exception of decoding (BufferUnderflowException, "Unsupported variable syntax", ...)
      // and logs it. The inputs that showed this stay among the seeds; GarbledRepliesTest checks
      // the same on the wire.
      return;
    }
    DECODER.decode(ReplyRequests.get(), new SnmpReply(pdu, 0, 1, null));
    ReplyRequests.check(DECODER, ReplyRequests.EXPECT);
  }

  @FuzzTest
  void decodesAnyPdu(byte[] ber) {
    fuzzerTestOneInput(ber);
  }
}
