package io.ifpulse.snmp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snmp4j.PDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Walks several table columns side by side, as {@code snmpbulkwalk} would for each of them but in
 * shared requests: GETBULK for v2c/v3 (max-repetitions sized to fit the reply budget), GETNEXT for
 * v1. Bounded, whatever the agent sends: an agent that returns non-increasing OIDs ends the walk
 * with an error instead of looping; a column stops at {@code maxRows} rows; a string is kept to
 * {@value #MAX_STRING_BYTES} bytes (DisplayString's limit in the MIB); and all walks of one walker
 * together stop once the agent has sent {@code byteBudget} bytes of values. What was cut is
 * counted ({@link #limits}) and the walk ends with what it has, so a hostile or broken agent costs
 * a bounded amount of memory and time, and its device says why its picture is incomplete.
 */
public final class TableWalker {
  /** DisplayString (RFC 2579) is at most 255 octets; an agent may send anything. */
  public static final int MAX_STRING_BYTES = 255;

  /**
   * What a walk cut short.
   *
   * @param rowsCut columns that had more rows than allowed
   * @param stringsCut strings longer than {@value #MAX_STRING_BYTES} bytes, kept cut
   * @param budgetSpent whether the byte budget ended the walk
   * @param bytes bytes of values received
   */
  public record Limits(int rowsCut, int stringsCut, boolean budgetSpent, long bytes) {}

  private int rowsCut;
  private int stringsCut;
  private boolean budgetSpent;
  private long bytes;
  private final long byteBudget;
  /** Rough BER size of one table varbind in a reply (OID ~ 14 bytes, value up to 11, headers). */
  private static final int VARBIND_BYTES = 34;

  private final SnmpClient client;
  private final SnmpClient.Agent agent;
  private final int replyBudget;
  private final int maxRows;

  public TableWalker(SnmpClient client, SnmpClient.Agent agent, int maxReplyBytes, int maxRows) {
    this(client, agent, maxReplyBytes, maxRows, Long.MAX_VALUE);
  }

  public TableWalker(SnmpClient client, SnmpClient.Agent agent, int maxReplyBytes, int maxRows, long byteBudget) {
    this.client = client;
    this.agent = agent;
    this.replyBudget = Math.max(200, maxReplyBytes - 100);
    this.maxRows = maxRows;
    this.byteBudget = byteBudget;
  }

  /** What the walks so far cut short. */
  public Limits limits() {
    return new Limits(rowsCut, stringsCut, budgetSpent, bytes);
  }

  /**
   * Walks the columns; the result maps each column to its rows (index suffix → value), in index
   * order. A column the agent does not have maps to an empty table.
   */
  public Future<Map<OID, TreeMap<OID, Variable>>> walk(List<OID> columns) {
    Map<OID, TreeMap<OID, Variable>> result = new LinkedHashMap<>();
    Map<OID, OID> cursor = new LinkedHashMap<>();
    for (OID c : columns) {
      result.put(c, new TreeMap<>());
      cursor.put(c, c);
    }
    Promise<Map<OID, TreeMap<OID, Variable>>> promise = Promise.promise();
    step(result, cursor, 0, promise);
    return promise.future();
  }

  private void step(Map<OID, TreeMap<OID, Variable>> result, Map<OID, OID> cursor, int requests,
      Promise<Map<OID, TreeMap<OID, Variable>>> promise) {
    if (cursor.isEmpty() || budgetSpent) {
      promise.complete(result);
      return;
    }
    if (requests > maxRows + 10) {
      promise.fail("walk of " + agent.id() + " did not end after " + requests + " requests");
      return;
    }
    List<OID> open = new ArrayList<>(cursor.keySet());
    boolean v1 = agent.version() == SnmpConstants.version1;
    PDU pdu = agent.newPdu(v1 ? PDU.GETNEXT : PDU.GETBULK);
    for (OID c : open) {
      pdu.add(new VariableBinding(cursor.get(c)));
    }
    if (!v1) {
      pdu.setNonRepeaters(0);
      pdu.setMaxRepetitions(Math.max(1, Math.min(50, replyBudget / (VARBIND_BYTES * open.size()))));
    }
    client.send(agent, pdu).onComplete(ar -> {
      SnmpReply reply = ar.result();
      if (ar.failed() || !reply.ok()) {
        promise.fail(ar.failed() ? ar.cause().getMessage() : reply.error());
        return;
      }
      PDU resp = reply.pdu();
      if (resp.getErrorStatus() == PDU.noSuchName && v1) {
        // v1 ends a walk that ran past the last object with noSuchName: the column at the error
        // index is finished; the others are asked again.
        int idx = resp.getErrorIndex() - 1;
        if (idx >= 0 && idx < open.size()) cursor.remove(open.get(idx));
        else cursor.clear();
        step(result, cursor, requests + 1, promise);
        return;
      }
      if (resp.getErrorStatus() != PDU.noError) {
        promise.fail("agent " + agent.id() + " answered " + resp.getErrorStatusText() + " during a walk");
        return;
      }
      List<? extends VariableBinding> vbs = resp.getVariableBindings();
      for (int i = 0; i < vbs.size(); i++) {
        OID column = open.get(i % open.size());
        OID at = cursor.get(column);
        if (at == null) continue; // this column already ended earlier in this reply
        VariableBinding vb = vbs.get(i);
        OID oid = vb.getOid();
        if (vb.getVariable().isException() || oid == null || !oid.startsWith(column) || oid.size() <= column.size()) {
          cursor.remove(column);
          continue;
        }
        if (oid.compareTo(at) <= 0) {
          promise.fail("agent " + agent.id() + " returned OIDs out of order (" + oid + " after " + at + ")");
          return;
        }
        TreeMap<OID, Variable> rows = result.get(column);
        if (rows.size() >= maxRows) {
          // More rows than the device may have: this column ends here, the rest is not read.
          rowsCut++;
          cursor.remove(column);
          continue;
        }
        Variable value = vb.getVariable();
        bytes += vb.getBERLength();
        if (value instanceof OctetString text && text.length() > MAX_STRING_BYTES) {
          stringsCut++;
          value = cut(text);
        }
        rows.put(new OID(oid.getValue(), column.size(), oid.size() - column.size()), value);
        cursor.put(column, oid);
      }
      // Checked per reply: one reply is at most a datagram, so the overshoot is bounded too.
      if (bytes > byteBudget) budgetSpent = true;
      step(result, cursor, requests + 1, promise);
    });
  }

  /** The first {@value #MAX_STRING_BYTES} bytes, not splitting a UTF-8 character at the end. */
  static OctetString cut(OctetString s) {
    byte[] v = s.getValue();
    int end = MAX_STRING_BYTES;
    // Back off over continuation bytes (10xxxxxx) to the start of the character that was split.
    int back = end;
    while (back > end - 4 && back > 0 && (v[back] & 0xC0) == 0x80) back--;
    if (back < end && (v[back] & 0xC0) == 0xC0) end = back;
    return new OctetString(java.util.Arrays.copyOf(v, end));
  }
}
