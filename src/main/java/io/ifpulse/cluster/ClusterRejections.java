package io.ifpulse.cluster;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Shared-map entries this node refused, by map and reason, for /metrics and the log: a member
 * without the cluster key writing to the maps shows up here.
 */
public final class ClusterRejections {
  private static final Logger LOG = Logger.getLogger(ClusterRejections.class.getName());
  private static final long LOG_EVERY_MS = 60_000;

  public enum Reason {
    /** Not an entry of ours at all. */
    MALFORMED,
    /** Not sealed under this cluster's key. */
    BAD_MAC,
    /** Sealed, but older than an entry already seen for its key. */
    REPLAY;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

  void count(String map, Reason reason) {
    String k = map + "\0" + reason.label();
    counts.computeIfAbsent(k, x -> new LongAdder()).increment();
    long now = System.currentTimeMillis();
    Long last = lastLogged.get(k);
    if (last == null || now - last > LOG_EVERY_MS) {
      lastLogged.put(k, now);
      LOG.warning("ignored an entry of " + map + ": " + reason.label()
          + " (written by something without this cluster's key, or an old one written back); counted in /metrics");
    }
  }

  /** "map\0reason" → count, in order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long get(String map, Reason reason) {
    LongAdder a = counts.get(map + "\0" + reason.label());
    return a == null ? 0 : a.sum();
  }
}
