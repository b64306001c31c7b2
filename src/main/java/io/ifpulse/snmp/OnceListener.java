package io.ifpulse.snmp;

import java.util.concurrent.atomic.AtomicBoolean;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.smi.Address;

/**
 * A listener for one request that acts on SNMP4J's first call only.
 *
 * <p>SNMP4J (3.9) may call a listener twice for one request, on two threads at once: its receive
 * thread marks the request answered and calls the listener with the reply, while its timer thread,
 * whose timeout check does not look at that mark, calls it with a timeout; only the listener's own
 * {@code cancel()} ends the race, and it comes too late for a timer already running. Acted on
 * twice, one request released its in-flight slot twice (the agent then had more requests out than
 * its limit, for good), completed its caller twice, and a timeout that came second started a retry
 * of a request already answered. The second call is counted ({@code lateCallbacks} in the agent's
 * stats) and otherwise ignored.
 */
abstract class OnceListener implements ResponseListener {
  private final AtomicBoolean called = new AtomicBoolean();
  private final AgentStats stats;

  OnceListener(AgentStats stats) {
    this.stats = stats;
  }

  @Override
  public final <A extends Address> void onResponse(ResponseEvent<A> event) {
    // SNMP4J keeps the request registered until cancelled: without this, requests leak.
    ((Snmp) event.getSource()).cancel(event.getRequest(), this);
    if (called.compareAndSet(false, true)) {
      firstResponse(event);
    } else {
      stats.lateCallback();
    }
  }

  /** What the request's one outcome — reply, error or timeout — does. */
  abstract void firstResponse(ResponseEvent<?> event);
}
