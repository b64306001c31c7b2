package io.ifpulse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

/** Proves the real-agent fixtures work, with a real SNMP4J client, on 127.0.0.1 only. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class FixturesTest {

  private static final Duration T = Duration.ofSeconds(2);

  private Snmpd snmpd;
  private SnmpTestClient client;

  @BeforeAll
  void startSnmpd() {
    snmpd = Snmpd.start();
    client = SnmpTestClient.open();
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (snmpd != null) {
      snmpd.close();
    }
  }

  @Test
  void snmpdAnswersV2cSysUpTime() throws Exception {
    Map<OID, Variable> r = client.getV2c(snmpd.port(), Snmpd.COMMUNITY, T, Snmpd.SYS_UPTIME);
    assertTrue(r.get(new OID(Snmpd.SYS_UPTIME)) instanceof TimeTicks, r.toString());
  }

  @Test
  void snmpdServesTheHostsLoopbackInterface() throws Exception {
    // ifDescr of some interface must be "lo": walk-free check over the first few ifIndex values
    boolean found = false;
    for (int ifIndex = 1; ifIndex <= 3 && !found; ifIndex++) {
      try {
        Map<OID, Variable> r =
            client.getV2c(snmpd.port(), Snmpd.COMMUNITY, T, "1.3.6.1.2.1.2.2.1.2." + ifIndex);
        found = r.values().iterator().next().toString().equals("lo");
      } catch (java.io.IOException noSuchInstance) {
        // not this index
      }
    }
    assertTrue(found, "no ifDescr 'lo' among ifIndex 1..3");
  }

  @Test
  void snmpdAnswersV3AuthPrivSha256Aes() throws Exception {
    Map<OID, Variable> r =
        client.getV3(snmpd.port(), Snmpd.AUTH_PRIV_SHA256_AES, T, Snmpd.SYS_UPTIME);
    assertTrue(r.get(new OID(Snmpd.SYS_UPTIME)) instanceof TimeTicks, r.toString());
  }

  @Test
  void snmpdAnswersV3AuthNoPrivAndNoAuth() throws Exception {
    assertEquals(1, client.getV3(snmpd.port(), Snmpd.AUTH_NO_PRIV_SHA, T, Snmpd.SYS_UPTIME).size());
    assertEquals(1, client.getV3(snmpd.port(), Snmpd.NO_AUTH, T, Snmpd.SYS_UPTIME).size());
  }

  @Test
  void snmpdDesIsSupportedByThisBuild() {
    // Debian 12's net-snmp 5.9.3 still accepts DES; a build without it would make this fail,
    // and then the SHA+DES user has to be dropped from the suites that use it.
    assertTrue(snmpd.desSupported(), "this net-snmp build rejects DES:\n" + snmpd.log());
  }

  @Test
  void snmpdRejectsAWrongPassphrase() {
    SnmpTestClient.V3User wrong =
        new SnmpTestClient.V3User(
            Snmpd.SHA256_AES_USER,
            Snmpd.AUTH_PRIV_SHA256_AES.authProtocol(),
            "not-the-passphrase",
            Snmpd.AUTH_PRIV_SHA256_AES.privProtocol(),
            Snmpd.SHA256_AES_PRIV_PASSPHRASE);
    try (SnmpTestClient other = SnmpTestClient.open()) {
      other.getV3(snmpd.port(), wrong, Duration.ofMillis(500), Snmpd.SYS_UPTIME);
      throw new AssertionError("a wrong auth passphrase was accepted");
    } catch (java.io.IOException expected) {
      // report (wrongDigests) or timeout
    }
  }

  @Test
  void snmpsimReplaysTheCiscoRecording() throws Exception {
    try (Snmpsim sim = Snmpsim.start()) {
      Map<Integer, String> names = sim.ifNames();
      assertEquals("Fa3/0/1", names.get(11001)); // a 4x (hex) value in the recording
      assertEquals("Vl1", names.get(1)); // a plain (4) value
      assertEquals("FastEthernet3/0/1", sim.ifDescrs().get(11001));
      assertEquals(100L, sim.ifHighSpeeds().get(11003));
      assertEquals("", sim.ifAliases().get(11001));
      assertEquals(names.keySet(), sim.ifHighSpeeds().keySet());

      Map<OID, Variable> r =
          client.getV2c(
              sim.port(),
              sim.community(),
              T,
              Snmpsim.IF_NAME + ".11001",
              Snmpsim.IF_NAME + ".1",
              Snmpsim.IF_DESCR + ".11048",
              Snmpsim.IF_HIGH_SPEED + ".11003");
      assertEquals(names.get(11001), r.get(new OID(Snmpsim.IF_NAME + ".11001")).toString());
      assertEquals(names.get(1), r.get(new OID(Snmpsim.IF_NAME + ".1")).toString());
      assertEquals(
          sim.ifDescrs().get(11048), r.get(new OID(Snmpsim.IF_DESCR + ".11048")).toString());
      assertEquals(
          sim.ifHighSpeeds().get(11003),
          r.get(new OID(Snmpsim.IF_HIGH_SPEED + ".11003")).toLong());
    }
  }

  @Test
  void loopbackTrafficMovesLoCountersByTheExpectedAmount() throws Exception {
    Duration duration = Duration.ofSeconds(3);
    ProcNetDev.Counters before = ProcNetDev.read("lo");
    LoopbackTraffic traffic;
    try (LoopbackTraffic t = LoopbackTraffic.start(10_000_000L, 1000, duration)) {
      traffic = t;
      assertTrue(t.awaitFinished(Duration.ofSeconds(10)), "traffic did not stop by itself");
    }
    ProcNetDev.Counters delta = ProcNetDev.read("lo").minus(before);
    System.out.printf(
        "LoopbackTraffic: sent %d datagrams, %d bytes on wire in %s (%.0f bit/s); lo delta %s%n",
        traffic.datagramsSent(), traffic.bytesSentOnWire(), traffic.elapsed(),
        traffic.measuredWireBitsPerSecond(), delta);

    double expectedBytes = traffic.expectedLoBitsPerSecond() * duration.toNanos() / 1e9 / 8;
    assertEquals(10_000_000.0, traffic.expectedLoBitsPerSecond(), 1.0);
    assertEquals(traffic.datagramsPlanned(), traffic.datagramsSent(), "sender fell behind");
    assertEquals(expectedBytes, traffic.bytesSentOnWire(), expectedBytes * 0.01);
    assertEquals(expectedBytes, delta.rxBytes(), expectedBytes * 0.05, "lo rx: " + delta);
    assertEquals(expectedBytes, delta.txBytes(), expectedBytes * 0.05, "lo tx: " + delta);
    assertTrue(delta.rxBytes() >= traffic.bytesSentOnWire(), "lo rx below what we sent: " + delta);
    assertFalse(traffic.isRunning());
    double seconds = traffic.elapsed().toNanos() / 1e9;
    assertEquals(duration.toNanos() / 1e9, seconds, 0.25, "run length");
  }
}
