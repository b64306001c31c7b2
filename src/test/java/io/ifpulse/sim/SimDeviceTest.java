package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/** The device's values at chosen instants (no network, no waiting). */
@Unit
class SimDeviceTest {
  private static final long S = 1_000_000_000L;

  private static SimDevice device(String json) throws Exception {
    return new SimDevice(SimDeviceSpec.fromJson("t", "public", new JsonObject(json), "sim"), 0);
  }

  private static long start(SimDevice d) {
    return d.startNanos();
  }

  private static long get(SimDevice d, String oid, long asOf) {
    return d.get(new OID(oid).getValue(), d.view(asOf), false).toLong();
  }

  @Test
  void periodicRestartsResetUptimeCountersAndShiftIfIndex() throws Exception {
    SimDevice d = device("{\"model\":\"steady\",\"interfaces\":2,\"restartEverySeconds\":2}");
    long t0 = start(d);
    // 5.5 s: restarted at 2 s and 4 s (two restarts: numbering back to n + 1)
    assertEquals(150, get(d, "1.3.6.1.2.1.1.3.0", t0 + 55 * S / 10), 1);
    assertEquals(100e6 * 1.5 / 8, get(d, "1.3.6.1.2.1.31.1.1.1.6.1", t0 + 55 * S / 10), 2);
    // 3 s: one restart, numbering shifted to n + 2
    assertEquals(Null.noSuchInstance, d.get(new OID("1.3.6.1.2.1.31.1.1.1.6.1").getValue(), d.view(t0 + 3 * S), false));
    assertEquals(100e6 / 8, get(d, "1.3.6.1.2.1.31.1.1.1.6.2", t0 + 3 * S), 2);
    assertEquals(2, get(d, "1.3.6.1.2.1.2.2.1.1.2", t0 + 3 * S));
  }

  @Test
  void cacheFreezesCountersAtRefreshInstants() throws Exception {
    SimDevice d = device("{\"model\":\"steady\",\"interfaces\":1,\"cacheSeconds\":1}");
    long t0 = start(d);
    assertEquals(0, get(d, "1.3.6.1.2.1.31.1.1.1.6.1", t0 + S / 2));
    assertEquals(2 * 100e6 / 8, get(d, "1.3.6.1.2.1.31.1.1.1.6.1", t0 + 27 * S / 10), 2);
    assertEquals(2 * 100e6 / 8, get(d, "1.3.6.1.2.1.31.1.1.1.6.1", t0 + 29 * S / 10), 2);
    assertEquals(2 * 100e6 / 8 / 1000 * 0.06, get(d, "1.3.6.1.2.1.31.1.1.1.8.1", t0 + 29 * S / 10), 1);
    assertEquals(290, get(d, "1.3.6.1.2.1.1.3.0", t0 + 29 * S / 10), 1); // sysUpTime is not cached
  }

  @Test
  void counter32WrapsAndCounter64DoesNot() throws Exception {
    SimDevice d = device("{\"model\":\"steady\",\"interfaces\":1,\"speedMbps\":10000,\"rateMbps\":8000}");
    long t0 = start(d);
    long at = t0 + 10 * S; // 1e10 octets
    assertEquals(10_000_000_000L, get(d, "1.3.6.1.2.1.31.1.1.1.6.1", at), 2);
    assertEquals(10_000_000_000L % (1L << 32), get(d, "1.3.6.1.2.1.2.2.1.10.1", at), 2);
    // packets, errors and discards are floors of the closed form
    assertEquals(9_000_000, get(d, "1.3.6.1.2.1.2.2.1.11.1", at), 1);
    assertEquals(10, get(d, "1.3.6.1.2.1.2.2.1.14.1", at));
    assertEquals(50, get(d, "1.3.6.1.2.1.2.2.1.13.1", at));
  }

  @Test
  void getNextNavigation() throws Exception {
    SimDevice d = device("{\"model\":\"steady\",\"interfaces\":3}");
    SimDevice.View v = d.view(start(d) + S);
    assertEquals(new OID("1.3.6.1.2.1.1.1.0"), d.next(new OID("1.3").getValue(), v, false).getOid());
    assertEquals(new OID("1.3.6.1.2.1.1.1.0"), d.next(new OID("1.3.6.1.2.1.1.1").getValue(), v, false).getOid());
    assertEquals(new OID("1.3.6.1.2.1.1.2.0"), d.next(new OID("1.3.6.1.2.1.1.1.0").getValue(), v, false).getOid());
    assertEquals(new OID("1.3.6.1.2.1.1.5.0"), d.next(new OID("1.3.6.1.2.1.1.4").getValue(), v, false).getOid());
    assertEquals(new OID("1.3.6.1.2.1.2.2.1.10.3"), d.next(new OID("1.3.6.1.2.1.2.2.1.10.2.7").getValue(), v, false).getOid());
    assertEquals(new OID("1.3.6.1.2.1.2.2.1.5.1"), d.next(new OID("1.3.6.1.2.1.2.2.1.4.9").getValue(), v, false).getOid());
    assertEquals(new OID("1.3.6.1.2.1.2.2.1.11.1"), d.next(new OID("1.3.6.1.2.1.2.2.1.10.4294967295").getValue(), v, false).getOid());
    assertEquals(new OID("1.3.6.1.2.1.2.2.1.1.1"), d.next(new OID("1.3.6.1.2.1.2.1.0").getValue(), v, false).getOid());
    VariableBinding last = d.next(new OID("1.3.6.1.2.1.31.1.1.1.19.2").getValue(), v, false);
    assertEquals(new OID("1.3.6.1.2.1.31.1.1.1.19.3"), last.getOid());
    assertNull(d.next(last.getOid().getValue(), v, false));
    assertNull(d.next(new OID("1.3.6.1.2.1.32").getValue(), v, false));
    assertNull(d.next(new OID("2").getValue(), v, false));
    assertEquals(Null.noSuchObject, d.get(new OID("1.3.6.1.2.1.2.2.1.4.1").getValue(), v, false));
    assertEquals(Null.noSuchInstance, d.get(new OID("1.3.6.1.2.1.2.2.1.10").getValue(), v, false));
    assertEquals(Null.noSuchInstance, d.get(new OID("1.3.6.1.2.1.2.2.1.10.1.1").getValue(), v, false));
  }
}
