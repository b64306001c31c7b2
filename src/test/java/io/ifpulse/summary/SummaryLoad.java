package io.ifpulse.summary;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;

/**
 * The summary's own work at fleet scale, in one process and on one thread, without polling: what
 * the history and the web side do for it each second, timed in thread CPU. DEVICES devices of
 * INTERFACES interfaces each, sampled every INTERVAL_S seconds (a tenth of them at 10 s), each
 * sample moving every interface's rate by a few per cent; per second: the sampled devices' entries
 * made again, the tick, the message for every device (one encoding, whatever the number of browsers
 * of that scope) and for a scope of half the devices (its fleet and top lists made over them).
 *
 * <pre>java -cp ... io.ifpulse.summary.SummaryLoad [DEVICES 5000] [INTERFACES 48] [INTERVAL_S 10] [SECONDS 30]</pre>
 *
 * A measurement, not a test: docs/BENCHMARKS.md, scenario 7.
 */
public final class SummaryLoad {
  private SummaryLoad() {}

  public static void main(String[] args) {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int ifs = args.length > 1 ? Integer.parseInt(args[1]) : 48;
    int intervalS = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int seconds = Math.min(600, args.length > 3 ? Integer.parseInt(args[3]) : 30);
    java.util.Random random = new java.util.Random(42);
    double[][] in = new double[devices][ifs];
    double[][] out = new double[devices][ifs];
    for (int d = 0; d < devices; d++) {
      for (int k = 0; k < ifs; k++) {
        in[d][k] = 1e6 + random.nextDouble() * 5e8;
        out[d][k] = 1e6 + random.nextDouble() * 5e8;
      }
    }
    String[] names = new String[ifs];
    for (int k = 0; k < ifs; k++) names[k] = "ge-0/0/" + k;
    String[] ids = new String[devices];
    List<List<String>> tags = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      ids[d] = String.format("dev-%04d", d);
      tags.add(List.of(d % 2 == 0 ? "even" : "odd"));
    }
    DeviceEntry[] entries = new DeviceEntry[devices];
    SummaryBuilder builder = new SummaryBuilder("load");
    ScopedSummary all = new ScopedSummary(null);
    BiPredicate<String, List<String>> even = (id, t) -> t.contains("even");
    ScopedSummary half = new ScopedSummary(even);
    long makeNs = 0;
    long tickNs = 0;
    long allNs = 0;
    long halfNs = 0;
    long allBytes = 0;
    long halfBytes = 0;
    int measured = 0;
    int warm = Math.min(seconds / 2, 20);
    for (int s = -warm; s < seconds; s++) {
      long t0 = SummaryCost.now();
      for (int d = 0; d < devices; d++) {
        if (entries[d] != null && d % intervalS != Math.floorMod(s, intervalS)) continue; // sampled this second?
        double[] ri = in[d];
        double[] ro = out[d];
        for (int k = 0; k < ifs; k++) {
          ri[k] *= 0.97 + random.nextDouble() * 0.06;
          ro[k] *= 0.97 + random.nextDouble() * 0.06;
        }
        entries[d] = DeviceSummaries.of(ids[d], "10.0." + d / 250 + "." + d % 250, tags.get(d), DeviceState.UP, columns(names, ri, ro),
            ifs, 1_800_000_000_000L + s * 1000L, 0, 0, ids[d]);
      }
      long t1 = SummaryCost.now();
      SummaryTick tick = builder.tick(1_800_000_000_000L + s * 1000L, List.of(entries));
      long t2 = SummaryCost.now();
      Buffer a = envelope(all.message(tick));
      long t3 = SummaryCost.now();
      Buffer h = envelope(half.message(tick));
      long t4 = SummaryCost.now();
      if (s >= 0) {
        measured++;
        makeNs += t1 - t0;
        tickNs += t2 - t1;
        allNs += t3 - t2;
        halfNs += t4 - t3;
        allBytes += a.length();
        halfBytes += h.length();
      }
    }
    double build = (makeNs + tickNs) / 1e9 / measured;
    System.out.printf(Locale.ROOT, "%d devices x %d interfaces, sampled every %d s, %d s measured after %d s of warm-up%n", devices, ifs,
        intervalS, measured, warm);
    System.out.printf(Locale.ROOT, "build (history): %.4f cores = entries %.4f + tick %.4f%n", build, makeNs / 1e9 / measured,
        tickNs / 1e9 / measured);
    System.out.printf(Locale.ROOT, "deliver, every device: %.4f cores to cut and encode, %,d bytes/s per browser%n", allNs / 1e9 / measured,
        allBytes / measured);
    System.out.printf(Locale.ROOT, "deliver, half the devices: %.4f cores, %,d bytes/s per browser%n", halfNs / 1e9 / measured,
        halfBytes / measured);
    System.out.println(new JsonObject().put("devices", devices).put("interfaces", ifs).put("intervalS", intervalS).put("seconds", measured)
        .put("buildCores", build).put("entriesCores", makeNs / 1e9 / measured).put("tickCores", tickNs / 1e9 / measured)
        .put("deliverAllCores", allNs / 1e9 / measured).put("bytesPerSecondAll", allBytes / measured)
        .put("deliverHalfCores", halfNs / 1e9 / measured).put("bytesPerSecondHalf", halfBytes / measured).encode());
  }

  private static Buffer envelope(JsonObject body) {
    return new JsonObject().put("type", "rec").put("address", "ifpulse.summary").put("body", body).toBuffer();
  }

  private static InterfaceColumns columns(String[] names, double[] in, double[] out) {
    return new InterfaceColumns() {
      public int size() { return names.length; }
      public int ifIndex(int k) { return k + 1; }
      public String name(int k) { return names[k]; }
      public String oper(int k) { return "up"; }
      public double inBps(int k) { return in[k]; }
      public double outBps(int k) { return out[k]; }
      public double inUtil(int k) { return in[k] / 1e7; }
      public double outUtil(int k) { return out[k] / 1e7; }
    };
  }
}
