package io.ifpulse.poll;

import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.rate.Counter;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.snmp.AgentStats;
import io.ifpulse.snmp.ReplyDecoder;
import io.ifpulse.snmp.SnmpClient;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the poller tells about one device besides its samples: the statistics of its polls
 * (docs/EVENTS.md, "Poll statistics") and the raw counters of its last poll, for exporters that
 * compute rates themselves; it also feeds the poller's timing histograms. Confined to the poller's
 * event loop.
 */
final class PollStats {
  private final PollTiming timing;
  private long polls;
  private long overruns;
  private double lastPollMs = Double.NaN;
  private List<InterfaceReading> lastReadings = List.of();
  /** Interface samples published as gaps, by reason (InterfaceSample.Gap ordinal). */
  private final long[] gaps = new long[GAPS.length];
  private static final InterfaceSample.Gap[] GAPS = InterfaceSample.Gap.values();

  /** @param timing the histograms of every device of the poller */
  PollStats(PollTiming timing) {
    this.timing = timing;
  }

  /** @param latenessNanos how long after its slot the poll started */
  /** A poll a notification asked for, off the schedule: it has no lateness to count. */
  void pollStartedOffSchedule() {
    polls++;
  }

  void pollStarted(long latenessNanos) {
    polls++;
    // Timers fire on whole milliseconds: up to 1 ms of lateness is the timer's grain, not a delay.
    timing.pollStarted(latenessNanos);
  }

  /** A tick found the last poll (or a discovery) still running, and was skipped. */
  void overrun() {
    overruns++;
  }

  /** @param readings the poll's readings; a poll that got none leaves the last ones in place */
  void pollFinished(long tookNanos, List<InterfaceReading> readings) {
    timing.pollFinished(tookNanos);
    lastPollMs = tookNanos / 1e6;
    if (!readings.isEmpty()) lastReadings = readings;
  }

  /** Counts the gaps among a poll's published interface samples, so each spell of no data has a reason on record. */
  void published(List<InterfaceSample> entries) {
    for (InterfaceSample e : entries) {
      if (e.gap() != null) gaps[e.gap().ordinal()]++;
    }
  }

  double lastPollMs() {
    return lastPollMs;
  }

  /** @param agent null while the agent is not registered */
  JsonObject toJson(SnmpClient.Agent agent, RequestPlanner planner, ReplyDecoder decoder, long intervalMs) {
    JsonObject j = (agent == null ? new AgentStats() : agent.stats()).toJson()
        .put("polls", polls)
        .put("overruns", overruns)
        .put("interfaces", planner.interfaces().size())
        .put("requestsPerPoll", planner.requestsPerPoll())
        .put("pduShrinks", planner.shrinks())
        .put("intervalMs", intervalMs);
    if (!Double.isNaN(lastPollMs)) j.put("lastPollMs", Math.round(lastPollMs * 1000) / 1000.0);
    JsonObject g = new JsonObject();
    for (InterfaceSample.Gap k : GAPS) g.put(k.label, gaps[k.ordinal()]);
    return j.put("replyErrors", decoder.errorsJson()).put("gaps", g);
  }

  /** The last raw counters of the interfaces polled now, by ifIndex. */
  JsonObject counters(List<PolledInterface> interfaces) {
    JsonObject out = new JsonObject();
    Map<Integer, InterfaceInfo> byIndex = new HashMap<>();
    for (PolledInterface p : interfaces) byIndex.put(p.info.ifIndex(), p.info);
    for (InterfaceReading r : lastReadings) {
      InterfaceInfo i = byIndex.get(r.ifIndex());
      if (i == null) continue;
      JsonObject c = new JsonObject().put("name", i.name());
      for (Counter k : Counter.values()) {
        if (r.has(k)) c.put(k.name().toLowerCase(Locale.ROOT), Long.toUnsignedString(r.value(k)));
      }
      out.put(String.valueOf(r.ifIndex()), c);
    }
    return out;
  }
}
