package io.ifpulse.snmp;

import org.snmp4j.PDU;

/**
 * An agent's answer to one request, or why there is none.
 *
 * @param pdu the response PDU, null on timeout or transport error
 * @param sentNanos {@link System#nanoTime()} when the request that got this answer was sent
 * @param arrivalNanos {@link System#nanoTime()} when the datagram was taken off the socket, before
 *     decoding — never the time a busy event loop got round to it
 * @param error null when {@code pdu} is set; otherwise "timeout" or a short description
 */
public record SnmpReply(PDU pdu, long sentNanos, long arrivalNanos, String error) {
  /**
   * When the agent most likely read its counters: the midpoint of the round trip. The agent read
   * them somewhere between our send and the arrival; whichever leg was delayed (a busy agent, a
   * queue, a pause of this JVM), the midpoint is off by at most half the round trip, where the
   * arrival time alone can be off by all of it. Differences of these times are what rates divide
   * by.
   */
  public long readNanos() {
    return sentNanos + (arrivalNanos - sentNanos) / 2;
  }

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

  /** The agent could not fit its answer into one message: ask for less. */
  public boolean tooBig() {
    return errorStatus() == PDU.tooBig;
  }
}
