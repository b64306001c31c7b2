package io.ifpulse.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ifpulse.testing.Unit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.UdpAddress;

/**
 * The two calls SNMP4J can make for one request — the reply from its receive thread, a timeout from
 * its timer — end the request once, in either order and when they come at the same moment.
 */
@Unit
class OnceListenerTest {
  private final Snmp snmp = new Snmp();
  private final UdpAddress agent = new UdpAddress("127.0.0.1/16100");
  private final PDU request = new PDU();

  @AfterEach
  void close() throws Exception {
    snmp.close();
  }

  private ResponseEvent<Address> reply() {
    PDU response = new PDU();
    response.setType(PDU.RESPONSE);
    return new ResponseEvent<>(snmp, agent, request, response, null);
  }

  private ResponseEvent<Address> timeout() {
    return new ResponseEvent<>(snmp, null, request, null, null);
  }

  @Test
  void aReplyThenItsTimeoutEndTheRequestOnceWithTheReply() {
    AgentStats stats = new AgentStats();
    List<ResponseEvent<?>> outcomes = new CopyOnWriteArrayList<>();
    OnceListener l = listener(stats, outcomes);
    l.onResponse(reply());
    l.onResponse(timeout());
    assertEquals(1, outcomes.size());
    assertNotNull(outcomes.get(0).getResponse(), "the reply is the outcome");
    assertEquals(1, stats.lateCallbacks());
  }

  @Test
  void aTimeoutThenALateReplyEndTheRequestOnceWithTheTimeout() {
    AgentStats stats = new AgentStats();
    List<ResponseEvent<?>> outcomes = new CopyOnWriteArrayList<>();
    OnceListener l = listener(stats, outcomes);
    l.onResponse(timeout());
    l.onResponse(reply());
    assertEquals(1, outcomes.size());
    assertNull(outcomes.get(0).getResponse(), "the timeout is the outcome (its retry, if any, is under way)");
    assertEquals(1, stats.lateCallbacks());
  }

  @Test
  void bothAtOnceOnTwoThreadsEndTheRequestOnce() throws Exception {
    // As SNMP4J does it: receive and timer threads inside the same listener together.
    for (int round = 0; round < 500; round++) {
      AgentStats stats = new AgentStats();
      List<ResponseEvent<?>> outcomes = new CopyOnWriteArrayList<>();
      OnceListener l = listener(stats, outcomes);
      CyclicBarrier together = new CyclicBarrier(2);
      ResponseEvent<Address> r = reply();
      ResponseEvent<Address> t = timeout();
      Thread receive = new Thread(() -> await(together, () -> l.onResponse(r)));
      Thread timer = new Thread(() -> await(together, () -> l.onResponse(t)));
      receive.start();
      timer.start();
      receive.join(5000);
      timer.join(5000);
      assertEquals(1, outcomes.size(), "round " + round);
      assertEquals(1, stats.lateCallbacks(), "round " + round);
    }
  }

  @Test
  void oneCallIsOneOutcomeAndNothingCounted() {
    AgentStats stats = new AgentStats();
    List<ResponseEvent<?>> outcomes = new CopyOnWriteArrayList<>();
    listener(stats, outcomes).onResponse(reply());
    assertEquals(1, outcomes.size());
    assertEquals(0, stats.lateCallbacks());
  }

  private static OnceListener listener(AgentStats stats, List<ResponseEvent<?>> outcomes) {
    return new OnceListener(stats) {
      @Override
      void firstResponse(ResponseEvent<?> event) {
        outcomes.add(event);
      }
    };
  }

  private static void await(CyclicBarrier b, Runnable then) {
    try {
      b.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    then.run();
  }
}
