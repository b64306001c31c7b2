package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.BridgeClient;
import io.ifpulse.Main;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A browser that stops reading loses its own messages; the others keep getting theirs on time. */
class SlowClientTest {

  @Test
  void stalledClientDoesNotDelayAHealthyOne() throws Exception {
    Vertx clients = Vertx.vertx();
    try (Main.Hub hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "devices": [{"id": "big1", "sim": {"model": "steady", "interfaces": 500}},
                     {"id": "big2", "sim": {"model": "steady", "interfaces": 500}},
                     {"id": "big3", "sim": {"model": "steady", "interfaces": 500}}]}""")) {
      BridgeClient stalled = BridgeClient.connect(clients, hub.httpPort(), null, BridgeClient.options().setReceiveBufferSize(4096));
      BridgeClient healthy = BridgeClient.connect(clients, hub.httpPort(), null);
      for (String d : List.of("big1", "big2", "big3")) {
        stalled.register("ifpulse.traffic." + d);
        healthy.register("ifpulse.traffic." + d);
      }
      Thread.sleep(500);
      stalled.stall();
      long start = System.currentTimeMillis();
      long dropped = 0;
      while (System.currentTimeMillis() - start < 40_000 && (dropped = dropped(hub.httpPort())) < 10) {
        Thread.sleep(1000);
      }
      assertTrue(dropped >= 10, "the stalled client's messages are dropped and counted: " + dropped);
      Thread.sleep(3000);

      // The healthy client got every sample of every device, in order, and promptly.
      List<JsonObject> recs = healthy.frames.stream().filter(f -> "rec".equals(f.getString("type"))).toList();
      for (String d : List.of("big1", "big2", "big3")) {
        List<Long> seqs = recs.stream().map(f -> f.getJsonObject("body")).filter(b -> d.equals(b.getString("device")))
            .map(b -> b.getLong("seq")).toList();
        assertTrue(seqs.size() >= 8, d + ": " + seqs.size());
        for (int i = 1; i < seqs.size(); i++) assertEquals(seqs.get(i - 1) + 1, seqs.get(i), d + ": no sample lost " + seqs);
      }
      // Latency from the agent's reply to receipt in this client (same clock): bounded even while
      // the other client is stalled.
      long worst = 0;
      for (int i = 0; i < healthy.frames.size(); i++) {
        JsonObject f = healthy.frames.get(i);
        if (!"rec".equals(f.getString("type"))) continue;
        long receivedMs = Math.round(io.ifpulse.time.MonotonicClock.epochMillis(healthy.receivedAtNanos.get(i)));
        worst = Math.max(worst, receivedMs - f.getJsonObject("body").getLong("ts"));
      }
      assertTrue(worst < 500, "healthy client's worst delay " + worst + " ms");
      System.out.println("slow client: dropped " + dropped + ", healthy worst delay " + worst + " ms");
      stalled.close();
      healthy.close();
    } finally {
      clients.close().await();
    }
  }

  private static long dropped(int port) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^ifpulse_bridge_dropped_messages_total (\\d+)").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
