package io.ifpulse.events;

import io.ifpulse.rate.InterfaceRate;
import io.vertx.core.json.JsonObject;

/**
 * One interface of a {@link TrafficSample} (docs/EVENTS.md, "Each interface"). Values are what
 * the JSON carries, rounded as it rounds them, so a consumer in this process and one on another
 * node (which decodes the JSON) see the same numbers. A value the JSON leaves out is {@link
 * Double#NaN} here ({@code speedBps}: 0), never 0: absent means unknown.
 *
 * @param name ifName, else ifDescr; null if the agent gave neither
 * @param oper ifOperStatus as its MIB name ({@code up}, {@code down}, ...)
 * @param speedBps bit/s; 0 when unknown
 * @param gap why there is no rate; null unless {@code state} is {@link State#GAP}
 * @param intervalMs the real time the rates cover; NaN for a gap
 */
public record InterfaceSample(
    int ifIndex,
    String name,
    String oper,
    long speedBps,
    State state,
    Gap gap,
    double intervalMs,
    double inBps,
    double outBps,
    double inPps,
    double outPps,
    double inErrors,
    double outErrors,
    double inDiscards,
    double outDiscards,
    double inUtil,
    double outUtil) {

  public enum State {
    OK("ok"),
    HELD("held"),
    GAP("gap");

    public final String label;

    State(String label) {
      this.label = label;
    }

    static State of(InterfaceRate.State s) {
      // Exhaustive: a state the rate engine gains must be given a name in the contract here.
      return switch (s) {
        case OK -> OK;
        case HELD -> HELD;
        case GAP -> GAP;
      };
    }
  }

  public enum Gap {
    FIRST("first"),
    AGENT_RESTART("agent-restart"),
    COUNTER_RESET("counter-reset"),
    WIDTH_CHANGED("width-changed"),
    IMPLAUSIBLE("implausible"),
    AMBIGUOUS_WRAP("ambiguous-wrap"),
    NO_DATA("no-data");

    public final String label;

    Gap(String label) {
      this.label = label;
    }

    static Gap of(InterfaceRate.Gap g) {
      return switch (g) {
        case FIRST -> FIRST;
        case AGENT_RESTART -> AGENT_RESTART;
        case COUNTER_RESET -> COUNTER_RESET;
        case WIDTH_CHANGED -> WIDTH_CHANGED;
        case IMPLAUSIBLE -> IMPLAUSIBLE;
        case AMBIGUOUS_WRAP -> AMBIGUOUS_WRAP;
        case NO_DATA -> NO_DATA;
      };
    }
  }

  /** The ten rates, in the order the JSON lists them, with their keys and the decimals kept. */
  public enum Rate {
    IN_BPS("inBps", 1),
    OUT_BPS("outBps", 1),
    IN_PPS("inPps", 3),
    OUT_PPS("outPps", 3),
    IN_ERRORS("inErrors", 4),
    OUT_ERRORS("outErrors", 4),
    IN_DISCARDS("inDiscards", 4),
    OUT_DISCARDS("outDiscards", 4),
    IN_UTIL("inUtil", 4),
    OUT_UTIL("outUtil", 4);

    /** Built once: {@link #values()} makes a new array at every call. */
    public static final Rate[] ALL = values();

    public final String key;
    final int decimals;

    Rate(String key, int decimals) {
      this.key = key;
      this.decimals = decimals;
    }

    /** This rate of {@code s}; NaN when absent. */
    public double of(InterfaceSample s) {
      return switch (this) {
        case IN_BPS -> s.inBps;
        case OUT_BPS -> s.outBps;
        case IN_PPS -> s.inPps;
        case OUT_PPS -> s.outPps;
        case IN_ERRORS -> s.inErrors;
        case OUT_ERRORS -> s.outErrors;
        case IN_DISCARDS -> s.inDiscards;
        case OUT_DISCARDS -> s.outDiscards;
        case IN_UTIL -> s.inUtil;
        case OUT_UTIL -> s.outUtil;
      };
    }
  }

  private static final double NONE = Double.NaN;
  private static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /**
   * The entry of one interface in a sample, from the rate engine's conclusion: rounded as
   * published (bit/s to 0.1, packets/s to 0.001, the rest to 0.0001, intervals to 1 µs), with
   * non-finite values and every rate of a gap absent.
   */
  /** The same sample with another ifOperStatus: what a notification said, ahead of the agent's tables. */
  public InterfaceSample withOper(String operStatus) {
    return new InterfaceSample(ifIndex, name, operStatus, speedBps, state, gap, intervalMs, inBps, outBps, inPps, outPps, inErrors,
        outErrors, inDiscards, outDiscards, inUtil, outUtil);
  }

  public static InterfaceSample of(int ifIndex, String name, String oper, long speedBps, InterfaceRate r) {
    long speed = Math.max(0, speedBps);
    if (r.state() == InterfaceRate.State.GAP) {
      return new InterfaceSample(ifIndex, name, oper, speed, State.GAP, Gap.of(r.gap()), NONE, NONE, NONE, NONE, NONE, NONE, NONE,
          NONE, NONE, NONE, NONE);
    }
    return new InterfaceSample(ifIndex, name, oper, speed, State.of(r.state()), null, round(r.intervalNanos() / 1e6, 3),
        rate(r.inBps(), 1), rate(r.outBps(), 1), rate(r.inPps(), 3), rate(r.outPps(), 3), rate(r.inErrorsPs(), 4),
        rate(r.outErrorsPs(), 4), rate(r.inDiscardsPs(), 4), rate(r.outDiscardsPs(), 4), rate(r.inUtilPct(), 4),
        rate(r.outUtilPct(), 4));
  }

  /** Whether the JSON has {@code rate} for this interface. */
  public boolean has(Rate rate) {
    return !Double.isNaN(rate.of(this));
  }

  public boolean isGap() {
    return state == State.GAP;
  }

  /** As JSON (docs/EVENTS.md), by the one encoder: {@link EventJson}. */
  public JsonObject toJson() {
    return EventJson.toJson(this);
  }

  private static double rate(double v, int decimals) {
    return Double.isFinite(v) ? round(v, decimals) : NONE;
  }

  /** Rounded half up, as the JSON has always had it (a huge value saturates rather than overflows). */
  static double round(double v, int decimals) {
    double f = POW10[decimals];
    return Math.round(v * f) / f;
  }
}
