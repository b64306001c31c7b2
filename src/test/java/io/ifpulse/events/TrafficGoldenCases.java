package io.ifpulse.events;

import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.rate.InterfaceRate.Gap;
import io.ifpulse.rate.InterfaceRate.State;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of the golden samples in {@code traffic-golden.txt}: what the poller hands over for
 * one poll (the rates of the rate engine, the interface facts, the poll's figures), for every
 * state and gap, absent and non-finite values, and the rounding and number-format edges. The
 * file holds, line for line, the JSON these inputs were published as before samples were
 * records; {@link TrafficSampleJsonTest} holds the encoder to it byte for byte.
 */
final class TrafficGoldenCases {
  private TrafficGoldenCases() {}

  record Iface(int ifIndex, String name, String oper, long speedBps, InterfaceRate rate) {}

  record Case(String name, String device, long seq, long ts, double pollMs, long intervalMs, boolean reachable, List<Iface> interfaces) {}

  private static final double N = Double.NaN;

  private static InterfaceRate rate(int ifIndex, State state, long intervalNanos, double... r) {
    return new InterfaceRate(ifIndex, state, null, intervalNanos, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    out.add(new Case("one HC interface, every rate", "sim-steady", 4, 1_795_677_257_912L, 2.281_49, 1000, true, List.of(
        new Iface(1, "eth0", "up", 1_000_000_000L, rate(1, State.OK, 1_000_300_123L,
            100_021_998.94, 60_013_191.26, 12_502.2554, 7_502.7531, 0, 0, 0, 0, 10.002_199_89, 6.001_319_12)))));
    out.add(new Case("held", "cached", 9, 1_795_677_260_000L, 0.5, 1000, true, List.of(
        new Iface(3, "Gi0/3", "up", 100_000_000L, rate(3, State.HELD, 5_000_000_000L,
            1234.5, 0.04, 0.0004, 0.00049, 0.00005, 0.000149, 1e-9, 12.34567, 0.001_234_5, 98.765_45)))));
    List<Iface> gaps = new ArrayList<>();
    int k = 1;
    for (Gap g : Gap.values()) gaps.add(new Iface(k, "if" + k, k % 2 == 0 ? "down" : "up", k * 10_000_000L, InterfaceRate.gap(k++, g)));
    out.add(new Case("every gap", "gaps", 1, 1_795_677_000_001L, 12.0, 10_000, true, gaps));
    out.add(new Case("absent values: v1 agent, virtual interface, no speed", "v1", 17, 1_795_677_111_222L, 300.0004, 1000, true, List.of(
        new Iface(1, "lo", "up", 10_000_000L, rate(1, State.OK, 999_999_999L, 8_000.0, 8_000.0, 1.5, 1.5, 0, 0, 0, 0, N, N)),
        new Iface(2, "eth1", "up", 0, rate(2, State.OK, 1_000_000_000L, 5e6, 4e6, 120.0, N, N, 0.5, N, N, N, N)),
        new Iface(3, "eth2", "lowerLayerDown", -1, rate(3, State.OK, 1_000_000_000L, N, N, N, N, N, N, N, N, N, N)))));
    out.add(new Case("non-finite values are left out", "inf", 2, 1_795_677_111_223L, Double.POSITIVE_INFINITY, 1000, true, List.of(
        new Iface(1, "eth0", "up", 1_000_000_000L, rate(1, State.OK, 1_000_000_000L,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, N, 1.0, 2.0, 3.0, 4.0, 5.0, Double.MAX_VALUE, -0.0)))));
    out.add(new Case("number formats: large, tiny, negative zero, halves", "fmt", 123_456_789_012L, 1L, 0.0005, 3_600_000, true, List.of(
        new Iface(1, "te1", "up", 10_000_000_000L, rate(1, State.OK, 123_456_789_012_345L,
            9.999_999_95e9, 1.25e7, 0.0005, 0.0015, 2.5e-5, 0.000_35, 0.000_45, 1e15, 99.999_95, 100.000_05)),
        new Iface(2, "te2", "up", 100_000_000_000L, rate(2, State.OK, 1L,
            -0.0, 0.05, 0.15, 0.25, 1e-4, 9.999_95, 1e21, 1e-300, 4.9e-324, 1234567.89)))));
    out.add(new Case("names: quotes, escapes, non-ASCII, null", "names", 5, 1_795_677_111_224L, 1.0, 1000, true, List.of(
        new Iface(1, "Gi0/1 \"uplink\"\tä€😀\\", "up", 1_000_000L, InterfaceRate.gap(1, Gap.FIRST)),
        new Iface(2, null, "unknown", 1_000_000L, InterfaceRate.gap(2, Gap.NO_DATA)),
        new Iface(3, "ctl\u0001\u001f/x", "dormant", 1_000_000L, InterfaceRate.gap(3, Gap.NO_DATA)))));
    out.add(new Case("unreachable: no data anywhere", "silent", 6, 1_795_677_111_225L, 2000.0, 10_000, false, List.of(
        new Iface(1, "eth0", "unknown", 1_000_000_000L, InterfaceRate.gap(1, Gap.NO_DATA)),
        new Iface(2, "eth1", "unknown", 1_000_000_000L, InterfaceRate.gap(2, Gap.NO_DATA)))));
    out.add(new Case("no interfaces, NaN poll time", "empty", 7, 1_795_677_111_226L, Double.NaN, 1000, true, List.of()));
    List<Iface> many = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      double in = 1e6 * i + i / 7.0;
      many.add(new Iface(i, "port" + i, i % 9 == 0 ? "down" : "up", 1_000_000_000L, i % 11 == 0 ? InterfaceRate.gap(i, Gap.NO_DATA)
          : rate(i, i % 5 == 0 ? State.HELD : State.OK, 1_000_000_000L + i * 1_234_567L,
              in, in / 3, in / 8000, in / 24_000, i / 1e3, i / 1e4, i / 7e3, 0, in / 1e7, in / 3e7)));
    }
    out.add(new Case("fifty interfaces", "switch-48", 1234, 1_795_677_999_999L, 17.123_456, 1000, true, many));
    return out;
  }
}
