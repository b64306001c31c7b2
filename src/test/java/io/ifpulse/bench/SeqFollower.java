package io.ifpulse.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Follows each device's sample numbers for the soak's checker (see {@link SoakChecker}): each
 * device keeps a few runs of numbers, and a sample continues the run just below it; one lower than
 * every run starts a new run (a node that polls the device afresh), one equal to a run's last is a
 * duplicate. A number counted missing that arrives after all (the old owner's last sample
 * overtaken by the new owner's first, which come over different nodes' connections) is taken back
 * from the gaps and counted late. One thread at a time.
 */
final class SeqFollower {
  private static final int RUNS = 3;
  /** The most numbers a device keeps owed: a longer gap is a loss, not a sample overtaken. */
  static final int OWED_MAX = 64;

  /** Per device: the last number of each run (0 = empty). */
  private final Map<String, long[]> runs = new HashMap<>();
  /** Per device: numbers counted missing that may still arrive, and whether they were counted in a kill window. */
  private final Map<String, Map<Long, Boolean>> owed = new HashMap<>();
  private final Set<String> gapDevices = ConcurrentHashMap.newKeySet();
  final AtomicLong gaps = new AtomicLong();
  final AtomicLong gapsAtKill = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong late = new AtomicLong();

  /** @param atKill whether now is in a kill window (asked only when numbers are missing) */
  void take(String device, long seq, BooleanSupplier atKill) {
    Map<Long, Boolean> o = owed.get(device);
    Boolean owedAtKill = o == null ? null : o.remove(seq);
    if (owedAtKill != null) {
      (owedAtKill ? gapsAtKill : gaps).decrementAndGet();
      late.incrementAndGet();
      return;
    }
    long[] r = runs.computeIfAbsent(device, k -> new long[RUNS]);
    int below = -1;
    for (int i = 0; i < RUNS; i++) {
      if (r[i] == seq && seq != 0) {
        duplicates.incrementAndGet();
        return;
      }
      if (r[i] != 0 && r[i] < seq && (below < 0 || r[i] > r[below])) below = i;
    }
    if (below < 0) {
      // Lower than every run: a node polling it afresh. Replace the empty or lowest run.
      int slot = 0;
      for (int i = 1; i < RUNS; i++) if (r[i] < r[slot]) slot = i;
      r[slot] = seq;
      return;
    }
    long missing = seq - r[below] - 1;
    r[below] = seq;
    if (missing > 0) {
      gapDevices.add(device);
      boolean inKillWindow = atKill.getAsBoolean();
      (inKillWindow ? gapsAtKill : gaps).addAndGet(missing);
      if (missing <= OWED_MAX) {
        Map<Long, Boolean> m = owed.computeIfAbsent(device, k -> new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > OWED_MAX;
          }
        });
        for (long n = seq - missing; n < seq; n++) m.put(n, inKillWindow);
      }
      Soak.say("checking client: " + device + " skipped " + missing + " sample(s) before seq " + seq);
    }
  }

  Set<String> gapDevices() {
    return Set.copyOf(gapDevices);
  }
}
