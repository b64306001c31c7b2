package io.ifpulse.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ifpulse.rate.Counter;
import io.ifpulse.rate.DeviceRateEngine;
import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls of a device whose agent does anything: counters that grow, stall, jump, go back, wrap,
 * flip between Counter32 and Counter64 or vanish; sysUpTime that restarts; speeds that change; any
 * time between replies. Whatever it does, a rate is a number the dashboard may show: never
 * negative, never infinite, never above the interface's speed × the plausibility factor (a gap
 * instead of a spike), and a gap says why and carries no number.
 */
@Unit
class RateEngineFuzzTest {
  private static final long[] SPEEDS = {0, 10_000_000L, 1_000_000_000L, 100_000_000_000L, 400_000_000_000L};
  private static final int[] WIDTHS = {0, 32, 64};

  public static void fuzzerTestOneInput(FuzzedDataProvider data) {
    double factor = data.consumeDouble();
    if (!(factor >= 1 && factor <= 100)) factor = 1.5;
    DeviceRateEngine engine = new DeviceRateEngine(factor, data.consumeLong(1, 120_000_000_000L));
    int interfaces = data.consumeInt(1, 4);
    Map<Integer, InterfaceReading> last = new HashMap<>();
    long now = data.consumeLong(0, Long.MAX_VALUE / 4);
    long upTime = data.consumeLong(0, 0xFFFF_FFFFL);
    int polls = data.consumeInt(1, 40);
    for (int p = 0; p < polls && data.remainingBytes() > 0; p++) {
      // Replies arrive in order on a monotonic clock: 0 to 10 minutes apart.
      long step = data.consumeLong(0, 600_000_000_000L);
      now += step;
      upTime = data.consumeInt(0, 15) == 0 ? data.consumeLong(0, 0xFFFF_FFFFL) : (upTime + step / 10_000_000L) & 0xFFFF_FFFFL;
      List<InterfaceReading> readings = new ArrayList<>();
      for (int ifIndex = 1; ifIndex <= interfaces; ifIndex++) {
        if (data.consumeInt(0, 9) == 0) continue; // not in this reply
        InterfaceReading before = last.get(ifIndex);
        long[] values = new long[Counter.COUNT];
        byte[] widths = new byte[Counter.COUNT];
        for (int c = 0; c < Counter.COUNT; c++) {
          int width = before == null || data.consumeInt(0, 15) == 0 ? data.pickValue(WIDTHS) : before.widths()[c];
          widths[c] = (byte) width;
          long previous = before == null ? 0 : before.values()[c];
          long v = switch (data.consumeInt(0, 3)) {
            case 0 -> previous; // the agent's cache did not refresh
            case 1, 2 -> previous + data.consumeLong(0, 1L << data.consumeInt(0, 62));
            default -> data.consumeLong();
          };
          values[c] = width == 32 ? v & 0xFFFF_FFFFL : v;
        }
        long speed = before == null || data.consumeInt(0, 7) == 0
            ? (data.consumeBoolean() ? data.pickValue(SPEEDS) : data.consumeLong(0, 1_000_000_000_000L)) : before.speedBps();
        long discontinuity = before == null ? (data.consumeBoolean() ? -1 : 0)
            : data.consumeInt(0, 15) == 0 ? data.consumeLong(-1, 0xFFFF_FFFFL) : before.discontinuity();
        InterfaceReading r = new InterfaceReading(ifIndex, values, widths, now, upTime, discontinuity, speed);
        readings.add(r);
        last.put(ifIndex, r);
      }
      List<InterfaceRate> rates = engine.update(readings);
      if (rates.size() != readings.size()) throw new AssertionError(readings.size() + " readings, " + rates.size() + " rates");
      for (int i = 0; i < rates.size(); i++) check(rates.get(i), readings.get(i), factor);
    }
  }

  private static void check(InterfaceRate rate, InterfaceReading r, double factor) {
    if (rate.ifIndex() != r.ifIndex()) throw new AssertionError("rate of " + rate.ifIndex() + " for reading of " + r.ifIndex());
    double[] all = {rate.inBps(), rate.outBps(), rate.inPps(), rate.outPps(), rate.inErrorsPs(), rate.outErrorsPs(),
        rate.inDiscardsPs(), rate.outDiscardsPs(), rate.inUtilPct(), rate.outUtilPct()};
    if (rate.state() == InterfaceRate.State.GAP) {
      if (rate.gap() == null) throw new AssertionError("a gap without a reason: " + rate);
      for (double v : all) if (!Double.isNaN(v)) throw new AssertionError("a gap carries a number: " + rate);
      return;
    }
    if (rate.intervalNanos() <= 0) throw new AssertionError("a rate over no time: " + rate);
    for (double v : all) {
      if (v < 0 || Double.isInfinite(v)) throw new AssertionError("an impossible rate " + v + ": " + rate);
    }
    // A measurement is held at most as it was made; the plausibility check applies where it is made.
    long speed = r.speedBps();
    if (rate.state() == InterfaceRate.State.OK && speed > 0) {
      double limit = speed * factor * (1 + 1e-9);
      if (rate.inBps() > limit || rate.outBps() > limit) throw new AssertionError("a spike above " + limit + " bit/s: " + rate);
    }
    if (rate.state() == InterfaceRate.State.OK && !Double.isNaN(rate.inBps())
        && rate.inBps() > 8.0 * Math.pow(2, 64) * 1e9 / rate.intervalNanos()) {
      throw new AssertionError("more than a Counter64 can count: " + rate);
    }
  }

  @FuzzTest
  void ratesStayPlausible(FuzzedDataProvider data) {
    fuzzerTestOneInput(data);
  }
}
