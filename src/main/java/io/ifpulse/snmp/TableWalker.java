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
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Walks several table columns side by side, as {@code snmpbulkwalk} would for each of them but in
 * shared requests: GETBULK for v2c/v3 (max-repetitions sized to fit the reply budget), GETNEXT for
 * v1. Bounded: an agent that returns non-increasing OIDs, or more rows than {@code maxRows}, ends
 * the walk with an error instead of looping.
 */
public final class TableWalker {
  /** Rough BER size of one table varbind in a reply (OID ~ 14 bytes, value up to 11, headers). */
  private static final int VARBIND_BYTES = 34;

  private final SnmpClient client;
  private final SnmpClient.Agent agent;
  private final int replyBudget;
  private final int maxRows;

  public TableWalker(SnmpClient client, SnmpClient.Agent agent, int maxReplyBytes, int maxRows) {
    this.client = client;
    this.agent = agent;
    this.replyBudget = Math.max(200, maxReplyBytes - 100);
    this.maxRows = maxRows;
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
    if (cursor.isEmpty()) {
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
        rows.put(new OID(oid.getValue(), column.size(), oid.size() - column.size()), vb.getVariable());
        if (rows.size() > maxRows) {
          promise.fail("agent " + agent.id() + " has more than " + maxRows + " rows in " + column);
          return;
        }
        cursor.put(column, oid);
      }
      step(result, cursor, requests + 1, promise);
    });
  }
}
