package io.ifpulse.traps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.events.Addresses;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A storm of 10,000 linkDown notifications a second from one source, sent by a plain UDP socket
 * (one real SNMP4J-encoded trap, repeated), while the hub polls other devices every second. The
 * other devices keep their schedule: every one of them gets its polls in the storm, and no tick is
 * skipped; the storm is cut to its source's rate and counted. The poll-start lateness of the
 * window is printed (docs/BENCHMARKS.md, "Notification storm"), never asserted. The storm lasts
 * {@code -Difpulse.trapStorm.seconds} (5 by default) and is compared with a quiet window as long.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrapStormTest {
  private static final int RATE = 10_000;
  private static final int SECONDS = Integer.getInteger("ifpulse.trapStorm.seconds", 5);
  private static final int DEVICES = 40;
  private static final String SOURCE = "127.0.0.40";

  private Main.Hub hub;
  private final Map<String, AtomicInteger> samples = new ConcurrentHashMap<>();

  @BeforeAll
  void start() throws Exception {
    StringBuilder devices = new StringBuilder("{\"id\": \"noisy\", \"sim\": {\"model\": \"steady\", \"interfaces\": 2}, \"trapSource\": \""
        + SOURCE + "\"}");
    for (int i = 0; i < DEVICES; i++) {
      devices.append(", {\"id\": \"quiet-").append(i).append("\", \"sim\": {\"model\": \"steady\", \"interfaces\": 4}}");
    }
    JsonObject cfg = new JsonObject("""
        {"defaults": {"intervalMs": 1000, "liveIntervalMs": 1000}, "simulator": {"basePort": 0}, "web": {"enabled": false},
         "traps": {"port": 0}, "registry": {"file": "%s"}, "devices": [%s]}"""
        .formatted(Files.createTempDirectory("ifpulse-registry").resolve("devices.json"), devices));
    hub = Main.start(ConfigLoader.parse(cfg, Map.of()), false);
    for (int i = 0; i < DEVICES; i++) {
      AtomicInteger n = new AtomicInteger();
      samples.put("quiet-" + i, n);
      hub.vertx().eventBus().consumer(Addresses.traffic("quiet-" + i), m -> n.incrementAndGet()).completion().await();
    }
  }

  @AfterAll
  void stop() {
    if (hub != null) hub.close();
  }

  private JsonObject request(String address) {
    return hub.vertx().eventBus().<JsonObject>request(address, null).await().body();
  }

  private Histogram lateness() {
    JsonObject t = request(Addresses.POLLER_TIMING).getJsonObject("startLatenessUs");
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(t.getString("histogram"))), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new AssertionError(e);
    }
  }

  private static String percentiles(Histogram h) {
    return String.format("%d polls, lateness p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms", h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0);
  }

  /** One v2c linkDown as SNMP4J encodes it: sent once to a socket of ours, which keeps its bytes. */
  private static byte[] oneTrap() throws Exception {
    try (DatagramSocket capture = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Snmp snmp = new Snmp(new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getByName(SOURCE), 0)))) {
      capture.setSoTimeout(10_000);
      PDU pdu = new PDU();
      pdu.setType(PDU.TRAP);
      pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(100)));
      pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID("1.3.6.1.6.3.1.1.5.3")));
      pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.1.1"), new Integer32(1)));
      pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.8.1"), new Integer32(2)));
      CommunityTarget<UdpAddress> target = new CommunityTarget<>(new UdpAddress(InetAddress.getLoopbackAddress(), capture.getLocalPort()),
          new OctetString("public"));
      target.setVersion(SnmpConstants.version2c);
      snmp.send(pdu, target);
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      capture.receive(p);
      return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }
  }

  private Map<String, Integer> counts() {
    Map<String, Integer> out = new java.util.HashMap<>();
    samples.forEach((id, n) -> out.put(id, n.get()));
    return out;
  }

  private long overruns() {
    long n = 0;
    JsonObject stats = request(Addresses.POLLER_STATS);
    for (String id : stats.fieldNames()) if (id.startsWith("quiet-")) n += stats.getJsonObject(id).getLong("overruns", 0L);
    return n;
  }

  @Test
  void otherDevicesKeepTheirScheduleAndTheStormIsCounted() throws Exception {
    // Every device polled and measuring: the windows below compare like with like.
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> samples.values().stream().allMatch(n -> n.get() >= 3));
    Histogram start = lateness();
    Awaitility.await().pollDelay(Duration.ofSeconds(SECONDS)).atMost(Duration.ofSeconds(SECONDS + 1)).until(() -> true);
    Histogram quiet = lateness();
    quiet.subtract(start);

    byte[] trap = oneTrap();
    long overrunsBefore = overruns();
    Map<String, Integer> before = counts();
    long acceptedBefore = request(Addresses.TRAPS_STATS).getJsonObject("outcomes").getLong("accepted");
    Histogram stormStart = lateness();
    AtomicLong sent = new AtomicLong();
    long t0 = System.nanoTime();
    ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(SOURCE), 0))) {
      DatagramPacket packet = new DatagramPacket(trap, trap.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), hub.trapPort()));
      long total = (long) RATE * SECONDS;
      // 10 datagrams every millisecond: 10,000 a second, in even steps rather than one burst.
      ScheduledFuture<?> f = sender.scheduleAtFixedRate(() -> {
        try {
          for (int i = 0; i < RATE / 1000 && sent.get() < total; i++) {
            socket.send(packet);
            sent.incrementAndGet();
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, 0, 1, TimeUnit.MILLISECONDS);
      Awaitility.await().atMost(Duration.ofSeconds(SECONDS * 4L + 10)).until(() -> sent.get() >= total);
      f.cancel(false);
    } finally {
      sender.shutdownNow();
    }
    Histogram storm = lateness();
    storm.subtract(stormStart);
    int windowSeconds = (int) ((System.nanoTime() - t0) / 1_000_000_000L);
    Map<String, Integer> after = counts();
    JsonObject outcomes = request(Addresses.TRAPS_STATS).getJsonObject("outcomes");
    System.out.printf("[storm] %d notifications from one source in %d s; outcomes %s%n", sent.get(), windowSeconds, outcomes.encode());
    System.out.println("[storm] quiet window: " + percentiles(quiet));
    System.out.println("[storm] storm window: " + percentiles(storm));

    // The storm is cut to its source's rate (burst 200 + 100/s) and counted; what the kernel dropped
    // before the receiver read it is neither.
    long accepted = outcomes.getLong("accepted") - acceptedBefore;
    assertTrue(accepted <= 200 + 100L * (SECONDS * 4L + 10), "accepted " + accepted);
    assertTrue(outcomes.getLong("rate-limited") > 0, "rate-limited " + outcomes.getLong("rate-limited"));
    // The other devices kept their 1 s schedule: no tick skipped, and the polls of the window.
    assertEquals(overrunsBefore, overruns(), "ticks skipped in the storm");
    List<String> short_ = new ArrayList<>();
    for (String id : before.keySet()) if (after.get(id) - before.get(id) < windowSeconds - 1) short_.add(id + ": " + (after.get(id) - before.get(id)));
    assertEquals(List.of(), short_, "devices with fewer than one sample a second in the storm");
  }
}
