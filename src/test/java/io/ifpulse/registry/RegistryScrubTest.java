package io.ifpulse.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.config.PollerConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.poll.DeviceOwnership;
import io.ifpulse.poll.HandoverStore;
import io.ifpulse.poll.PollerVerticle;
import io.ifpulse.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry file written before credentials were named: devices added over the API kept their
 * community or v3 passphrases in it. Read by this version, the file must lose those secrets at
 * once, the log must say which entries lost them, and the devices must stay listed (not polled,
 * with a "no-credentials" status) until an operator names a credential for them.
 */
class RegistryScrubTest {
  private static final String COMMUNITY = "old-registry-community-7731";
  private static final String AUTH_PASS = "old-registry-auth-pass-8842";
  private static final String PRIV_PASS = "old-registry-priv-pass-9953";
  private static final String LAB_COMMUNITY = "lab-community-of-this-node";

  @TempDir Path dir;
  private Path file;
  private DatagramSocket v2Agent;
  private DatagramSocket v3Agent;
  /** What the hub logs (everything under io.ifpulse) while a test runs. */
  private LogCapture logged;
  private Vertx vertx;

  @BeforeEach
  void writeAnOldRegistryFile() throws IOException {
    // The would-be agents: anything the hub sends them is a poll made without credentials.
    v2Agent = agent();
    v3Agent = agent();
    JsonObject v3 = new JsonObject().put("user", "opsuser").put("authProtocol", "SHA-256").put("authPassphrase", AUTH_PASS)
        .put("privProtocol", "AES-128").put("privPassphrase", PRIV_PASS);
    JsonObject devices = new JsonObject()
        .put("old-v2", new JsonObject().put("id", "old-v2").put("host", "127.0.0.2").put("port", v2Agent.getLocalPort())
            .put("version", "v2c").put("community", COMMUNITY).put("tags", new io.vertx.core.json.JsonArray().add("core")))
        .put("old-v3", new JsonObject().put("id", "old-v3").put("host", "127.0.0.2").put("port", v3Agent.getLocalPort())
            .put("version", "v3").put("v3", v3))
        .put("named", new JsonObject().put("id", "named").put("host", "127.0.0.2").put("port", 9).put("credentials", "lab"))
        .put("gone", new JsonObject().put("deleted", true));
    file = dir.resolve("devices.json");
    Files.writeString(file, new JsonObject().put("devices", devices).encodePrettily());
    logged = LogCapture.on("io.ifpulse");
  }

  @AfterEach
  void stop() {
    logged.close();
    if (vertx != null) vertx.close().await();
    v2Agent.close();
    v3Agent.close();
  }

  private static DatagramSocket agent() throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
    s.setSoTimeout(3000);
    return s;
  }

  /** The first datagram within the socket's timeout, or null. */
  private static byte[] datagram(DatagramSocket s) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    try {
      s.receive(p);
      return java.util.Arrays.copyOf(p.getData(), p.getLength());
    } catch (SocketTimeoutException none) {
      return null;
    }
  }

  /** The node's config: one credential, "lab", and no devices of its own. */
  private static HubConfig config() {
    return ConfigLoader.parse(new JsonObject("""
        {"defaults": {"intervalMs": 1000, "timeoutMs": 300, "retries": 0},
         "credentials": {"lab": {"community": "%s"}},
         "devices": []}""".formatted(LAB_COMMUNITY)), Map.of());
  }

  /** What a hub start does with the registry file: the local store under the registry. */
  private DeviceRegistry load() throws Exception {
    HubConfig c = config();
    return new DeviceRegistry(c.devices(), c.defaults(), c.credentials(), new LocalOverlayStore(file));
  }

  private String logText() {
    StringBuilder sb = new StringBuilder();
    for (LogRecord r : logged.records) sb.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(r.getMessage()).append('\n');
    return sb.toString();
  }

  @Test
  void theFileLosesTheSecretsAtOnceAndKeepsEverythingElse() throws Exception {
    load();

    String text = Files.readString(file);
    for (String secret : List.of(COMMUNITY, AUTH_PASS, PRIV_PASS)) assertFalse(text.contains(secret), "no secret left in the file:\n" + text);
    JsonObject devices = new JsonObject(text).getJsonObject("devices");
    JsonObject v2 = devices.getJsonObject("old-v2");
    JsonObject v3 = devices.getJsonObject("old-v3");
    for (JsonObject e : List.of(v2, v3)) {
      assertFalse(e.containsKey("community") || e.containsKey("v3"), e.encode());
      assertEquals("127.0.0.2", e.getString("host"));
    }
    assertEquals(v2Agent.getLocalPort(), v2.getInteger("port"));
    assertEquals("core", v2.getJsonArray("tags").getString(0), "tags stay");
    assertEquals("lab", devices.getJsonObject("named").getString("credentials"), "an entry that names its credential is left as it was");
    assertTrue(devices.getJsonObject("gone").getBoolean("deleted"), "a removal stays a removal");
  }

  @Test
  void theLogSaysWhichEntriesLostTheirSecretsAndShowsNone() throws Exception {
    load();

    String log = logText();
    List<String> lines = new ArrayList<>();
    for (LogRecord r : logged.records) if (r.getMessage().contains("carried a community or v3 passphrases")) lines.add(r.getMessage());
    assertEquals(2, lines.size(), log);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("registry entry old-v2 ")), log);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("registry entry old-v3 ")), log);
    assertTrue(lines.get(0).contains("\"credentials\""), "says how to give the device a credential: " + lines.get(0));
    for (String secret : List.of(COMMUNITY, AUTH_PASS, PRIV_PASS)) assertFalse(log.contains(secret), "no secret in the log:\n" + log);
  }

  @Test
  void theScrubbedDevicesStayListedWithANoCredentialsStatusAndAreNotPolled() throws Exception {
    DeviceRegistry registry = load();

    DeviceConfig v2 = registry.device("old-v2");
    DeviceConfig v3 = registry.device("old-v3");
    assertNotNull(v2, "old-v2 still listed; the log says:\n" + logText());
    assertNotNull(v3, "old-v3 still listed; the log says:\n" + logText());
    assertNull(v2.credential(), "no credentials");
    assertNull(v3.credential(), "no credentials");

    vertx = Vertx.vertx();
    List<JsonObject> statuses = new CopyOnWriteArrayList<>();
    for (String id : List.of("old-v2", "old-v3")) vertx.eventBus().consumer(Addresses.status(id), m -> statuses.add(EventJson.toJson(m.body())));
    vertx.deployVerticle(new PollerVerticle(registry, DeviceOwnership.everything(), PollerConfig.defaults(), HandoverStore.none())).await();

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> statuses.stream().filter(s -> "no-credentials".equals(s.getString("event")))
        .map(s -> s.getString("device")).distinct().count() == 2);
    assertNull(datagram(v2Agent), "old-v2 is not polled");
    assertNull(datagram(v3Agent), "old-v3 is not polled");
    for (JsonObject s : statuses) {
      for (String secret : List.of(COMMUNITY, AUTH_PASS, PRIV_PASS)) assertFalse(s.encode().contains(secret), s.encode());
    }
  }

  @Test
  void aScrubbedDeviceIsPolledAgainOnceAnOperatorNamesACredential() throws Exception {
    DeviceRegistry registry = load();
    vertx = Vertx.vertx();
    vertx.deployVerticle(new PollerVerticle(registry, DeviceOwnership.everything(), PollerConfig.defaults(), HandoverStore.none())).await();

    JsonObject entry = new JsonObject().put("id", "old-v2").put("host", "127.0.0.2").put("port", v2Agent.getLocalPort()).put("credentials", "lab");
    registry.put(entry, new JsonObject().put("by", "user alice").put("from", "127.0.0.1")).await();

    byte[] request = datagram(v2Agent);
    assertNotNull(request, "the device is asked for its interfaces once it has a credential");
    String bytes = new String(request, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(bytes.contains(LAB_COMMUNITY), "with the named credential's community");
    assertFalse(bytes.contains(COMMUNITY), "never the community the old file carried");
  }
}
