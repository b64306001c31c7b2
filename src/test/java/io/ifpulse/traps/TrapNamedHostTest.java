package io.ifpulse.traps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.events.Addresses;
import io.ifpulse.snmp.AgentNames;
import io.ifpulse.testing.LoopbackDns;
import io.ifpulse.testing.NetSnmpCommands;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A device polled by its host name is known by the address that name resolves to when it sends a
 * notification, with no {@code trapSource} to write: the receiver asks the hub's resolver (here a
 * DNS server of the test's own on loopback) as the poller does. A datagram from another address
 * is still an unknown source.
 */
class TrapNamedHostTest {
  @Test
  void aDeviceNamedByHostIsFoundByTheAddressItsNameResolvesTo() throws Exception {
    Path registry = Files.createTempDirectory("ifpulse-trap-names").resolve("devices.json");
    try (LoopbackDns dns = new LoopbackDns()) {
      dns.answer("router.lab.test", "127.0.0.8");
      JsonObject cfg = new JsonObject("""
          {"defaults": {"intervalMs": 10000, "community": "public"},
           "web": {"enabled": false},
           "traps": {"port": 0},
           "registry": {"file": "%s"},
           "devices": [{"id": "router", "host": "router.lab.test", "port": 9, "timeoutMs": 200, "retries": 0}]}""".formatted(registry));
      try (Main.Hub hub = Main.start(ConfigLoader.parse(cfg, Map.of()), new Main.Options(false, false, Main.Role.ALL, false),
          Map.of(AgentNames.ENV, dns.server()))) {
        List<JsonObject> traps = new CopyOnWriteArrayList<>();
        hub.vertx().eventBus().<JsonObject>consumer(Addresses.traps("router"), m -> traps.add(m.body())).completion().await();
        String target = "127.0.0.1:" + hub.trapPort();

        // The name is looked up as the receiver starts; until the answer is in, a trap is unknown.
        Awaitility.await("a trap from the address router.lab.test resolves to is the router's").atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(500)).until(() -> {
              assertEquals(0, NetSnmpCommands.run("snmptrap", "-v", "2c", "-c", "public", "--clientaddr=127.0.0.8", target, "",
                  "1.3.6.1.6.3.1.1.5.1"));
              return !traps.isEmpty();
            });
        assertEquals("router", traps.get(0).getString("device"), traps.get(0).encode());
        assertTrue(traps.get(0).getString("source").startsWith("127.0.0.8:"), traps.get(0).encode());

        long unknown = outcome(hub, "unknown-source");
        int before = traps.size();
        assertEquals(0, NetSnmpCommands.run("snmptrap", "-v", "2c", "-c", "public", "--clientaddr=127.0.0.9", target, "",
            "1.3.6.1.6.3.1.1.5.1"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outcome(hub, "unknown-source") == unknown + 1);
        assertEquals(before, traps.size(), "another address is not the router's");
      }
    }
  }

  private static long outcome(Main.Hub hub, String label) {
    return hub.vertx().eventBus().<JsonObject>request(Addresses.TRAPS_STATS, null).await().body().getJsonObject("outcomes").getLong(label);
  }
}
