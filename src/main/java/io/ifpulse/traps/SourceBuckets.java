package io.ifpulse.traps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address, so that one device (or one address that pretends to be
 * many datagrams) cannot take the receiver from the others: {@code perSecond} datagrams a second
 * with bursts of {@code burst}. At most {@code maxSources} buckets are kept; the least recently
 * used is forgotten first (a forgotten source starts again with a full bucket, which costs at most
 * one burst). Not thread-safe: the receiver's one socket thread is its only user.
 */
final class SourceBuckets {
  private final double perNano;
  private final double burst;
  private final int maxSources;
  private final LongSupplier nanos;
  private final Map<String, double[]> buckets;

  SourceBuckets(double perSecond, int burst, int maxSources, LongSupplier nanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.maxSources = maxSources;
    this.nanos = nanos;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
        return size() > SourceBuckets.this.maxSources;
      }
    };
  }

  /** Whether one more datagram from {@code source} is allowed now (and takes its token if so). */
  boolean take(String source) {
    long now = nanos.getAsLong();
    double[] b = buckets.get(source); // {tokens, last refill (ns) as a double}
    if (b == null) {
      buckets.put(source, new double[] {burst - 1, now});
      return true;
    }
    double tokens = Math.min(burst, b[0] + (now - (long) b[1]) * perNano);
    b[1] = now;
    if (tokens < 1) {
      b[0] = tokens;
      return false;
    }
    b[0] = tokens - 1;
    return true;
  }

  int size() {
    return buckets.size();
  }
}
