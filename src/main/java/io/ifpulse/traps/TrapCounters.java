package io.ifpulse.traps;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the receiver did with each datagram, as counters only: nothing from a refused sender is
 * kept, so a flood of them costs no memory. Read by {@code ifpulse.traps.stats} and /metrics
 * ({@code ifpulse_traps_total{outcome}}).
 */
public final class TrapCounters {
  /** Every outcome, in the order they are listed. */
  public enum Outcome {
    ACCEPTED("accepted"),
    RATE_LIMITED("rate-limited"),
    UNKNOWN_SOURCE("unknown-source"),
    AMBIGUOUS_SOURCE("ambiguous-source"),
    BAD_COMMUNITY("bad-community"),
    BAD_AUTH("bad-auth"),
    WRONG_VERSION("wrong-version"),
    NO_CREDENTIALS("no-credentials"),
    NOT_A_NOTIFICATION("not-a-notification");

    public final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final LongAdder[] counts = new LongAdder[Outcome.values().length];
  private final LongAdder informsAnswered = new LongAdder();

  public TrapCounters() {
    for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
  }

  void count(Outcome o) {
    counts[o.ordinal()].increment();
  }

  void informAnswered() {
    informsAnswered.increment();
  }

  public long get(Outcome o) {
    return counts[o.ordinal()].sum();
  }

  /** Outcome label → count, every outcome, for /metrics. */
  public java.util.Map<String, Long> snapshot() {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (Outcome o : Outcome.values()) out.put(o.label, get(o));
    return out;
  }

  public JsonObject toJson() {
    JsonObject outcomes = new JsonObject();
    for (Outcome o : Outcome.values()) outcomes.put(o.label, get(o));
    return new JsonObject().put("outcomes", outcomes).put("informsAnswered", informsAnswered.sum());
  }
}
