package io.ifpulse.events;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One poll of one device, as published on {@code ifpulse.traffic.<deviceId>} (docs/EVENTS.md).
 *
 * <p>The hub publishes this record itself: every consumer in the process receives the one
 * object (see {@link EventCodecs}), and other nodes and browsers receive its JSON, which they
 * decode back into an equal record ({@link EventJson}). It is never changed after publication.
 *
 * @param seq 1, 2, 3 … per device since this node started polling it
 * @param ts when the agent read its counters, epoch milliseconds
 * @param pollMs first request to last reply, to 1 µs
 * @param intervalMs the interval the device is polled at now (base, or live while watched)
 * @param reachable false when no request of the poll was answered
 * @param interfaces every polled interface, in the device's order; unmodifiable
 */
public record TrafficSample(String device, long seq, long ts, double pollMs, long intervalMs, boolean reachable,
    List<InterfaceSample> interfaces) {

  public TrafficSample {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(interfaces, "interfaces");
  }

  /**
   * A sample as the poller publishes it: {@code pollMs} rounded to 1 µs as the JSON has it (NaN,
   * for a poll that took no measurable time, as 0).
   *
   * @param interfaces unmodifiable, and not changed afterwards
   */
  public static TrafficSample of(String device, long seq, long ts, double pollMs, long intervalMs, boolean reachable,
      List<InterfaceSample> interfaces) {
    return new TrafficSample(device, seq, ts, InterfaceSample.round(pollMs, 3), intervalMs, reachable, interfaces);
  }

  /** As JSON (docs/EVENTS.md), by the one encoder: {@link EventJson}. */
  public JsonObject toJson() {
    return EventJson.toJson(this);
  }

  /** From the documented JSON, by the one decoder: {@link EventJson}. */
  public static TrafficSample fromJson(JsonObject json) {
    return EventJson.traffic(json);
  }
}
