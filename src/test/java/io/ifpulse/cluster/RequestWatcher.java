package io.ifpulse.cluster;

import io.ifpulse.sim.SimDevice;
import io.ifpulse.sim.Simulator;
import io.ifpulse.time.MonotonicClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agents' side of the story: one thread reads every simulated device's request counter every
 * 50 ms and keeps, per device, the moments it grew (and by how much). That is the ground truth for
 * "polled", "polled again after a failover" and "polled by two nodes": the agent counts every PDU,
 * whoever sent it.
 *
 * <p>Times are {@link MonotonicClock} epoch milliseconds, comparable with sample {@code ts} and
 * with {@link ClusterNodes#kill9}. Resolution is the 50 ms period: requests that arrive within one
 * period share its time.
 */
final class RequestWatcher implements AutoCloseable {
  static final long PERIOD_MS = 50;
  /** An upper bound on any test's life: the thread ends by itself after it. */
  private static final long MAX_LIFE_MS = TimeUnit.MINUTES.toMillis(15);

  /** Requests seen at one look: {@code count} new requests by {@code atMs}. */
  record Step(double atMs, long count) {}

  private final Map<String, SimDevice> devices = new LinkedHashMap<>();
  private final Map<String, List<Step>> steps = new LinkedHashMap<>();
  private final Map<String, long[]> last = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean stop;

  RequestWatcher(Simulator sim) {
    for (SimDevice d : sim.devices()) {
      String id = d.spec().id();
      devices.put(id, d);
      steps.put(id, new ArrayList<>());
      last.put(id, new long[] {d.requests()});
    }
    thread = new Thread(this::run, "request-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_LIFE_MS);
    long next = System.nanoTime();
    while (!stop && System.nanoTime() < end) {
      double now = MonotonicClock.nowEpochMillis();
      for (Map.Entry<String, SimDevice> e : devices.entrySet()) {
        long c = e.getValue().requests();
        long[] l = last.get(e.getKey());
        if (c != l[0]) {
          List<Step> s = steps.get(e.getKey());
          synchronized (s) {
            s.add(new Step(now, c - l[0]));
          }
          l[0] = c;
        }
      }
      next += TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime();
      }
    }
  }

  private List<Step> steps(String id) {
    List<Step> s = steps.get(id);
    if (s == null) throw new IllegalArgumentException("no simulated device " + id);
    synchronized (s) {
      return new ArrayList<>(s);
    }
  }

  /** Every request's time, one entry per request, oldest first. */
  List<Double> times(String id) {
    List<Double> out = new ArrayList<>();
    for (Step s : steps(id)) for (long i = 0; i < s.count(); i++) out.add(s.atMs());
    return out;
  }

  /** Requests with time in (fromMs, toMs]. */
  long count(String id, double fromMs, double toMs) {
    long n = 0;
    for (Step s : steps(id)) if (s.atMs() > fromMs && s.atMs() <= toMs) n += s.count();
    return n;
  }

  /** The first request after {@code ms}, or NaN. */
  double firstAfter(String id, double ms) {
    for (Step s : steps(id)) if (s.atMs() > ms) return s.atMs();
    return Double.NaN;
  }

  /** The last request at or before {@code ms}, or NaN. */
  double lastBefore(String id, double ms) {
    double out = Double.NaN;
    for (Step s : steps(id)) {
      if (s.atMs() > ms) break;
      out = s.atMs();
    }
    return out;
  }

  /** The first request the device ever got, or NaN. */
  double first(String id) {
    return firstAfter(id, Double.NEGATIVE_INFINITY);
  }

  /**
   * The longest time without a request within [fromMs, toMs], counting from the last request
   * before the window (if any) to the first after it (or the window's end).
   */
  double maxSilence(String id, double fromMs, double toMs) {
    double prev = lastBefore(id, fromMs);
    if (Double.isNaN(prev)) prev = fromMs;
    double worst = 0;
    for (Step s : steps(id)) {
      if (s.atMs() <= fromMs) continue;
      if (s.atMs() > toMs) {
        worst = Math.max(worst, s.atMs() - prev);
        return worst;
      }
      worst = Math.max(worst, s.atMs() - prev);
      prev = s.atMs();
    }
    return Math.max(worst, toMs - prev);
  }

  /**
   * Requests in (fromMs, toMs] that came less than {@code spacingMs} after the previous request:
   * with one poller at interval I, polls are I apart, so with spacing I/2 these are the requests of
   * a discovery (a burst) or of a second poller.
   */
  long close(String id, double fromMs, double toMs, double spacingMs) {
    double prev = Double.NEGATIVE_INFINITY;
    long n = 0;
    for (Double t : times(id)) {
      if (t > toMs) break;
      if (t > fromMs && t - prev < spacingMs) n++;
      prev = t;
    }
    return n;
  }

  /**
   * Requests in (fromMs, toMs] beyond what one poller at {@code intervalMs} sends: "close"
   * requests (less than half an interval after the previous one). For a device that changed
   * owners, the new owner may start it the way a node starts a device — discovery, then polls on
   * its grid — so the close requests of the device's own start (its first interval and a half)
   * are allowed once more.
   */
  long duplicates(String id, double fromMs, double toMs, double intervalMs, boolean moved) {
    long extra = close(id, fromMs, toMs, intervalMs / 2);
    if (!moved) return extra;
    double f = first(id);
    long startup = Double.isNaN(f) ? 0 : close(id, f - 1, f + 1.25 * intervalMs, intervalMs / 2);
    return Math.max(0, extra - startup);
  }

  /** Requests within {@code spanMs} of the device's first request: its start-up discovery burst. */
  long initialBurst(String id, double spanMs) {
    double f = first(id);
    if (Double.isNaN(f)) return 0;
    return count(id, f - 1, f + spanMs);
  }

  /** The request times in [fromMs, toMs] as offsets from {@code originMs}, e.g. "[-1999, +1, +2001]". */
  String timeline(String id, double originMs, double fromMs, double toMs) {
    StringBuilder b = new StringBuilder(id).append(" [");
    String sep = "";
    for (Double t : times(id)) {
      if (t < fromMs || t > toMs) continue;
      b.append(sep).append(String.format("%+.0f", t - originMs));
      sep = ", ";
    }
    return b.append("]").toString();
  }

  long total(String id) {
    return devices.get(id).requests();
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
