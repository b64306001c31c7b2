package io.ifpulse.traps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.sim.SimDevice;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The receiver against net-snmp's own senders (Debian package {@code snmp}): snmptrap and
 * snmpinform, v2c and v3 authPriv, on loopback. A simulated device names the address it sends from
 * ({@code trapSource}: the simulator's agents all answer on 127.0.0.1), and net-snmp sends from it
 * ({@code --clientaddr}). One hub for the class; each test uses its own device or its own counters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrapReceiverTest {
  private static final String EDGE = "edge"; // linkDown, inform
  private static final String RESTARTS = "restarts"; // coldStart
  private static final String SECURE = "secure"; // v3, no agent behind it: only its notifications matter
  private static final long BASE_MS = 10_000;

  private Main.Hub hub;
  private final Map<String, List<JsonObject>> traffic = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, List<StatusEvent>> status = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, List<JsonObject>> traps = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<io.ifpulse.events.AlertEvent> alerts = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    Path registry = Files.createTempDirectory("ifpulse-registry").resolve("devices.json");
    JsonObject cfg = new JsonObject("""
        {"defaults": {"intervalMs": %d, "liveIntervalMs": 1000},
         "simulator": {"basePort": 0},
         "web": {"enabled": false},
         "traps": {"port": 0},
         "registry": {"file": "%s"},
         "credentials": {"v3-trap": {"version": "v3", "v3": {"user": "trapper", "authProtocol": "SHA-256",
             "authPassphrase": "auth-phrase-1", "privProtocol": "AES-128", "privPassphrase": "priv-phrase-1"}}},
         "devices": [
           {"id": "edge", "sim": {"model": "steady", "interfaces": 2}, "trapSource": "127.0.0.5"},
           {"id": "restarts", "sim": {"model": "steady", "interfaces": 2}, "trapSource": "127.0.0.6"},
           {"id": "secure", "host": "127.0.0.7", "port": 9, "credentials": "v3-trap", "timeoutMs": 200, "retries": 0}
         ]}""".formatted(BASE_MS, registry));
    hub = Main.start(ConfigLoader.parse(cfg, Map.of()), false);
    hub.vertx().eventBus().consumer(Addresses.ALERTS, m -> alerts.add(EventJson.alert(m.body()))).completion().await();
    for (String id : List.of(EDGE, RESTARTS, SECURE)) {
      List<JsonObject> t = new CopyOnWriteArrayList<>();
      List<StatusEvent> s = new CopyOnWriteArrayList<>();
      List<JsonObject> n = new CopyOnWriteArrayList<>();
      traffic.put(id, t);
      status.put(id, s);
      traps.put(id, n);
      hub.vertx().eventBus().consumer(Addresses.traffic(id), m -> t.add(EventJson.toJson(m.body()))).completion().await();
      hub.vertx().eventBus().consumer(Addresses.status(id), m -> s.add(EventJson.status(m.body()))).completion().await();
      hub.vertx().eventBus().<JsonObject>consumer(Addresses.traps(id), m -> n.add(m.body())).completion().await();
    }
  }

  @AfterAll
  void stop() {
    if (hub != null) hub.close();
  }

  private JsonObject counters() {
    return hub.vertx().eventBus().<JsonObject>request(Addresses.TRAPS_STATS, null).await().body();
  }

  private long outcome(String label) {
    return counters().getJsonObject("outcomes").getLong(label);
  }

  private static int run(String... command) throws IOException, InterruptedException {
    return io.ifpulse.testing.NetSnmpCommands.run(command);
  }

  private String target() {
    return "127.0.0.1:" + hub.trapPort();
  }


  private JsonObject awaitFirstSample(String device) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !traffic.get(device).isEmpty());
    return traffic.get(device).get(traffic.get(device).size() - 1);
  }

  @Test
  void aLinkDownTrapTurnsTheInterfaceDownAtOnceAndHasTheDevicePolled() throws Exception {
    // Measured first: the alert rules judge only interfaces with a rate, seen up before.
    Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> traffic.get(EDGE).stream()
        .anyMatch(x -> "ok".equals(((JsonObject) x.getJsonArray("interfaces").getValue(1)).getString("state"))));
    JsonObject before = awaitFirstSample(EDGE);
    SimDevice dev = hub.simulator().device(EDGE);
    int ifIndex = dev.ifIndex(1);
    String name = dev.ifName(1);
    int code = run(io.ifpulse.testing.NetSnmpCommands.linkTrap(true, "public", "127.0.0.5", target(), ifIndex).toArray(String[]::new));
    assertEquals(0, code, "snmptrap");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !traps.get(EDGE).isEmpty());
    JsonObject n = traps.get(EDGE).get(0);
    assertEquals("linkDown", n.getString("name"));
    assertEquals(ifIndex, n.getInteger("ifIndex"));
    assertEquals("down", n.getString("oper"));
    assertEquals("v2c", n.getString("version"));
    assertTrue(n.getString("source").startsWith("127.0.0.5:"), n.encode());

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> status.get(EDGE).stream().anyMatch(s -> s.event() == StatusEvent.Event.LINK_DOWN));
    StatusEvent down = status.get(EDGE).stream().filter(s -> s.event() == StatusEvent.Event.LINK_DOWN).findFirst().orElseThrow();
    assertEquals(ifIndex, down.ifIndex());
    assertEquals(name, down.ifName());
    assertEquals("down", down.oper());
    // Received at n.ts, announced at down.ts, both on the hub's clock.
    assertTrue(down.ts() - n.getLong("ts") <= 1000, "link-down " + (down.ts() - n.getLong("ts")) + " ms after the notification");

    // Polled at once, not at the next slot of its 10 s interval; and the sample says down, although
    // the simulated agent's table still says up.
    long received = n.getLong("ts");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> traffic.get(EDGE).stream().anyMatch(x -> x.getLong("ts") > received));
    JsonObject after = traffic.get(EDGE).stream().filter(x -> x.getLong("ts") > received).findFirst().orElseThrow();
    long lastScheduled = before.getLong("ts");
    for (JsonObject s : traffic.get(EDGE)) if (s.getLong("ts") <= received) lastScheduled = Math.max(lastScheduled, s.getLong("ts"));
    assertTrue(after.getLong("ts") - n.getLong("ts") < BASE_MS / 2 && after.getLong("ts") - lastScheduled < BASE_MS - 1000,
        "a poll right after the notification: " + after.encode());
    JsonObject iface = after.getJsonArray("interfaces").stream().map(o -> (JsonObject) o).filter(i -> i.getInteger("ifIndex") == ifIndex)
        .findFirst().orElseThrow();
    assertEquals("down", iface.getString("oper"));
    // And the alerts take it from there, as from any sample.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> alerts.stream().anyMatch(a -> a.device().equals(EDGE)
        && a.ifIndex() == ifIndex && a.kind() == io.ifpulse.events.AlertEvent.Kind.OPER_DOWN
        && a.state() == io.ifpulse.events.AlertEvent.State.RAISED));
  }

  @Test
  void anInformIsAnsweredAndOneFromAnUnknownSourceIsNot() throws Exception {
    awaitFirstSample(EDGE);
    long answered = counters().getLong("informsAnswered");
    int code = run("snmpinform", "-v", "2c", "-c", "public", "-t", "3", "-r", "2", "--clientaddr=127.0.0.5", target(), "",
        "1.3.6.1.6.3.1.1.5.4", "1.3.6.1.2.1.2.2.1.1.1", "i", "1");
    assertEquals(0, code, "snmpinform got its answer");
    assertEquals(answered + 1, counters().getLong("informsAnswered"));
    long unknown = outcome("unknown-source");
    int refused = run("snmpinform", "-v", "2c", "-c", "public", "-t", "1", "-r", "0", "--clientaddr=127.0.0.9", target(), "",
        "1.3.6.1.6.3.1.1.5.4");
    assertNotEquals(0, refused, "no answer for a source that is no device");
    assertEquals(unknown + 1, outcome("unknown-source"));
  }

  @Test
  void aV3AuthPrivTrapIsReceivedAndOneWithWrongKeysIsCountedAndIgnored() throws Exception {
    List<String> v3 = List.of("snmptrap", "-v", "3", "-u", "trapper", "-l", "authPriv", "-a", "SHA-256", "-x", "AES", "-X",
        "priv-phrase-1", "-e", "0x80001f8880aabbccdd", "--clientaddr=127.0.0.7");
    List<String> right = new ArrayList<>(v3);
    right.addAll(List.of("-A", "auth-phrase-1", target(), "", "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1.3", "i", "3"));
    assertEquals(0, run(right.toArray(String[]::new)));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !traps.get(SECURE).isEmpty());
    JsonObject n = traps.get(SECURE).get(0);
    assertEquals("v3", n.getString("version"));
    assertEquals("linkDown", n.getString("name"));
    assertEquals(3, n.getInteger("ifIndex"));

    long badAuth = outcome("bad-auth");
    List<String> wrong = new ArrayList<>(v3);
    wrong.addAll(List.of("-A", "not-the-phrase", target(), "", "1.3.6.1.6.3.1.1.5.4"));
    assertEquals(0, run(wrong.toArray(String[]::new)), "a trap is sent whatever the receiver thinks of it");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outcome("bad-auth") > badAuth);
    assertEquals(1, traps.get(SECURE).size(), "nothing published for it");
  }

  @Test
  void aWrongCommunityAndAnUnknownAddressAreCountedAndIgnored() throws Exception {
    long badCommunity = outcome("bad-community");
    long unknown = outcome("unknown-source");
    int before = traps.get(RESTARTS).size();
    assertEquals(0, run("snmptrap", "-v", "2c", "-c", "guess", "--clientaddr=127.0.0.6", target(), "", "1.3.6.1.6.3.1.1.5.1"));
    assertEquals(0, run("snmptrap", "-v", "2c", "-c", "public", "--clientaddr=127.0.0.10", target(), "", "1.3.6.1.6.3.1.1.5.1"));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> outcome("bad-community") == badCommunity + 1 && outcome("unknown-source") >= unknown + 1);
    assertEquals(before, traps.get(RESTARTS).size());
  }

  @Test
  void aColdStartGivesAGapThenCorrectRates() throws Exception {
    SimDevice dev = hub.simulator().device(RESTARTS);
    // Rates are known before the notification: the device measures.
    Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> traffic.get(RESTARTS).stream()
        .anyMatch(s -> "ok".equals(((JsonObject) s.getJsonArray("interfaces").getValue(0)).getString("state"))));
    long seqBefore = traffic.get(RESTARTS).get(traffic.get(RESTARTS).size() - 1).getLong("seq");
    assertEquals(0, run("snmptrap", "-v", "2c", "-c", "public", "--clientaddr=127.0.0.6", target(), "", "1.3.6.1.6.3.1.1.5.1"));
    // A gap (the engine wants two fresh readings after an anchor is dropped), then correct rates.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> traffic.get(RESTARTS).stream()
        .anyMatch(x -> x.getLong("seq") > seqBefore && "ok".equals(((JsonObject) x.getJsonArray("interfaces").getValue(0)).getString("state"))));
    List<JsonObject> after = traffic.get(RESTARTS).stream().filter(x -> x.getLong("seq") > seqBefore).toList();
    int gaps = 0;
    JsonObject previous = null;
    for (JsonObject sample : after) {
      boolean ok = false;
      for (Object o : sample.getJsonArray("interfaces")) {
        JsonObject i = (JsonObject) o;
        if ("gap".equals(i.getString("state"))) {
          assertEquals("first", i.getString("gap"), sample.encode());
          continue;
        }
        ok = true;
        assertEquals("ok", i.getString("state"), sample.encode());
        assertTrue(previous != null, "a gap right after the coldStart, before " + sample.encode());
        double truth = dev.expectedBps(i.getInteger("ifIndex"), true, 0, 1e9); // steady: the same over any window
        // The project's tolerance: 0.5 %, plus what the two polls' durations blur over the interval.
        double allowed = io.ifpulse.testing.RateTolerance.allowed(0.005, previous, sample, i.getDouble("intervalMs"));
        assertTrue(Math.abs(i.getDouble("inBps") - truth) <= allowed * truth, i.getDouble("inBps") + " vs " + truth + " ± " + allowed);
      }
      if (ok) break;
      gaps++;
      previous = sample;
    }
    assertTrue(gaps >= 1, "a gap right after the coldStart: " + after);
  }
}
