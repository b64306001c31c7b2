package io.ifpulse.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.DeviceConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.ifpulse.testing.SimulatedDevices;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/** Requests in flight stay within the per-agent and the overall bound, and every one completes. */
class SnmpClientLimitsTest {

  @Test
  void inFlightIsBoundedPerAgentAndOverall() throws Exception {
    try (SimulatedDevices sim = SimulatedDevices.start("""
        {"defaults": {"timeoutMs": 2000, "retries": 0, "maxInFlight": 2},
         "devices": [
           {"id": "a", "sim": {"model": "steady", "interfaces": 1, "delayMs": 100}},
           {"id": "b", "sim": {"model": "steady", "interfaces": 1, "delayMs": 100}},
           {"id": "c", "maxInFlight": 4, "sim": {"model": "steady", "interfaces": 1, "delayMs": 100}}]}""")) {
      Vertx vertx = Vertx.vertx();
      SnmpClient client = new SnmpClient(3); // overall bound below the sum of the agents' bounds
      try {
        List<SnmpClient.Agent> agents = new ArrayList<>();
        for (DeviceConfig d : sim.devices()) agents.add(client.register(vertx, d).await());
        AtomicInteger maxOverall = new AtomicInteger();
        AtomicInteger maxAgentA = new AtomicInteger();
        Thread sampler = new Thread(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            maxOverall.accumulateAndGet(client.inFlight(), Math::max);
            maxAgentA.accumulateAndGet(agents.get(0).inFlight, Math::max);
            try {
              Thread.sleep(2); // the sampling period of this probe, not a wait for anything
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        sampler.start();
        long start = System.nanoTime();
        Promise<List<SnmpReply>> all = Promise.promise();
        vertx.runOnContext(v -> {
          List<Future<SnmpReply>> fs = new ArrayList<>();
          for (SnmpClient.Agent a : agents) {
            for (int i = 0; i < 6; i++) {
              PDU pdu = a.newPdu(PDU.GET);
              pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.1.3.0")));
              fs.add(client.send(a, pdu));
            }
          }
          Future.all(fs).map(cf -> cf.<SnmpReply>list()).onComplete(all);
        });
        List<SnmpReply> replies = all.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        assertEquals(18, replies.size());
        assertTrue(replies.stream().allMatch(SnmpReply::ok), "every request answered");
        assertTrue(maxOverall.get() <= 3, "overall bound: " + maxOverall.get());
        assertTrue(maxAgentA.get() <= 2, "per-agent bound: " + maxAgentA.get());
        assertTrue(maxOverall.get() >= 2, "requests did run in parallel: " + maxOverall.get());
        // 18 requests of 100 ms, at most 3 at a time: at least 0.6 s.
        assertTrue(seconds >= 0.55, "took " + seconds + " s");
        assertEquals(0, client.inFlight());
        assertEquals(6, agents.get(0).stats().requests());
      } finally {
        client.close();
        vertx.close().await();
      }
    }
  }
}
