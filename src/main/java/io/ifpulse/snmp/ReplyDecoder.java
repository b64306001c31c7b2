package io.ifpulse.snmp;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import org.snmp4j.PDU;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Holds a reply to a {@link GetRequest} against what the request asked, varbind by varbind, and
 * turns it into plain values. After {@link #decode}, each asked position either has a value of
 * the asked type from the asked OID ({@link #has}), or the agent says it has no such object
 * ({@link #absent}), or it is unusable. An agent may reorder, drop, add or substitute varbinds
 * (another interface's row, another table's column) or answer with the wrong type: such a varbind
 * is counted as a {@link ReplyError} of its kind and never read as what was asked at its position,
 * so one interface's counter is never taken for another's.
 *
 * <p>One per device, used on the device's event loop: the counts are that device's, and the
 * buffers are reused from reply to reply, so decoding allocates nothing. The first varbind of each
 * kind that is not a plain "no such object" is logged once, as the agent's replies going wrong.
 */
public final class ReplyDecoder {
  private static final Logger LOG = Logger.getLogger(ReplyDecoder.class.getName());
  private static final byte UNUSABLE = 0;
  private static final byte VALUE = 1;
  private static final byte ABSENT = 2;
  private static final ReplyError[] KINDS = ReplyError.values();

  private final Object device;
  private final long[] errors = new long[KINDS.length];
  private byte[] states = new byte[0];
  private long[] values = new long[0];
  private byte[] widths = new byte[0];
  private int size;
  private int errorStatus;
  private int errorIndex;

  /** @param device names the device in log lines */
  public ReplyDecoder(Object device) {
    this.device = device;
  }

  /** Decodes an answered reply ({@link SnmpReply#ok()}) to {@code get}. */
  public void decode(GetRequest get, SnmpReply reply) {
    decode(get, reply.pdu());
  }

  void decode(GetRequest get, PDU pdu) {
    size = get.size();
    if (states.length < size) {
      states = new byte[size];
      values = new long[size];
      widths = new byte[size];
    }
    Arrays.fill(states, 0, size, UNUSABLE);
    errorStatus = pdu.getErrorStatus();
    errorIndex = pdu.getErrorIndex();
    // The varbinds of an error reply echo the request, or are empty: nothing to read or count.
    if (errorStatus != PDU.noError) return;
    List<? extends VariableBinding> vbs = pdu.getVariableBindings();
    int n = Math.min(size, vbs.size());
    for (int i = 0; i < n; i++) {
      VariableBinding vb = vbs.get(i);
      OID oid = vb.getOid();
      if (get.oids[i].equals(oid)) {
        take(i, get.expect[i], vb.getVariable());
      } else {
        count(asked(get, oid) ? ReplyError.REORDERED : ReplyError.FOREIGN_OID);
      }
    }
    for (int i = n; i < size; i++) count(ReplyError.MISSING);
    for (int i = n; i < vbs.size(); i++) count(ReplyError.EXTRA);
  }

  private void take(int i, GetRequest.Expect expect, Variable v) {
    int syntax = v == null ? SMIConstants.SYNTAX_NULL : v.getSyntax();
    switch (syntax) {
      case SMIConstants.EXCEPTION_NO_SUCH_INSTANCE -> absent(i, ReplyError.NO_SUCH_INSTANCE);
      case SMIConstants.EXCEPTION_NO_SUCH_OBJECT -> absent(i, ReplyError.NO_SUCH_OBJECT);
      case SMIConstants.EXCEPTION_END_OF_MIB_VIEW -> absent(i, ReplyError.END_OF_MIB_VIEW);
      default -> {
        boolean typed = switch (expect) {
          case COUNTER -> v instanceof Counter64 c64 ? value(i, c64.getValue(), 64)
              : v instanceof Counter32 c32 && value(i, c32.getValue(), 32);
          case TIME_TICKS -> v instanceof TimeTicks t && value(i, t.getValue(), 0);
          case INTEGER -> v instanceof Integer32 n && value(i, n.getValue(), 0);
        };
        if (!typed) count(ReplyError.WRONG_TYPE);
      }
    }
  }

  private boolean value(int i, long value, int width) {
    states[i] = VALUE;
    values[i] = value;
    widths[i] = (byte) width;
    return true;
  }

  private void absent(int i, ReplyError kind) {
    states[i] = ABSENT;
    count(kind);
  }

  private void count(ReplyError kind) {
    if (errors[kind.ordinal()]++ == 0 && !kind.agentLacksIt) {
      LOG.warning(device + ": a reply does not hold what was asked (" + kind.label
          + "); such varbinds are left unread and counted in replyErrors");
    }
  }

  /** Whether an OID is one of the request's: then a reply that has it elsewhere reordered them. */
  private static boolean asked(GetRequest get, OID oid) {
    for (OID o : get.oids) {
      if (o.equals(oid)) return true;
    }
    return false;
  }

  /** Position {@code i} holds a value of the asked type, from the asked OID. */
  public boolean has(int i) {
    return states[i] == VALUE;
  }

  /** The agent says it has nothing at position {@code i}'s OID (noSuchInstance, noSuchObject, endOfMibView). */
  public boolean absent(int i) {
    return states[i] == ABSENT;
  }

  /** The value at position {@code i}; unsigned for counters, whose width says 32 or 64 bits. */
  public long value(int i) {
    return values[i];
  }

  /** 32 or 64 for a counter at position {@code i}, from the type in the reply; 0 for other types. */
  public int width(int i) {
    return widths[i];
  }

  /** The reply's error-status (0 = noError). */
  public int errorStatus() {
    return errorStatus;
  }

  public boolean noSuchName() {
    return errorStatus == PDU.noSuchName;
  }

  public String errorText() {
    return PDU.toErrorStatusText(errorStatus) + " at index " + errorIndex;
  }

  /** The asked position the reply's error-index names, or -1 when it names none of them. */
  public int errorPosition() {
    return errorIndex >= 1 && errorIndex <= size ? errorIndex - 1 : -1;
  }

  public long errors(ReplyError kind) {
    return errors[kind.ordinal()];
  }

  /** Every kind with its count since the device's poller started, zeros included. */
  public JsonObject errorsJson() {
    JsonObject j = new JsonObject();
    for (ReplyError k : KINDS) j.put(k.label, errors[k.ordinal()]);
    return j;
  }
}
