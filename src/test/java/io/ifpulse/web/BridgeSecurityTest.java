package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.BridgeClient;
import io.ifpulse.Main;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What a raw WebSocket client can and cannot do on the bridge. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeSecurityTest {
  private Main.Hub hub;
  private final Vertx client = Vertx.vertx();

  @BeforeAll
  void start() throws Exception {
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "web": {"allowedOrigins": ["https://noc.example.net"]},
         "devices": [{"id": "sw1", "sim": {"model": "steady", "interfaces": 2}}]}""");
  }

  @AfterAll
  void stop() {
    client.close().await();
    hub.close();
  }

  private BridgeClient connect(String origin) {
    return BridgeClient.connect(client, hub.httpPort(), origin);
  }

  @Test
  void permittedAddressDeliversSamples() throws Exception {
    try (BridgeClient c = connect("http://127.0.0.1:" + hub.httpPort())) {
      c.register("ifpulse.traffic.sw1");
      JsonObject rec = c.await(f -> "rec".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals("sw1", rec.getJsonObject("body").getString("device"));
    }
  }

  @Test
  void nonPermittedAddressIsRefused() throws Exception {
    try (BridgeClient c = connect(null)) {
      for (String address : new String[] {"ifpulse.poller.stats", "ifpulse.interest", "ifpulse.traffic", "ifpulse.traffic.sw1.x y",
          "ifpulse.history.devices", "vertx.something"}) {
        c.clear();
        c.register(address);
        JsonObject err = c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
        assertEquals("access_denied", err.getString("body"), address);
      }
    }
  }

  @Test
  void inboundSendsAreRefusedExceptWatchDeclarations() throws Exception {
    try (BridgeClient c = connect(null)) {
      // To an outbound-only address, to an internal one, to the interest address with another shape.
      c.send("ifpulse.traffic.sw1", new JsonObject().put("device", "sw1"));
      assertEquals("access_denied", c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5)).getString("body"));
      c.clear();
      c.send("ifpulse.poller.stats", new JsonObject());
      assertEquals("access_denied", c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5)).getString("body"));
      c.clear();
      c.send("ifpulse.interest", new JsonObject().put("type", "release-all").put("device", "sw1"));
      c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
      c.clear();
      c.send("ifpulse.interest", new JsonObject().put("type", "watch").put("device", "no-such-device"));
      c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
      c.clear();
      c.publish("ifpulse.traffic.sw1", new JsonObject());
      c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
      // The one inbound message that is allowed gets no error.
      c.clear();
      c.watch("sw1");
      // The bridge answers a socket's frames in order: an error for the watch would come before
      // the one for this refused send.
      c.send("ifpulse.poller.stats", new JsonObject());
      c.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
      assertEquals(1, c.frames.stream().filter(f -> "err".equals(f.getString("type"))).count(), c.frames.toString());
    }
  }

  @Test
  void foreignOriginIsRefusedAndConfiguredOneAccepted() throws Exception {
    Exception e = assertThrows(Exception.class, () -> connect("http://evil.example.com"));
    assertTrue(String.valueOf(e.getMessage()).contains("403"), e.toString());
    try (BridgeClient ok = connect("https://noc.example.net")) {
      ok.register("ifpulse.status.sw1");
    }
  }

  @Test
  void oversizedFramesAreRefused() throws Exception {
    try (BridgeClient c = connect(null)) {
      c.send("ifpulse.interest", new JsonObject().put("type", "watch").put("device", "x".repeat(40_000)));
      assertTrue(c.awaitClosed(Duration.ofSeconds(5)), "the socket that sent an oversized frame is closed");
      assertTrue(c.frames.stream().noneMatch(f -> "rec".equals(f.getString("type"))));
    }
    // The server is still serving others.
    try (BridgeClient c = connect(null)) {
      c.register("ifpulse.traffic.sw1");
      c.await(f -> "rec".equals(f.getString("type")), Duration.ofSeconds(10));
    }
  }
}
