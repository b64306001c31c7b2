package io.ifpulse.snmp;

/**
 * What can be wrong with one varbind of a reply to a {@link GetRequest}, each counted per device
 * under its label ({@code replyErrors} in the poll statistics, docs/EVENTS.md).
 */
public enum ReplyError {
  /** The reply ended before this asked varbind. */
  MISSING("missing", false),
  /** An OID this request asked for, at another position than it was asked. */
  REORDERED("reordered", false),
  /** An OID this request did not ask for: another interface's row, another table's column. */
  FOREIGN_OID("foreign-oid", false),
  /** The asked OID, with a value of another type than asked (an OctetString for a counter). */
  WRONG_TYPE("wrong-type", false),
  /**
   * The agent has no such instance. For a 64-bit counter this is how an agent without it says
   * so, and the poller falls back to the 32-bit column: a few of these after discovery are normal.
   */
  NO_SUCH_INSTANCE("no-such-instance", true),
  NO_SUCH_OBJECT("no-such-object", true),
  /** Meaningless in the reply to a GET, but seen from agents that answer a GET as a GETNEXT. */
  END_OF_MIB_VIEW("end-of-mib-view", false),
  /** Varbinds beyond the last one asked. */
  EXTRA("extra", false);

  public final String label;
  /** A sound answer of an agent that lacks the object, not a reply gone wrong. */
  public final boolean agentLacksIt;

  ReplyError(String label, boolean agentLacksIt) {
    this.label = label;
    this.agentLacksIt = agentLacksIt;
  }
}
