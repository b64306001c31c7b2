package io.ifpulse.snmp;

import io.vertx.core.Future;
import java.util.List;
import org.snmp4j.PDU;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/**
 * A GET built once and sent again on every poll: the OIDs it asks for, in order, and the type each
 * answer must have, against which {@link ReplyDecoder} holds the reply.
 *
 * <p>Every PDU sent from it shares its varbinds: SNMP4J only reads a request's varbinds to encode
 * them, and a {@code VariableBinding} made afresh clones its OID, so building each request from
 * scratch cost three objects per varbind on every poll.
 */
public final class GetRequest {
  /** What the agent must answer for one OID. */
  public enum Expect {
    /** Counter32 or Counter64: the counter's width is taken from the type in the reply. */
    COUNTER,
    TIME_TICKS,
    INTEGER
  }

  final OID[] oids;
  final Expect[] expect;
  private final VariableBinding[] bindings;

  /** @param oids the sub-identifiers of each OID, in the order asked */
  public GetRequest(List<int[]> oids, List<Expect> expect) {
    if (oids.size() != expect.size()) {
      throw new IllegalArgumentException(oids.size() + " OIDs but " + expect.size() + " expected types");
    }
    this.oids = new OID[oids.size()];
    this.expect = expect.toArray(new Expect[0]);
    this.bindings = new VariableBinding[oids.size()];
    for (int i = 0; i < this.oids.length; i++) {
      this.oids[i] = new OID(oids.get(i));
      bindings[i] = new VariableBinding(this.oids[i]);
    }
  }

  /** Varbinds asked for. */
  public int size() {
    return oids.length;
  }

  public Future<SnmpReply> send(SnmpClient client, SnmpClient.Agent agent) {
    PDU pdu = agent.newPdu(PDU.GET);
    pdu.addAll(bindings);
    return client.send(agent, pdu);
  }
}
