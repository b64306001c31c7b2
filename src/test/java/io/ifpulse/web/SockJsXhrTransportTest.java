package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bridge over SockJS's HTTP transport (xhr polling and xhr_send), which sockjs-client falls back
 * to where a proxy blocks WebSockets: frames sent in a POST body reach the bridge, what the hub
 * publishes comes back in the polls, and a body larger than a frame may be is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SockJsXhrTransportTest {
  private Main.Hub hub;
  private int port;

  @BeforeAll
  void start() throws Exception {
    hub = WebHubFixture.start("""
        {"defaults": {"intervalMs": 1000},
         "web": {"maxFrameBytes": 4096},
         "devices": [{"id": "d1", "sim": {"model": "steady", "interfaces": 1}}]}""");
    port = hub.httpPort();
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  private HttpProbe.Response post(String path, String body) throws Exception {
    return HttpProbe.to(port).header("Origin", "http://127.0.0.1:" + port).header("Content-Type", "text/plain;charset=UTF-8")
        .send("POST", path, body);
  }

  @Test
  void framesSentInPostBodiesReachTheBridgeAndSamplesComeBackInThePolls() throws Exception {
    String session = "/eventbus/000/xhrtest1";
    HttpProbe.Response open = post(session + "/xhr", null);
    assertEquals(200, open.status(), open.body());
    assertTrue(open.body().contains("o"), "the open frame: " + open.body());

    HttpProbe.Response sent = post(session + "/xhr_send",
        "[\"{\\\"type\\\":\\\"register\\\",\\\"address\\\":\\\"ifpulse.traffic.d1\\\"}\"]");
    assertEquals(204, sent.status(), "xhr_send: " + sent.body());

    // Each poll answers what arrived since the last one (or a heartbeat after a while).
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> {
      HttpProbe.Response poll = post(session + "/xhr", null);
      return poll.status() == 200 && poll.body().contains("ifpulse.traffic.d1") && poll.body().contains("interfaces");
    });
  }

  @Test
  void aBodyLargerThanAFrameIsRefused() throws Exception {
    String session = "/eventbus/000/xhrtest2";
    assertEquals(200, post(session + "/xhr", null).status());
    String big = "[\"" + "x".repeat(8192) + "\"]";
    HttpProbe.Response r = post(session + "/xhr_send", big);
    assertEquals(413, r.status(), r.body());
  }
}
