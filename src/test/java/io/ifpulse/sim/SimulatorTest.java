package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.time.MonotonicClock;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.awaitility.Awaitility;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.Snmp;
import org.snmp4j.asn1.BER;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** Talks real SNMP (SNMP4J client) to a started Simulator over loopback. */
class SimulatorTest {
  static final String SYS_UPTIME = "1.3.6.1.2.1.1.3.0";
  static final String IF_ENTRY = "1.3.6.1.2.1.2.2.1";
  static final String IF_IN_OCTETS = "1.3.6.1.2.1.2.2.1.10";
  static final String IF_DESCR = "1.3.6.1.2.1.2.2.1.2";
  static final String IF_HC_IN_OCTETS = "1.3.6.1.2.1.31.1.1.1.6";
  static final String IF_HC_IN_UCAST = "1.3.6.1.2.1.31.1.1.1.7";
  static final String IF_HC_OUT_OCTETS = "1.3.6.1.2.1.31.1.1.1.10";
  static final String IF_HIGH_SPEED = "1.3.6.1.2.1.31.1.1.1.15";
  static final String LAST_OID = "1.3.6.1.2.1.31.1.1.1.19";

  static Simulator sim;
  static Snmp snmp;

  static SimDeviceSpec spec(String id, String json) {
    return SimDeviceSpec.fromJson(id, "public", new JsonObject(json), "devices." + id + ".sim");
  }

  @BeforeAll
  static void start() throws IOException {
    sim =
        Simulator.start(
            "127.0.0.1",
            0,
            List.of(
                spec("hc", "{\"model\":\"steady\",\"interfaces\":6}"),
                spec("sine", "{\"model\":\"sine\",\"interfaces\":4,\"periodSeconds\":5,\"amplitude\":0.7}"),
                spec("bursts", "{\"model\":\"bursts\",\"interfaces\":2,\"periodSeconds\":1,\"amplitude\":0.3}"),
                spec("wrap", "{\"model\":\"steady\",\"interfaces\":2,\"speedMbps\":10000,\"counters\":\"counter32\",\"rateMbps\":8000}"),
                spec("cached", "{\"model\":\"steady\",\"interfaces\":2,\"cacheSeconds\":1}"),
                spec("v1", "{\"model\":\"steady\",\"interfaces\":3,\"counters\":\"v1\"}"),
                spec("silent", "{\"model\":\"steady\",\"silent\":true}"),
                spec("restart", "{\"model\":\"steady\",\"interfaces\":3}"),
                spec("delay", "{\"model\":\"steady\",\"delayMs\":300}"),
                spec("host", "{\"model\":\"host\"}")));
    snmp = new Snmp(new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0")));
    snmp.listen();
  }

  @AfterAll
  static void stop() throws IOException {
    if (snmp != null) snmp.close();
    if (sim != null) sim.close();
  }

  // ---------------------------------------------------------------- client helpers

  static CommunityTarget<UdpAddress> target(String device, int version, String community, long timeoutMs) {
    CommunityTarget<UdpAddress> t = new CommunityTarget<>(new UdpAddress("127.0.0.1/" + sim.port(device)), new OctetString(community));
    t.setVersion(version);
    t.setTimeout(timeoutMs);
    t.setRetries(0);
    return t;
  }

  static PDU pdu(int version, int type, String... oids) {
    PDU p = version == SnmpConstants.version1 ? new PDUv1() : new PDU();
    p.setType(type);
    for (String o : oids) p.add(new VariableBinding(new OID(o)));
    return p;
  }

  /** Sends and waits; null on timeout. */
  static PDU send(String device, int version, String community, long timeoutMs, PDU request) throws IOException {
    ResponseEvent<UdpAddress> e = snmp.send(request, target(device, version, community, timeoutMs));
    return e.getResponse();
  }

  static PDU v2(String device, int type, String... oids) throws IOException {
    PDU r = send(device, SnmpConstants.version2c, "public", 2000, pdu(SnmpConstants.version2c, type, oids));
    assertNotNull(r, "no answer from " + device);
    return r;
  }

  static PDU bulk(String device, int nonRepeaters, int maxRepetitions, String... oids) throws IOException {
    PDU p = pdu(SnmpConstants.version2c, PDU.GETBULK, oids);
    p.setNonRepeaters(nonRepeaters);
    p.setMaxRepetitions(maxRepetitions);
    PDU r = send(device, SnmpConstants.version2c, "public", 2000, p);
    assertNotNull(r, "no answer from " + device);
    return r;
  }

  static String oid(String column, int ifIndex) {
    return column + "." + ifIndex;
  }

  /** A GET with the time it (most likely) was answered: the middle of the round trip. */
  record Timed(PDU pdu, double epochMs) {
    long counter(int i) {
      return pdu.get(i).getVariable().toLong();
    }
  }

  /**
   * A GET stamped with the middle of its round trip. Of a few tries the one with the shortest
   * round trip is kept (a loaded machine can stall a single request), so the stamp is within a
   * fraction of a millisecond of the instant the simulator computed the values.
   */
  static Timed timedGet(String device, String... oids) throws IOException {
    Timed best = null;
    long bestRtt = Long.MAX_VALUE;
    for (int i = 0; i < 5 && bestRtt > 1_000_000; i++) {
      PDU request = pdu(SnmpConstants.version2c, PDU.GET, oids);
      long t0 = MonotonicClock.nanos();
      PDU r = send(device, SnmpConstants.version2c, "public", 2000, request);
      long t1 = MonotonicClock.nanos();
      assertNotNull(r);
      assertEquals(0, r.getErrorStatus());
      if (t1 - t0 < bestRtt) {
        bestRtt = t1 - t0;
        best = new Timed(r, MonotonicClock.epochMillis(t0 + (t1 - t0) / 2));
      }
    }
    return best;
  }

  static void assertClose(double expected, double actual, double relative, String what) {
    assertTrue(
        Math.abs(actual - expected) <= Math.abs(expected) * relative,
        what + ": expected " + expected + " got " + actual + " (" + 100 * (actual - expected) / expected + " %)");
  }

  // ---------------------------------------------------------------- tests

  @Test
  void getSysUpTimeAndHcCounters() throws IOException {
    SimDevice d = sim.device("hc");
    int idx = d.ifIndex(0);
    PDU r = v2("hc", PDU.GET, SYS_UPTIME, oid(IF_HC_IN_OCTETS, idx), oid(IF_HC_OUT_OCTETS, idx), "1.3.6.1.2.1.1.5.0",
        "1.3.6.1.2.1.1.1.0", oid(IF_HIGH_SPEED, idx), "1.3.6.1.2.1.2.1.0");
    assertEquals(PDU.RESPONSE, r.getType());
    assertEquals(0, r.getErrorStatus());
    assertInstanceOf(TimeTicks.class, r.get(0).getVariable());
    assertInstanceOf(Counter64.class, r.get(1).getVariable());
    assertInstanceOf(Counter64.class, r.get(2).getVariable());
    assertTrue(r.get(1).getVariable().toLong() > 0);
    // out = 0.6 x in
    assertClose(0.6 * r.get(1).getVariable().toLong(), r.get(2).getVariable().toLong(), 0.01, "out/in");
    assertEquals("hc", r.get(3).getVariable().toString());
    assertEquals("ifpulse simulator hc steady", r.get(4).getVariable().toString());
    assertEquals(new Gauge32(1000), r.get(5).getVariable());
    assertEquals(new Integer32(6), r.get(6).getVariable());
    double upSeconds = ((TimeTicks) r.get(0).getVariable()).getValue() / 100.0;
    double sinceStart = (MonotonicClock.nowEpochMillis() - d.startEpochMs()) / 1000;
    assertTrue(Math.abs(upSeconds - sinceStart) < 0.1, upSeconds + " vs " + sinceStart);
  }

  @Test
  void getNextWalkOfIfTableInOrderThenEndOfMibView() throws IOException {
    SimDevice d = sim.device("hc");
    List<VariableBinding> walk = new ArrayList<>();
    OID next = new OID(IF_ENTRY);
    while (true) {
      PDU r = v2("hc", PDU.GETNEXT, next.toDottedString());
      VariableBinding vb = r.get(0);
      if (!vb.getOid().startsWith(new OID(IF_ENTRY))) break;
      assertTrue(vb.getOid().compareTo(next) > 0, "walk must go forward");
      walk.add(vb);
      next = vb.getOid();
    }
    assertEquals(14 * 6, walk.size());
    for (int n = 0; n < 6; n++) { // column 1 = ifIndex, in ifIndex order
      assertEquals(new OID(IF_ENTRY + ".1." + d.ifIndex(n)), walk.get(n).getOid());
      assertEquals(d.ifIndex(n), walk.get(n).getVariable().toInt());
      assertEquals("ifpulse sim hc eth" + n, walk.get(6 + n).getVariable().toString());
    }
    PDU end = v2("hc", PDU.GETNEXT, LAST_OID + "." + d.ifIndex(5));
    assertEquals(Null.endOfMibView, end.get(0).getVariable());
    assertEquals(0, end.getErrorStatus());
  }

  @Test
  void getBulkWalkOfIfTable() throws IOException {
    SimDevice d = sim.device("hc");
    List<VariableBinding> walk = new ArrayList<>();
    OID next = new OID(IF_ENTRY);
    outer:
    while (true) {
      PDU r = bulk("hc", 0, 10, next.toDottedString());
      assertTrue(r.size() > 0);
      for (VariableBinding vb : r.getVariableBindings()) {
        if (!vb.getOid().startsWith(new OID(IF_ENTRY))) break outer;
        assertTrue(vb.getOid().compareTo(next) > 0, "walk must go forward");
        walk.add(vb);
        next = vb.getOid();
      }
    }
    assertEquals(14 * 6, walk.size());
    assertEquals(new OID(IF_ENTRY + ".20." + d.ifIndex(5)), walk.get(walk.size() - 1).getOid());

    // non-repeaters + repeaters
    PDU r = bulk("hc", 1, 3, "1.3.6.1.2.1.1.3", IF_HC_IN_OCTETS);
    assertEquals(4, r.size());
    assertEquals(new OID(SYS_UPTIME), r.get(0).getOid());
    for (int i = 0; i < 3; i++) assertEquals(new OID(oid(IF_HC_IN_OCTETS, d.ifIndex(i))), r.get(1 + i).getOid());

    // past the end: endOfMibView, and the repetitions stop
    PDU end = bulk("hc", 0, 5, LAST_OID + "." + d.ifIndex(4));
    assertEquals(2, end.size());
    assertEquals(new OID(LAST_OID + "." + d.ifIndex(5)), end.get(0).getOid());
    assertEquals(Null.endOfMibView, end.get(1).getVariable());
  }

  @Test
  void getBulkIsTruncatedToTheMaximumMessageSize() throws IOException {
    PDU r = bulk("hc", 0, 500, "1.3.6.1.2.1");
    assertEquals(0, r.getErrorStatus());
    int content = 3 + 2 + "public".length() + r.getBERLength();
    int message = 1 + BER.getBERLengthOfLength(content) + content;
    assertTrue(message <= SimDevice.DEFAULT_MAX_MESSAGE_SIZE, "reply of " + message + " bytes");
    int last = r.get(r.size() - 1).getBERLength();
    assertTrue(message + last > SimDevice.DEFAULT_MAX_MESSAGE_SIZE - 4, "reply of " + message + " bytes could hold more");
    assertTrue(r.size() > 30 && r.size() < 500, "size " + r.size());
    List<? extends VariableBinding> vbs = r.getVariableBindings();
    for (int i = 1; i < vbs.size(); i++) assertTrue(vbs.get(i).getOid().compareTo(vbs.get(i - 1).getOid()) > 0);
  }

  @Test
  void getTooBig() throws IOException {
    SimDevice d = sim.device("hc");
    String[] oids = new String[60];
    for (int i = 0; i < oids.length; i++) oids[i] = oid(IF_DESCR, d.ifIndex(i % 6));
    PDU r = v2("hc", PDU.GET, oids);
    assertEquals(PDU.tooBig, r.getErrorStatus());
    assertEquals(0, r.getErrorIndex());
    assertEquals(0, r.size());
    // 30 fit
    PDU ok = v2("hc", PDU.GET, java.util.Arrays.copyOf(oids, 30));
    assertEquals(0, ok.getErrorStatus());
    assertEquals(30, ok.size());
  }

  @Test
  void v2cExceptionsAndV1NoSuchName() throws IOException {
    SimDevice hc = sim.device("hc");
    PDU r = v2("hc", PDU.GET, "1.3.6.1.2.1.99.1.0", oid(IF_IN_OCTETS, 4242), "1.3.6.1.2.1.1.3.5");
    assertEquals(0, r.getErrorStatus());
    assertEquals(Null.noSuchObject, r.get(0).getVariable());
    assertEquals(Null.noSuchInstance, r.get(1).getVariable());
    assertEquals(Null.noSuchInstance, r.get(2).getVariable());

    PDU v1 = send("v1", SnmpConstants.version1, "public", 2000,
        pdu(SnmpConstants.version1, PDU.GET, SYS_UPTIME, "1.3.6.1.2.1.99.1.0"));
    assertNotNull(v1);
    assertEquals(PDU.noSuchName, v1.getErrorStatus());
    assertEquals(2, v1.getErrorIndex());

    // the v1 device has no ifXTable, whatever the version
    PDU x = v2("v1", PDU.GET, oid(IF_HIGH_SPEED, 1), oid(IF_IN_OCTETS, sim.device("v1").ifIndex(0)));
    assertEquals(Null.noSuchObject, x.get(0).getVariable());
    assertInstanceOf(Counter32.class, x.get(1).getVariable());
    assertEquals(Null.endOfMibView, v2("v1", PDU.GETNEXT, "1.3.6.1.2.1.31").get(0).getVariable());
    PDU v1End = send("v1", SnmpConstants.version1, "public", 2000,
        pdu(SnmpConstants.version1, PDU.GETNEXT, "1.3.6.1.2.1.2.2.1.20.99"));
    assertEquals(PDU.noSuchName, v1End.getErrorStatus());

    // SNMPv1 cannot see Counter64: GET fails, GETNEXT skips the HC columns
    PDU v1hc = send("hc", SnmpConstants.version1, "public", 2000,
        pdu(SnmpConstants.version1, PDU.GET, oid(IF_HC_IN_OCTETS, hc.ifIndex(0))));
    assertEquals(PDU.noSuchName, v1hc.getErrorStatus());
    PDU v1next = send("hc", SnmpConstants.version1, "public", 2000,
        pdu(SnmpConstants.version1, PDU.GETNEXT, oid("1.3.6.1.2.1.31.1.1.1.5", hc.ifIndex(5))));
    assertEquals(0, v1next.getErrorStatus());
    assertEquals(new OID(oid(IF_HIGH_SPEED, hc.ifIndex(0))), v1next.get(0).getOid());
  }

  @Test
  void counter32DeviceHasNoHcColumnsAndWrapsAt10G() throws IOException, InterruptedException {
    SimDevice d = sim.device("wrap");
    int idx = d.ifIndex(1); // 9.5 Gbit/s (capped at 0.95 x speed): wraps every 3.6 s
    PDU r = v2("wrap", PDU.GET, oid(IF_HC_IN_OCTETS, idx), oid(IF_HIGH_SPEED, idx), "1.3.6.1.2.1.2.2.1.5." + idx,
        "1.3.6.1.2.1.31.1.1.1.18." + d.ifIndex(0));
    assertEquals(Null.noSuchObject, r.get(0).getVariable());
    assertEquals(10000, r.get(1).getVariable().toLong());
    assertEquals(4294967295L, r.get(2).getVariable().toLong());
    assertFalse(r.get(3).getVariable().toString().isEmpty(), "ifAlias");

    // A read every 200 ms (well inside one wrap period) until the counter goes backwards.
    List<Timed> samples = new ArrayList<>();
    Awaitility.await("Counter32 at 9.5 Gbit/s wraps within 5 s").atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          samples.add(timedGet("wrap", oid(IF_IN_OCTETS, idx)));
          int n = samples.size();
          assertInstanceOf(Counter32.class, samples.get(n - 1).pdu().get(0).getVariable());
          return n > 1 && samples.get(n - 1).counter(0) < samples.get(n - 2).counter(0);
        });
    int wrapAt = samples.size() - 1;
    // Across the wrap, over the longest interval shorter than one wrap period (3.6 s).
    Timed b = samples.get(wrapAt);
    Timed a = samples.get(wrapAt - 1);
    for (int i = wrapAt - 1; i >= 0 && b.epochMs() - samples.get(i).epochMs() < 3000; i--) a = samples.get(i);
    long delta = (b.counter(0) - a.counter(0)) & 0xFFFFFFFFL;
    double bps = delta * 8 / ((b.epochMs() - a.epochMs()) / 1000);
    double tolerance = b.epochMs() - a.epochMs() > 1000 ? 0.001 : 0.01;
    assertClose(d.expectedBps(idx, true, a.epochMs(), b.epochMs()), bps, tolerance, "rate across the wrap");
  }

  @Test
  void countersAgreeWithExpectedBps() throws IOException, InterruptedException {
    for (String id : List.of("sine", "bursts")) {
      SimDevice d = sim.device(id);
      List<String> oids = new ArrayList<>();
      for (int n = 0; n < d.interfaces(); n++) {
        oids.add(oid(IF_HC_IN_OCTETS, d.ifIndex(n)));
        oids.add(oid(IF_HC_OUT_OCTETS, d.ifIndex(n)));
        oids.add(oid(IF_HC_IN_UCAST, d.ifIndex(n)));
      }
      Timed a = timedGet(id, oids.toArray(new String[0]));
      // The sleep is the measured interval: the counters must grow by the model's integral over it.
      Thread.sleep(id.equals("sine") ? 1500 : 1130);
      Timed b = timedGet(id, oids.toArray(new String[0]));
      double seconds = (b.epochMs() - a.epochMs()) / 1000;
      for (int n = 0; n < d.interfaces(); n++) {
        int idx = d.ifIndex(n);
        double in = (b.counter(3 * n) - a.counter(3 * n)) * 8 / seconds;
        double out = (b.counter(3 * n + 1) - a.counter(3 * n + 1)) * 8 / seconds;
        double ucast = (b.counter(3 * n + 2) - a.counter(3 * n + 2)) / seconds;
        assertClose(d.expectedBps(idx, true, a.epochMs(), b.epochMs()), in, 0.001, id + " in " + n);
        assertClose(d.expectedBps(idx, false, a.epochMs(), b.epochMs()), out, 0.001, id + " out " + n);
        assertClose(0.9 * d.expectedPps(idx, true, a.epochMs(), b.epochMs()), ucast, 0.001, id + " ucast " + n);
      }
    }
    // the models' means
    SimDevice s = sim.device("sine");
    double t = s.startEpochMs();
    assertEquals(100e6, s.expectedBps(s.ifIndex(0), true, t, t + 5000), 1);
    assertEquals(0.6 * 125e6, s.expectedBps(s.ifIndex(1), false, t + 1234, t + 11234), 1);
  }

  @Test
  void cachingFreezesCountersBetweenRefreshes() throws IOException, InterruptedException {
    SimDevice d = sim.device("cached");
    int idx = d.ifIndex(0);
    List<Timed> samples = new ArrayList<>();
    for (int i = 0; i < 22; i++) {
      samples.add(timedGet("cached", oid(IF_HC_IN_OCTETS, idx), SYS_UPTIME));
      Thread.sleep(100); // reads spread over 2.2 s against a 1 s cache: the spacing is the test

    }
    List<Long> changes = new ArrayList<>();
    long distinctUptimes = samples.stream().mapToLong(s -> s.counter(1)).distinct().count();
    for (int i = 1; i < samples.size(); i++) {
      if (samples.get(i).counter(0) != samples.get(i - 1).counter(0)) changes.add(samples.get(i).counter(0) - samples.get(i - 1).counter(0));
    }
    assertTrue(changes.size() >= 1 && changes.size() <= 3, "counter changed " + changes.size() + " times in 2.2 s with a 1 s cache");
    assertTrue(distinctUptimes >= 15, "sysUpTime is not cached");
    // each change is exactly one cache period of traffic: 100 Mbit/s x 1 s / 8
    for (long c : changes) assertClose(100e6 / 8, c, 1e-6, "octets per refresh");
  }

  @Test
  void restartSendsSysUpTimeBackwardsAndZeroesCounters() throws IOException, InterruptedException {
    SimDevice d = sim.device("restart");
    int before = d.ifIndex(0);
    // Up long enough that "back to about 0" is told apart from where it was.
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> v2("restart", PDU.GET, SYS_UPTIME).get(0).getVariable().toLong() > 20);
    PDU a = v2("restart", PDU.GET, SYS_UPTIME, oid(IF_HC_IN_OCTETS, before));
    d.restart();
    int after = d.ifIndex(0);
    PDU b = v2("restart", PDU.GET, SYS_UPTIME, oid(IF_HC_IN_OCTETS, after), "1.3.6.1.2.1.31.1.1.1.1." + after);
    assertTrue(b.get(0).getVariable().toLong() < a.get(0).getVariable().toLong(), "sysUpTime must go back");
    assertTrue(b.get(0).getVariable().toLong() <= 5, "sysUpTime ~0 after restart");
    assertTrue(b.get(1).getVariable().toLong() < a.get(1).getVariable().toLong() / 10, "counters back to ~0");
    assertNotEquals(before, after, "ifIndex numbering shifts on restart");
    assertEquals("eth0", b.get(2).getVariable().toString(), "ifName is stable");
  }

  @Test
  void silentDeviceTimesOutAndCountsRequests() throws IOException {
    SimDevice d = sim.device("silent");
    long before = d.requests();
    assertNull(send("silent", SnmpConstants.version2c, "public", 300, pdu(SnmpConstants.version2c, PDU.GET, SYS_UPTIME)));
    assertEquals(before + 1, d.requests());
    d.setSilent(false);
    try {
      assertNotNull(send("silent", SnmpConstants.version2c, "public", 2000, pdu(SnmpConstants.version2c, PDU.GET, SYS_UPTIME)));
    } finally {
      d.setSilent(true);
    }
  }

  @Test
  void wrongCommunityGetsNoAnswer() throws IOException {
    SimDevice d = sim.device("hc");
    long requests = d.requests(), varbinds = d.varbinds();
    assertNull(send("hc", SnmpConstants.version2c, "private", 300, pdu(SnmpConstants.version2c, PDU.GET, SYS_UPTIME)));
    assertEquals(requests + 1, d.requests());
    assertEquals(varbinds, d.varbinds());
    v2("hc", PDU.GET, SYS_UPTIME, "1.3.6.1.2.1.1.5.0");
    assertEquals(varbinds + 2, d.varbinds());
  }

  @Test
  void delayedAnswerDoesNotBlockOtherDevices() throws Exception {
    CompletableFuture<PDU> delayed = new CompletableFuture<>();
    long t0 = System.nanoTime();
    snmp.send(
        pdu(SnmpConstants.version2c, PDU.GET, SYS_UPTIME),
        target("delay", SnmpConstants.version2c, "public", 3000),
        null,
        new ResponseListener() {
          @Override
          public <A extends org.snmp4j.smi.Address> void onResponse(ResponseEvent<A> event) {
            ((Snmp) event.getSource()).cancel(event.getRequest(), this);
            delayed.complete(event.getResponse());
          }
        });
    v2("hc", PDU.GET, SYS_UPTIME);
    // Order, not speed: another device answered while the delayed answer is still pending.
    assertFalse(delayed.isDone(), "another device answers meanwhile");
    assertNotNull(delayed.get(3, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300));
  }

  @Test
  void hostModelServesThisMachinesInterfaces() throws IOException {
    SimDevice d = sim.device("host");
    List<String> names = new ArrayList<>();
    for (int n = 0; n < d.interfaces(); n++) names.add(d.ifName(n));
    assertTrue(names.contains("lo"), names.toString());
    int lo = d.ifIndex(names.indexOf("lo"));
    PDU r = v2("host", PDU.GET, oid(IF_DESCR, lo), oid(IF_HIGH_SPEED, lo), oid(IF_HC_IN_OCTETS, lo));
    assertEquals("lo", r.get(0).getVariable().toString());
    assertEquals(10000, r.get(1).getVariable().toLong());
    Variable octets = r.get(2).getVariable();
    assertInstanceOf(Counter64.class, octets);
    assertTrue(octets.toLong() > 0, "loopback has carried our SNMP traffic");
    assertThrows(UnsupportedOperationException.class, () -> d.expectedBps(lo, true, 0, 1));
  }

  @Test
  void apiErrors() {
    assertThrows(IllegalArgumentException.class, () -> sim.port("nope"));
    assertThrows(IllegalArgumentException.class, () -> sim.device("nope"));
    assertThrows(IndexOutOfBoundsException.class, () -> sim.device("hc").ifIndex(6));
    assertEquals(10, sim.devices().size());
    assertThrows(IllegalArgumentException.class,
        () -> Simulator.start("127.0.0.1", 0, List.of(spec("x", "{\"model\":\"steady\"}"), spec("x", "{\"model\":\"sine\"}"))));
  }
}
