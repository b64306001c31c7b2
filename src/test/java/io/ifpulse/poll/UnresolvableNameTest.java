package io.ifpulse.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.HubConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.snmp.AgentNames;
import io.ifpulse.testing.LoopbackDns;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A device whose host name does not resolve, added over REST to a running hub, is that device's
 * state ("unresolvable"): the hub goes on, the other devices keep their schedule, and once the
 * name resolves the device is polled. Names are answered by a DNS server of the test's own on
 * loopback, never by this machine's resolver.
 */
class UnresolvableNameTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anUnresolvableNameIsTheDevicesStateUntilItResolves() throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-dns");
    JsonObject cfg = new JsonObject("""
        {"defaults": {"intervalMs": 1000, "discoveryIntervalS": 3600},
         "credentials": {"lab": {"community": "public"}},
         "simulator": {"basePort": 0},
         "devices": [{"id": "a", "sim": {"model": "steady", "interfaces": 2}},
                     {"id": "b", "sim": {"model": "steady", "interfaces": 3}}]}""");
    cfg.put("web", new JsonObject().put("port", 0).put("auth", new JsonObject().put("usersFile", dir.resolve("users.json").toString())));
    cfg.put("registry", new JsonObject().put("file", dir.resolve("devices.json").toString()));
    HubConfig config = ConfigLoader.parse(cfg, Map.of());
    try (LoopbackDns dns = new LoopbackDns();
        Main.Hub hub = Main.start(config, new Main.Options(false, false, Main.Role.ALL, true),
            Map.of(AgentNames.ENV, dns.server()))) {
      List<TrafficSample> aSamples = new CopyOnWriteArrayList<>();
      List<TrafficSample> zzSamples = new CopyOnWriteArrayList<>();
      List<StatusEvent> zzStatus = new CopyOnWriteArrayList<>();
      hub.vertx().eventBus().consumer(Addresses.traffic("a"), m -> aSamples.add(EventJson.traffic(m.body())));
      hub.vertx().eventBus().consumer(Addresses.traffic("zz"), m -> zzSamples.add(EventJson.traffic(m.body())));
      hub.vertx().eventBus().consumer(Addresses.status("zz"), m -> zzStatus.add(EventJson.status(m.body())));

      int port = hub.simulator().port("b");
      HttpResponse<String> created = send(hub, "POST", "/api/devices",
          "{\"id\":\"zz\",\"host\":\"nx.invalid\",\"port\":" + port + ",\"credentials\":\"lab\",\"intervalMs\":1000}");
      assertEquals(201, created.statusCode(), created.body());

      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> zzStatus.stream().anyMatch(s -> s.event() == StatusEvent.Event.UNRESOLVABLE));
      StatusEvent unresolvable = zzStatus.stream().filter(s -> s.event() == StatusEvent.Event.UNRESOLVABLE).findFirst().orElseThrow();
      assertFalse(unresolvable.reachable());
      assertTrue(unresolvable.error().startsWith("nx.invalid"), unresolvable.error());
      assertTrue(dns.queries() > 0, "the name was asked of the test's DNS");
      JsonObject zz = device(hub, "zz");
      assertEquals("unresolvable", zz.getString("state"), zz.encode());
      assertEquals(false, zz.getBoolean("reachable"), zz.encode());

      // The others are polled on their schedule meanwhile: a sample every interval, none skipped.
      int before = aSamples.size();
      long asked = dns.queries();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> aSamples.size() >= before + 4 && dns.queries() >= asked + 2);
      List<TrafficSample> window = List.copyOf(aSamples.subList(before, aSamples.size()));
      for (int k = 1; k < window.size(); k++) {
        assertEquals(window.get(k - 1).seq() + 1, window.get(k).seq(), "a's samples in sequence");
        long gap = window.get(k).ts() - window.get(k - 1).ts();
        // Loose (a shared machine): it tells a hub that goes on from one that waits for a name.
        assertTrue(gap > 500 && gap < 3000, "a polled every second while zz does not resolve: " + gap + " ms");
      }
      assertTrue(zzSamples.isEmpty(), "nothing polled at an address nobody knows");

      // The name appears in the DNS: looked up again at the next tick, discovered and polled.
      dns.answer("nx.invalid", "127.0.0.1");
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> zzSamples.stream().anyMatch(s -> s.reachable()
          && s.interfaces().size() == 3 && s.interfaces().stream().allMatch(i -> !Double.isNaN(i.inBps()))));
      assertTrue(zzStatus.stream().anyMatch(s -> s.event() == StatusEvent.Event.DISCOVERED), zzStatus.toString());
      JsonObject resolved = device(hub, "zz");
      assertNull(resolved.getString("state"), resolved.encode());
      assertEquals(true, resolved.getBoolean("reachable"), resolved.encode());
      assertEquals(3, resolved.getInteger("interfaces"), resolved.encode());
    }

    // The entry was saved. A hub started again from that registry, with a DNS that no longer
    // knows the name, starts, polls the others and says the same of zz (it used to refuse to start).
    try (LoopbackDns dns = new LoopbackDns();
        Main.Hub hub = Main.start(config, new Main.Options(false, false, Main.Role.ALL, true),
            Map.of(AgentNames.ENV, dns.server()))) {
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
        JsonObject zz = device(hub, "zz");
        JsonObject a = device(hub, "a");
        return "unresolvable".equals(zz.getString("state")) && Boolean.TRUE.equals(a.getBoolean("reachable"))
            && a.getLong("lastTs") != null;
      });
    }
  }

  private JsonObject device(Main.Hub hub, String id) throws Exception {
    HttpResponse<String> r = send(hub, "GET", "/api/devices/" + id, null);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonObject("device");
  }

  private HttpResponse<String> send(Main.Hub hub, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path));
    if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    else b.method(method, HttpRequest.BodyPublishers.noBody());
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
