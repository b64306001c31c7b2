package io.ifpulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.HubConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoTransportTest {
  @TempDir Path dir;

  @Test
  void theEnvironmentChoosesNativeByDefaultOrNio() {
    assertTrue(IoTransport.preferNative(Map.of()));
    assertTrue(IoTransport.preferNative(Map.of(IoTransport.ENV, "native")));
    assertTrue(IoTransport.preferNative(Map.of(IoTransport.ENV, " Native ")));
    assertFalse(IoTransport.preferNative(Map.of(IoTransport.ENV, "nio")));
    ConfigException e = assertThrows(ConfigException.class, () -> IoTransport.preferNative(Map.of(IoTransport.ENV, "epol")));
    assertEquals("IFPULSE_TRANSPORT = \"epol\": must be native or nio", e.getMessage());
  }

  /** The hub's and the web side's event loops run on epoll here (Linux x86_64), and on NIO when asked. */
  @Test
  void theHubRunsOnEpollUnlessToldNio() throws Exception {
    for (String transport : new String[] {"native", "nio"}) {
      Main.Hub hub = Main.start(config(), new Main.Options(false, false, Main.Role.ALL, true), Map.of(IoTransport.ENV, transport));
      try {
        boolean expected = transport.equals("native");
        assertEquals(expected, hub.vertx().isNativeTransportEnabled(), "hub, " + transport + ": "
            + hub.vertx().unavailableNativeTransportCause());
        assertEquals(expected, hub.web().isNativeTransportEnabled(), "web, " + transport);
      } finally {
        hub.close();
      }
    }
  }

  private HubConfig config() throws Exception {
    JsonObject cfg = new JsonObject("""
        {"simulator": {"basePort": 0}, "web": {"port": 0},
         "devices": [{"id": "demo", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 10}}]}""");
    cfg.put("registry", new JsonObject().put("file", Files.createTempDirectory(dir, "r").resolve("devices.json").toString()));
    return ConfigLoader.parse(cfg, Map.of());
  }
}
