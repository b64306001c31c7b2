package io.ifpulse.web;

import io.ifpulse.events.InterfaceSample.Rate;
import io.ifpulse.history.CurrentRates;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The families of one scrape that describe devices and polls (docs/API.md, /metrics), built when
 * the scrape asks from what the hub answered once for all devices: the history's {@link
 * CurrentRates}, the poller's raw counters, statistics and timing. Nothing is kept between
 * scrapes, so a hub of 20,000 interfaces holds no meter per interface.
 *
 * <p>Only the devices {@code visible} accepts are in it: a limited account's scrape holds its own
 * devices' series and nothing else. Counter names are given without {@code _total}; the official
 * client's writers append it.
 */
final class DeviceFamilies implements MultiCollector {
  private final CurrentRates rates;
  private final JsonObject counters;
  private final JsonObject pollStats;
  private final JsonObject pollTiming;
  private final Predicate<String> visible;

  /**
   * @param rates null when the history did not answer
   * @param counters device → ifIndex → {"name", counter → value as a decimal string}
   * @param pollStats device → {"requests", "timeouts", "retries", "overruns", "missedSlots", "avgRttMs"?, "watchers"}
   * @param pollTiming {"startLatenessUs": {...}, "durationUs": {...}}, or {} without a poller
   */
  DeviceFamilies(CurrentRates rates, JsonObject counters, JsonObject pollStats, JsonObject pollTiming, Predicate<String> visible) {
    this.rates = rates;
    this.counters = counters;
    this.pollStats = pollStats;
    this.pollTiming = pollTiming;
    this.visible = visible;
  }

  /** Which family a rate goes to (by position in {@link #RATE_FAMILIES}), in and out. */
  private static final Rate[][] RATE_PAIRS = {
      {Rate.IN_BPS, Rate.OUT_BPS}, {Rate.IN_PPS, Rate.OUT_PPS}, {Rate.IN_ERRORS, Rate.OUT_ERRORS},
      {Rate.IN_DISCARDS, Rate.OUT_DISCARDS}, {Rate.IN_UTIL, Rate.OUT_UTIL}};
  private static final String[][] RATE_FAMILIES = {
      {"ifpulse_interface_bits_per_second", "traffic in bit/s"},
      {"ifpulse_interface_packets_per_second", "packets per second"},
      {"ifpulse_interface_errors_per_second", "errors per second"},
      {"ifpulse_interface_discards_per_second", "discards per second"},
      {"ifpulse_interface_utilisation_percent", "utilisation of interface speed, percent"}};
  /**
   * Merged into an interface's labels: merging checks nothing again, where {@code Labels.of} and
   * {@code add} check every name (a new UTF-8 encoder each) — once per series, and a hub of 20,000
   * interfaces has some 480,000.
   */
  private static final Labels[] DIRECTIONS = {Labels.of("direction", "in"), Labels.of("direction", "out")};

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    devices(out);
    counters(out);
    pollStats(out);
    pollTiming(out);
    return new MetricSnapshots(out);
  }

  /*
   * Series are added in the order the client sorts them (by label names, then values as strings),
   * so that its sort of each family finds them sorted: a third of a scrape's time went to sorting
   * otherwise. Hence devices by id, interfaces by ifIndex as text ("10" before "2"), a device's "in"
   * series before its "out" ones, and raw counters by counter name first.
   */

  private void devices(List<MetricSnapshot> out) {
    Gauges reachable = new Gauges("ifpulse_device_reachable", "1 if the last poll got an answer");
    Gauges interval = new Gauges("ifpulse_device_poll_interval_seconds", "current poll interval (live while watched)");
    Gauges operUp = new Gauges("ifpulse_interface_oper_up", "1 if ifOperStatus is up");
    Gauges speed = new Gauges("ifpulse_interface_speed_bits", "interface speed");
    Gauges[] rateFamilies = new Gauges[RATE_FAMILIES.length];
    for (int f = 0; f < rateFamilies.length; f++) rateFamilies[f] = new Gauges(RATE_FAMILIES[f][0], RATE_FAMILIES[f][1]);
    List<CurrentRates.Device> devices = new ArrayList<>();
    if (rates != null) for (CurrentRates.Device d : rates.devices()) if (visible.test(d.id())) devices.add(d);
    devices.sort(Comparator.comparing(CurrentRates.Device::id));
    for (CurrentRates.Device d : devices) {
      Labels device = Labels.of("device", d.id());
      if (d.reachable() != null) reachable.add(d.reachable() ? 1 : 0, device);
      interval.add(d.intervalMs() / 1000.0, device);
      List<CurrentRates.Interface> ifs = new ArrayList<>(d.interfaces());
      ifs.sort(Comparator.comparing(i -> String.valueOf(i.ifIndex())));
      Labels[] labels = new Labels[ifs.size()];
      for (int k = 0; k < labels.length; k++) {
        CurrentRates.Interface i = ifs.get(k);
        labels[k] = Labels.of("device", d.id(), "ifindex", String.valueOf(i.ifIndex()), "name", nonNull(i.name()));
        operUp.add("up".equals(i.oper()) ? 1 : 0, labels[k]);
        if (!Double.isNaN(i.speedBps())) speed.add(i.speedBps(), labels[k]);
      }
      for (int f = 0; f < RATE_PAIRS.length; f++) {
        for (int direction = 0; direction < 2; direction++) {
          for (int k = 0; k < labels.length; k++) {
            double v = ifs.get(k).rate(RATE_PAIRS[f][direction]);
            if (!Double.isNaN(v)) rateFamilies[f].add(v, labels[k].merge(DIRECTIONS[direction]));
          }
        }
      }
    }
    reachable.addTo(out);
    interval.addTo(out);
    for (Gauges g : rateFamilies) g.addTo(out);
    operUp.addTo(out);
    speed.addTo(out);
  }

  private void counters(List<MetricSnapshot> out) {
    Counters raw = new Counters("ifpulse_interface_counter", "raw SNMP counter as last read (wraps at 2^32 for Counter32)");
    Map<String, Labels> counterLabels = new HashMap<>();
    Map<String, List<CounterDataPointSnapshot>> byCounter = new TreeMap<>();
    for (String device : new TreeSet<>(counters.fieldNames())) {
      if (!visible.test(device)) continue;
      JsonObject ifs = counters.getJsonObject(device);
      for (String ifIndex : new TreeSet<>(ifs.fieldNames())) {
        JsonObject c = ifs.getJsonObject(ifIndex);
        Labels itf = Labels.of("device", device, "ifindex", ifIndex, "name", c.getString("name", ""));
        for (Map.Entry<String, Object> e : c) {
          if ("name".equals(e.getKey())) continue;
          Labels counter = counterLabels.computeIfAbsent(e.getKey(), k -> Labels.of("counter", k));
          // Counter64 values arrive as decimal strings (they may pass Long.MAX_VALUE).
          byCounter.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add(Counters.point(Double.parseDouble(String.valueOf(e.getValue())), itf.merge(counter)));
        }
      }
    }
    byCounter.values().forEach(raw.points::addAll);
    raw.addTo(out);
  }

  private void pollStats(List<MetricSnapshot> out) {
    Counters requests = new Counters("ifpulse_poll_requests", "SNMP requests sent, retries included");
    Counters timeouts = new Counters("ifpulse_poll_timeouts", "requests unanswered after all retries");
    Counters retries = new Counters("ifpulse_poll_retries", "retransmissions");
    Counters overruns = new Counters("ifpulse_poll_overruns", "polls skipped because the previous one was still running");
    Counters missed = new Counters("ifpulse_poll_missed_slots", "slots of the schedule passed without a poll because the hub was busy");
    Gauges rtt = new Gauges("ifpulse_poll_rtt_seconds", "moving average round-trip time");
    Gauges watchers = new Gauges("ifpulse_device_watchers", "browsers and verticles watching the device");
    for (String device : new TreeSet<>(pollStats.fieldNames())) {
      if (!visible.test(device)) continue;
      JsonObject s = pollStats.getJsonObject(device);
      Labels l = Labels.of("device", device);
      requests.add(s.getLong("requests", 0L), l);
      timeouts.add(s.getLong("timeouts", 0L), l);
      retries.add(s.getLong("retries", 0L), l);
      overruns.add(s.getLong("overruns", 0L), l);
      missed.add(s.getLong("missedSlots", 0L), l);
      if (s.getValue("avgRttMs") != null) rtt.add(s.getDouble("avgRttMs") / 1000, l);
      watchers.add(s.getInteger("watchers", 0), l);
    }
    for (Counters c : new Counters[] {requests, timeouts, retries, overruns, missed}) c.addTo(out);
    rtt.addTo(out);
    watchers.addTo(out);
  }

  /** Poll timing since start as summaries (the JSON has microseconds); node-wide, no device. */
  private void pollTiming(List<MetricSnapshot> out) {
    summary(out, "ifpulse_poll_start_lateness_seconds", "how late polls start against their slot", pollTiming.getJsonObject("startLatenessUs"));
    summary(out, "ifpulse_poll_duration_seconds", "first request to last reply of a poll", pollTiming.getJsonObject("durationUs"));
  }

  private static void summary(List<MetricSnapshot> out, String name, String help, JsonObject h) {
    if (h == null) return;
    Quantiles q = Quantiles.of(
        new Quantile(0.5, h.getLong("p50", 0L) / 1e6),
        new Quantile(0.99, h.getLong("p99", 0L) / 1e6),
        new Quantile(0.999, h.getLong("p999", 0L) / 1e6));
    SummaryDataPointSnapshot point = SummaryDataPointSnapshot.builder()
        .quantiles(q).sum(h.getLong("sum", 0L) / 1e6).count(h.getLong("count", 0L)).build();
    out.add(new SummarySnapshot(new MetricMetadata(name, help), List.of(point)));
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  /** A gauge family being filled; left out of the scrape when it has no series, as before. */
  private static final class Gauges {
    final MetricMetadata metadata;
    final List<GaugeDataPointSnapshot> points = new ArrayList<>();

    Gauges(String name, String help) {
      metadata = new MetricMetadata(name, help);
    }

    void add(double value, Labels labels) {
      points.add(new GaugeDataPointSnapshot(value, labels, null));
    }

    void addTo(List<MetricSnapshot> out) {
      if (!points.isEmpty()) out.add(new GaugeSnapshot(metadata, points));
    }
  }

  private static final class Counters {
    final MetricMetadata metadata;
    final List<CounterDataPointSnapshot> points = new ArrayList<>();

    Counters(String name, String help) {
      metadata = new MetricMetadata(name, help);
    }

    void add(double value, Labels labels) {
      points.add(point(value, labels));
    }

    static CounterDataPointSnapshot point(double value, Labels labels) {
      return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    void addTo(List<MetricSnapshot> out) {
      if (!points.isEmpty()) out.add(new CounterSnapshot(metadata, points));
    }
  }
}
