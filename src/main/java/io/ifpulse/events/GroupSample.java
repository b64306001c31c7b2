package io.ifpulse.events;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One second of an interface group, as published on {@code ifpulse.group.<name>}
 * (docs/EVENTS.md): the sums over its members' rates, integrated over the same window. Values are
 * rounded as the JSON has them; a value the JSON leaves out is NaN here, never 0.
 *
 * @param seq 1, 2, 3 … per group since this node started computing it
 * @param ts the end of the window, epoch milliseconds
 * @param windowMs the window's length (its start is {@code ts - windowMs})
 * @param lagMs how far behind the node's clock the window ended when it was computed
 * @param members interfaces in the group now
 * @param missing the members whose rates do not cover the window (and the devices named by a rule
 *     whose interfaces are not known yet), as {@code device/name}: their share is not in the
 *     totals; empty when the sample is complete
 * @param speedBps the summed speed of the members counted (0 when any of them has none)
 * @param inUtil the counted members' summed in-rate over their summed speed, %; NaN without a speed
 * @param stack each counted member's in and out bit/s, in the order of {@code members}
 */
public record GroupSample(String group, long seq, long ts, long windowMs, long lagMs, int members, List<String> missing,
    double inBps, double outBps, double inPps, double outPps, double inErrors, double outErrors, double inDiscards,
    double outDiscards, long speedBps, double inUtil, double outUtil, List<Member> stack) {

  public GroupSample {
    Objects.requireNonNull(group, "group");
    missing = List.copyOf(missing);
    stack = List.copyOf(stack);
  }

  /** Whether some member's share is missing from the totals. */
  public boolean partial() {
    return !missing.isEmpty();
  }

  /** One counted member's part of the total, for the stacked chart. */
  public record Member(String device, int ifIndex, String name, double inBps, double outBps) {}

  /** A sample with its values rounded as the JSON has them (as an interface's: bit/s to 0.1, packets/s to 0.001, the rest to 0.0001). */
  public static GroupSample of(String group, long seq, long ts, long windowMs, long lagMs, int members, List<String> missing,
      double[] rates, long speedBps, double inUtil, double outUtil, List<Member> stack) {
    return new GroupSample(group, seq, ts, windowMs, lagMs, members, missing, r(rates[0], 1), r(rates[1], 1), r(rates[2], 3),
        r(rates[3], 3), r(rates[4], 4), r(rates[5], 4), r(rates[6], 4), r(rates[7], 4), speedBps, r(inUtil, 4), r(outUtil, 4),
        stack.stream().map(m -> new Member(m.device(), m.ifIndex(), m.name(), r(m.inBps(), 1), r(m.outBps(), 1))).toList());
  }

  private static double r(double v, int decimals) {
    return Double.isFinite(v) ? InterfaceSample.round(v, decimals) : Double.NaN;
  }

  /** As JSON (docs/EVENTS.md), by the one encoder: {@link EventJson}. */
  public JsonObject toJson() {
    return EventJson.toJson(this);
  }

  /** From the documented JSON, by the one decoder: {@link EventJson}. */
  public static GroupSample fromJson(JsonObject json) {
    return EventJson.group(json);
  }
}
