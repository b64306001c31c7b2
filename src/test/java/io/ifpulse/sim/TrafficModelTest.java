package io.ifpulse.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The closed-form traffic of the simulator: per-interface means, caps, bursts, and the integral. */
@Unit
class TrafficModelTest {
  private static SimDeviceSpec parse(String json) {
    return SimDeviceSpec.fromJson("d", "public", new JsonObject(json), "sim");
  }

  @Test
  void ratesPerInterfaceAreCappedBelowSpeed() {
    SimDeviceSpec s = parse("{\"model\":\"steady\",\"interfaces\":8,\"speedMbps\":1000,\"rateMbps\":600}");
    TrafficModel m = new TrafficModel(s, 8, new long[] {1_000_000_000L, 1_000_000_000L, 1_000_000_000L,
        1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L});
    assertEquals(600e6, m.meanBps(0, true));
    assertEquals(750e6, m.meanBps(1, true));
    assertEquals(900e6, m.meanBps(2, true));
    assertEquals(950e6, m.meanBps(3, true), 1e-3);
    assertEquals(0.6 * 950e6, m.meanBps(7, false), 1e-3);
    // bursts: the peak (mean / duty) stays under 0.95 x speed
    SimDeviceSpec b = parse("{\"model\":\"bursts\",\"interfaces\":1,\"speedMbps\":1000,\"rateMbps\":600,\"amplitude\":0.5}");
    TrafficModel mb = new TrafficModel(b, 1, new long[] {1_000_000_000L});
    assertEquals(475e6, mb.meanBps(0, true), 1e-3);
    assertEquals(950e6, mb.rateAt(0, true, 0.1), 1e-3);
    assertEquals(0, mb.rateAt(0, true, 6), 1e-3);
    // closed form = integral: a whole burst period carries mean x period
    assertEquals(475e6 * 10, mb.bits(0, true, 10), 1);
    assertEquals(475e6 * 10, mb.bits(0, true, 7.3) - mb.bits(0, true, -2.7), 1);
  }

  @Test
  void sineIntegralMatchesNumericIntegration() {
    SimDeviceSpec s = parse("{\"model\":\"sine\",\"interfaces\":2,\"periodSeconds\":7,\"amplitude\":0.8}");
    TrafficModel m = new TrafficModel(s, 2, new long[] {1_000_000_000L, 1_000_000_000L});
    double a = 1.3, b = 9.1, sum = 0;
    int steps = 200_000;
    for (int i = 0; i < steps; i++) sum += m.rateAt(1, false, a + (i + 0.5) * (b - a) / steps) * (b - a) / steps;
    assertEquals(sum, m.bits(1, false, b) - m.bits(1, false, a), sum * 1e-9);
  }}
