package io.ifpulse.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of log-worthy events by kind, for logging each kind once and then only a count: at most
 * {@value #MAX_KINDS} kinds are kept apart (a flood of distinct messages must not grow the map),
 * the rest share {@value #OTHER}. Safe from any thread.
 */
final class KindCounts {
  static final int MAX_KINDS = 100;
  static final String OTHER = "other kinds";

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  /** Count of each kind at the last {@link #summary}. */
  private final Map<String, Long> summarised = new ConcurrentHashMap<>();

  /**
   * Counts one event of {@code kind}. For the first of its kind (the one to log in full), the kind
   * it is counted under — itself, or {@value #OTHER} past the bound; null for the others.
   */
  String first(String kind) {
    AtomicLong c = counts.get(kind);
    if (c == null) {
      if (counts.size() >= MAX_KINDS) kind = OTHER;
      c = counts.computeIfAbsent(kind, k -> new AtomicLong());
    }
    return c.getAndIncrement() == 0 ? kind : null;
  }

  /**
   * One line per kind that came again since the last call ("{@code what}: 3,100 more ... since
   * the last minute's line (3,101 in all): kind"), and forgets those counts as summarised. The
   * first of each kind was logged in full, so it is not counted as more.
   */
  List<String> summary(String what) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, AtomicLong> e : counts.entrySet()) {
      long now = e.getValue().get();
      long before = summarised.getOrDefault(e.getKey(), 1L);
      if (now > before) {
        lines.add(String.format(Locale.ROOT, "%,d more %s since the last minute's line (%,d in all): %s", now - before, what, now,
            e.getKey()));
        summarised.put(e.getKey(), now);
      }
    }
    return lines;
  }
}
