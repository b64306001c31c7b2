package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.testing.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A browser that stops reading loses its own messages, counted; the others keep getting every
 * sample, in order, and none waits behind the stalled one: each sample of a device reaches a
 * healthy client before the hub publishes that device's next one. (How fast the bridge delivers is
 * measured by the benchmarks, not asserted here.)
 */
class SlowClientTest {
  private static final List<String> DEVICES = List.of("big1", "big2", "big3");

  @Test
  void stalledClientDoesNotDelayAHealthyOne() throws Exception {
    Vertx clients = Vertx.vertx();
    try (Main.Hub hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "devices": [{"id": "big1", "sim": {"model": "steady", "interfaces": 500}},
                     {"id": "big2", "sim": {"model": "steady", "interfaces": 500}},
                     {"id": "big3", "sim": {"model": "steady", "interfaces": 500}}]}""");
        BridgeClient stalled = BridgeClient.connect(clients, hub.httpPort(), null, BridgeClient.options().setReceiveBufferSize(4096));
        BridgeClient healthy = BridgeClient.connect(clients, hub.httpPort(), null)) {
      // When the hub published each sample (device -> seq -> System.nanoTime), on its own bus.
      Map<String, Map<Long, Long>> publishedAt = new ConcurrentHashMap<>();
      for (String d : DEVICES) {
        Map<Long, Long> at = new ConcurrentHashMap<>();
        publishedAt.put(d, at);
        hub.vertx().eventBus().consumer(Addresses.traffic(d), m -> at.put(EventJson.toJson(m.body()).getLong("seq"), System.nanoTime()))
            .completion().await();
        stalled.register(Addresses.traffic(d));
        healthy.register(Addresses.traffic(d));
      }
      // Both registered (a sample of every device reached both), then one stops reading.
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> DEVICES.stream().allMatch(d -> !stalled.received(Addresses.traffic(d)).isEmpty()
              && !healthy.received(Addresses.traffic(d)).isEmpty()));
      stalled.stall();
      int before = healthy.frames.size();

      Awaitility.await("the stalled client's messages dropped and counted").atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(500)).until(() -> dropped(hub.httpPort()) >= 10);
      // A few more samples of every device to the healthy client while the other stays stalled.
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> DEVICES.stream().allMatch(d -> seqsSince(healthy, before, d).size() >= 8));

      for (String d : DEVICES) {
        List<Long> seqs = seqsSince(healthy, before, d);
        for (int i = 1; i < seqs.size(); i++) assertEquals(seqs.get(i - 1) + 1, seqs.get(i), d + ": no sample lost " + seqs);
      }
      // Ordering, not speed: sample n of a device arrives before the hub publishes sample n + 1.
      List<String> late = new ArrayList<>();
      for (int i = before; i < healthy.frames.size(); i++) {
        JsonObject f = healthy.frames.get(i);
        if (!"rec".equals(f.getString("type"))) continue;
        JsonObject body = f.getJsonObject("body");
        Long next = publishedAt.get(body.getString("device")).get(body.getLong("seq") + 1);
        if (next != null && healthy.receivedAtNanos.get(i) > next) late.add(body.getString("device") + " seq " + body.getLong("seq"));
      }
      assertTrue(late.isEmpty(), "samples that reached the healthy client only after their device's next one was published: " + late);
      assertTrue(stalled.received(Addresses.traffic("big1")).size() < healthy.received(Addresses.traffic("big1")).size(),
          "the stalled client got less");
    } finally {
      clients.close().await();
    }
  }

  private static List<Long> seqsSince(BridgeClient c, int from, String device) {
    List<Long> seqs = new ArrayList<>();
    List<JsonObject> frames = c.frames;
    for (int i = from; i < frames.size(); i++) {
      JsonObject f = frames.get(i);
      if ("rec".equals(f.getString("type")) && device.equals(f.getJsonObject("body").getString("device"))) {
        seqs.add(f.getJsonObject("body").getLong("seq"));
      }
    }
    return seqs;
  }

  private static long dropped(int port) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^ifpulse_bridge_dropped_messages_total (\\d+)").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
