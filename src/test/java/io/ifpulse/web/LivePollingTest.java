package io.ifpulse.web;

import io.ifpulse.testing.BridgeClient;
import io.ifpulse.events.Addresses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.poll.PollerVerticle;
import io.ifpulse.sim.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Viewer-driven polling, counted where it costs: at the agent. A device polls at its base interval
 * (10 s) until someone watches it, then at the live interval (1 s); ten viewers cost what one does;
 * when the last leaves it is back to base at once.
 */
class LivePollingTest {

  private static long requestsDuring(SimDevice d, long millis) throws InterruptedException {
    long before = d.requests();
    Thread.sleep(millis);
    return d.requests() - before;
  }

  @Test
  void watchersSwitchTheSharedPollBetweenBaseAndLive() throws Exception {
    Vertx clients = Vertx.vertx();
    try (Main.Hub hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 10000, "liveIntervalMs": 1000},
         "devices": [{"id": "watched", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "other", "sim": {"model": "steady", "interfaces": 2}}]}""")) {
      SimDevice watched = hub.simulator().device("watched");
      Thread.sleep(3000); // discovery and the two warm-up polls
      long idle = requestsDuring(watched, 10_000);
      assertTrue(idle <= 2, "base interval 10 s: " + idle + " requests in 10 s");

      SimDevice other = hub.simulator().device("other");
      long otherBefore = other.requests();
      // One viewer: the live interval, within a second or two.
      List<BridgeClient> viewers = new ArrayList<>();
      viewers.add(BridgeClient.connect(clients, hub.httpPort(), null));
      viewers.get(0).register("ifpulse.traffic.watched");
      viewers.get(0).watch("watched");
      Thread.sleep(2000);
      long one = requestsDuring(watched, 6000);
      assertTrue(one >= 5 && one <= 7, "one viewer, 1 s interval: " + one + " requests in 6 s");

      // Ten viewers: the same single poll.
      for (int i = 1; i < 10; i++) {
        BridgeClient v = BridgeClient.connect(clients, hub.httpPort(), null);
        v.register("ifpulse.traffic.watched");
        v.watch("watched");
        viewers.add(v);
      }
      Thread.sleep(1000);
      long ten = requestsDuring(watched, 6000);
      assertTrue(Math.abs(ten - one) <= 1, "ten viewers cost what one does: " + ten + " vs " + one);
      long otherDuring = other.requests() - otherBefore;
      assertTrue(otherDuring <= 3, "an unwatched device stays at base: " + otherDuring + " requests in ~15 s");
      for (BridgeClient v : viewers) {
        long samples = v.received("ifpulse.traffic.watched").size();
        assertTrue(samples >= 5, "every viewer gets the shared samples: " + samples);
      }

      // The last viewer leaves: back to base at once (socket close releases its interest).
      viewers.forEach(BridgeClient::close);
      Thread.sleep(1500);
      long after = requestsDuring(watched, 10_000);
      assertTrue(after <= 2, "back to 10 s after the viewers left: " + after + " requests in 10 s");

      // A verticle declares interest on the hub bus with a short time-to-live, and lets it lapse.
      hub.vertx().eventBus().publish(Addresses.INTEREST,
          new JsonObject().put("device", "watched").put("watcher", "alerts-exporter").put("ttlMs", 4000));
      Thread.sleep(1000);
      long declared = requestsDuring(watched, 3000);
      assertTrue(declared >= 2, "a verticle's interest makes it live too: " + declared);
      Thread.sleep(3000);
      long lapsed = requestsDuring(watched, 8000);
      assertTrue(lapsed <= 1, "interest that is not renewed lapses: " + lapsed);
    } finally {
      clients.close().await();
    }
  }
}
