package io.ifpulse.snmp;

import org.snmp4j.PDU;

/**
 * An agent's answer to one request, or why there is none.
 *
 * @param pdu the response PDU, null on timeout or transport error
 * @param arrivalNanos {@link System#nanoTime()} taken on SNMP4J's receive thread as the reply came
 *     in — the time the rate engine divides by, never the time a busy event loop got round to it
 * @param error null when {@code pdu} is set; otherwise "timeout" or a short description
 */
public record SnmpReply(PDU pdu, long arrivalNanos, String error) {
  public boolean ok() {
    return pdu != null;
  }

  public boolean timedOut() {
    return "timeout".equals(error);
  }

  /** SNMP error-status of the reply (0 = noError); -1 when there is no reply. */
  public int errorStatus() {
    return pdu == null ? -1 : pdu.getErrorStatus();
  }
}
