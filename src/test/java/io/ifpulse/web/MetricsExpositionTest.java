package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.history.CurrentRates;
import io.ifpulse.events.InterfaceSample.Rate;
import io.ifpulse.testing.Unit;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What /metrics writes, from the families to the bytes, without a hub: exact lines and the negotiation. */
@Unit
class MetricsExpositionTest {
  private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static double[] rates(double inBps, double outBps) {
    double[] r = new double[Rate.values().length];
    Arrays.fill(r, Double.NaN);
    r[Rate.IN_BPS.ordinal()] = inBps;
    r[Rate.OUT_BPS.ordinal()] = outBps;
    return r;
  }

  private static double[] allRates() {
    double[] r = new double[Rate.values().length];
    for (int i = 0; i < r.length; i++) r[i] = i + 1;
    return r;
  }

  private static final CurrentRates TWO_DEVICES = new CurrentRates(List.of(
      new CurrentRates.Device("sw1", true, 1000, List.of(
          new CurrentRates.Interface(1, "eth0", "up", 1e9, rates(1e8, 5.5e7)),
          new CurrentRates.Interface(2, "eth\"1\\", "down", Double.NaN, null))),
      new CurrentRates.Device("dead", false, 10_000, List.of()),
      new CurrentRates.Device("new", null, 10_000, List.of())));

  private static final JsonObject COUNTERS = new JsonObject().put("sw1", new JsonObject()
      .put("1", new JsonObject().put("name", "eth0").put("in_octets", "18446744073709551615").put("out_octets", "42")));

  private static final JsonObject STATS = new JsonObject()
      .put("sw1", new JsonObject().put("requests", 12).put("timeouts", 0).put("retries", 1).put("overruns", 0).put("missedSlots", 3).put("avgRttMs", 1.5)
          .put("watchers", 2))
      .put("dead", new JsonObject().put("requests", 3).put("timeouts", 3).put("retries", 0).put("overruns", 0).put("watchers", 0));

  private static final JsonObject TIMING = new JsonObject()
      .put("startLatenessUs", new JsonObject().put("count", 4).put("p50", 100).put("p99", 900).put("p999", 1000).put("sum", 1500))
      .put("durationUs", new JsonObject().put("count", 4).put("p50", 2000).put("p99", 3000).put("p999", 3500).put("sum", 9000));

  private static MetricSnapshots devices(CurrentRates rates, java.util.function.Predicate<String> visible) {
    return new DeviceFamilies(rates, COUNTERS, STATS, TIMING, visible).collect();
  }

  private static NodeFamilies node(Refusals refusals, Map<String, Long> rejections) {
    JsonObject bridge = new JsonObject().put("clients", 3).put("dropped", 0L).put("delivered", 1234L).put("hubSubscriptions", 5);
    return new NodeFamilies(() -> bridge, refusals, () -> rejections, new io.ifpulse.summary.SummaryCost(),
        () -> Map.of("accepted", 3L, "rate-limited", 0L), () -> Map.of("hub", 0L, "web", 2L));
  }

  /** The device families of the Prometheus text format, line for line: names as before, labels sorted, counters with _total. */
  @Test
  void deviceFamiliesAreWrittenLineForLine() {
    MetricsExposition.Written w = MetricsExposition.write(null, devices(TWO_DEVICES, id -> true));
    assertEquals("text/plain; version=0.0.4; charset=utf-8", w.contentType());
    assertEquals("""
        # HELP ifpulse_device_poll_interval_seconds current poll interval (live while watched)
        # TYPE ifpulse_device_poll_interval_seconds gauge
        ifpulse_device_poll_interval_seconds{device="dead"} 10.0
        ifpulse_device_poll_interval_seconds{device="new"} 10.0
        ifpulse_device_poll_interval_seconds{device="sw1"} 1.0
        # HELP ifpulse_device_reachable 1 if the last poll got an answer
        # TYPE ifpulse_device_reachable gauge
        ifpulse_device_reachable{device="dead"} 0.0
        ifpulse_device_reachable{device="sw1"} 1.0
        # HELP ifpulse_device_watchers browsers and verticles watching the device
        # TYPE ifpulse_device_watchers gauge
        ifpulse_device_watchers{device="dead"} 0.0
        ifpulse_device_watchers{device="sw1"} 2.0
        # HELP ifpulse_interface_bits_per_second traffic in bit/s
        # TYPE ifpulse_interface_bits_per_second gauge
        ifpulse_interface_bits_per_second{device="sw1",direction="in",ifindex="1",name="eth0"} 1.0E8
        ifpulse_interface_bits_per_second{device="sw1",direction="out",ifindex="1",name="eth0"} 5.5E7
        # HELP ifpulse_interface_counter_total raw SNMP counter as last read (wraps at 2^32 for Counter32)
        # TYPE ifpulse_interface_counter_total counter
        ifpulse_interface_counter_total{counter="in_octets",device="sw1",ifindex="1",name="eth0"} 1.8446744073709552E19
        ifpulse_interface_counter_total{counter="out_octets",device="sw1",ifindex="1",name="eth0"} 42.0
        # HELP ifpulse_interface_oper_up 1 if ifOperStatus is up
        # TYPE ifpulse_interface_oper_up gauge
        ifpulse_interface_oper_up{device="sw1",ifindex="1",name="eth0"} 1.0
        ifpulse_interface_oper_up{device="sw1",ifindex="2",name="eth\\"1\\\\"} 0.0
        # HELP ifpulse_interface_speed_bits interface speed
        # TYPE ifpulse_interface_speed_bits gauge
        ifpulse_interface_speed_bits{device="sw1",ifindex="1",name="eth0"} 1.0E9
        # HELP ifpulse_poll_duration_seconds first request to last reply of a poll
        # TYPE ifpulse_poll_duration_seconds summary
        ifpulse_poll_duration_seconds{quantile="0.5"} 0.002
        ifpulse_poll_duration_seconds{quantile="0.99"} 0.003
        ifpulse_poll_duration_seconds{quantile="0.999"} 0.0035
        ifpulse_poll_duration_seconds_count 4
        ifpulse_poll_duration_seconds_sum 0.009
        # HELP ifpulse_poll_missed_slots_total slots of the schedule passed without a poll because the hub was busy
        # TYPE ifpulse_poll_missed_slots_total counter
        ifpulse_poll_missed_slots_total{device="dead"} 0.0
        ifpulse_poll_missed_slots_total{device="sw1"} 3.0
        # HELP ifpulse_poll_overruns_total polls skipped because the previous one was still running
        # TYPE ifpulse_poll_overruns_total counter
        ifpulse_poll_overruns_total{device="dead"} 0.0
        ifpulse_poll_overruns_total{device="sw1"} 0.0
        # HELP ifpulse_poll_requests_total SNMP requests sent, retries included
        # TYPE ifpulse_poll_requests_total counter
        ifpulse_poll_requests_total{device="dead"} 3.0
        ifpulse_poll_requests_total{device="sw1"} 12.0
        # HELP ifpulse_poll_retries_total retransmissions
        # TYPE ifpulse_poll_retries_total counter
        ifpulse_poll_retries_total{device="dead"} 0.0
        ifpulse_poll_retries_total{device="sw1"} 1.0
        # HELP ifpulse_poll_rtt_seconds moving average round-trip time
        # TYPE ifpulse_poll_rtt_seconds gauge
        ifpulse_poll_rtt_seconds{device="sw1"} 0.0015
        # HELP ifpulse_poll_start_lateness_seconds how late polls start against their slot
        # TYPE ifpulse_poll_start_lateness_seconds summary
        ifpulse_poll_start_lateness_seconds{quantile="0.5"} 1.0E-4
        ifpulse_poll_start_lateness_seconds{quantile="0.99"} 9.0E-4
        ifpulse_poll_start_lateness_seconds{quantile="0.999"} 0.001
        ifpulse_poll_start_lateness_seconds_count 4
        ifpulse_poll_start_lateness_seconds_sum 0.0015
        # HELP ifpulse_poll_timeouts_total requests unanswered after all retries
        # TYPE ifpulse_poll_timeouts_total counter
        ifpulse_poll_timeouts_total{device="dead"} 3.0
        ifpulse_poll_timeouts_total{device="sw1"} 0.0
        """, w.body().toString());
  }

  @Test
  void nodeFamiliesHaveEveryReasonFromZeroAndTheClusterRejections() {
    Refusals refusals = new Refusals();
    refusals.count(Refusals.Reason.HOST);
    refusals.count(Refusals.Reason.THROTTLED);
    refusals.count(Refusals.Reason.THROTTLED);
    String text = MetricsExposition.write(null, node(refusals, Map.of("ifpulse.ready\0bad-mac", 7L)).collect()).body().toString();
    Map<String, ExpositionParser.Family> f = ExpositionParser.parse(text, false);
    assertEquals(1, f.get("ifpulse_http_refused_total").value("reason", "host"));
    assertEquals(0, f.get("ifpulse_http_refused_total").value("reason", "too-large"));
    assertEquals(2, f.get("ifpulse_sign_in_refused_total").value("reason", "throttled"));
    assertEquals(0, f.get("ifpulse_bridge_refused_total").value("reason", "session-ended"));
    assertEquals(7, f.get("ifpulse_cluster_rejected_entries_total").value("map", "ifpulse.ready", "reason", "bad-mac"));
    for (Refusals.Reason r : Refusals.Reason.values()) {
      String family = switch (r.where) {
        case HTTP -> "ifpulse_http_refused_total";
        case SIGN_IN -> "ifpulse_sign_in_refused_total";
        case BRIDGE -> "ifpulse_bridge_refused_total";
      };
      f.get(family).value("reason", r.label()); // every reason has its series, zero or not
    }
    assertTrue(text.contains("\nifpulse_bridge_clients 3.0\n"), text);
    assertTrue(text.contains("\nifpulse_bridge_delivered_messages_total 1234.0\n"), text);
    assertTrue(text.contains("\nifpulse_bridge_dropped_messages_total 0.0\n"), text);
    assertTrue(text.contains("\nifpulse_bridge_hub_subscriptions 5.0\n"), text);
    String single = MetricsExposition.write(null, node(new Refusals(), Map.of()).collect()).body().toString();
    assertFalse(single.contains("ifpulse_cluster_rejected_entries"), "no family without a cluster: " + single);
  }

  @Test
  void openMetricsWhenTheAcceptHeaderAsksForIt() {
    MetricsExposition.Written w = MetricsExposition.write(OPEN_METRICS, devices(TWO_DEVICES, id -> true), node(new Refusals(), Map.of()).collect());
    assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", w.contentType());
    String text = w.body().toString();
    assertTrue(text.endsWith("\n# EOF\n"), text);
    Map<String, ExpositionParser.Family> f = ExpositionParser.parse(text, true);
    // OpenMetrics names a counter's family without _total, and its samples with it.
    assertEquals("counter", f.get("ifpulse_poll_timeouts").type);
    assertEquals(3, f.get("ifpulse_poll_timeouts").value("ifpulse_poll_timeouts_total", Map.of("device", "dead")));
    assertEquals("counter", f.get("ifpulse_http_refused").type);
    assertEquals(1e8, f.get("ifpulse_interface_bits_per_second").value("device", "sw1", "direction", "in", "ifindex", "1", "name", "eth0"));
    assertEquals(4, f.get("ifpulse_poll_duration_seconds").value("ifpulse_poll_duration_seconds_count", Map.of()));
  }

  @Test
  void theFormatFollowsTheAcceptHeader() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(null, "text/plain; version=0.0.4; charset=utf-8");
    expected.put("*/*", "text/plain; version=0.0.4; charset=utf-8");
    expected.put("text/plain;version=0.0.4", "text/plain; version=0.0.4; charset=utf-8");
    expected.put("application/openmetrics-text", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    // What Prometheus sends by default: OpenMetrics first.
    expected.put("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    // With native histograms Prometheus asks for protobuf first: this hub does not write it, so its next choice.
    expected.put("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"
        + "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    expected.put("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"
        + "text/plain;version=0.0.4;q=0.4", "text/plain; version=0.0.4; charset=utf-8");
    expected.forEach((accept, type) -> assertEquals(type, MetricsExposition.write(accept, devices(TWO_DEVICES, id -> true)).contentType(),
        "Accept: " + accept));
  }

  @Test
  void aLimitedAccountGetsOnlyItsDevicesSeries() {
    String text = MetricsExposition.write(null, devices(TWO_DEVICES, "dead"::equals)).body().toString();
    ExpositionParser.parse(text, false);
    assertTrue(text.contains("ifpulse_poll_timeouts_total{device=\"dead\"} 3.0"), text);
    assertFalse(text.contains("sw1"), "no series of another account's device: " + text);
    assertTrue(text.contains("ifpulse_poll_duration_seconds_count 4"), "node-wide families stay");
  }

  /** docs/API.md's /metrics table names every family, with its type and labels, and nothing else. */
  @Test
  void theApiDocumentationsTableIsTrue() throws Exception {
    CurrentRates full = new CurrentRates(List.of(new CurrentRates.Device("sw1", true, 1000,
        List.of(new CurrentRates.Interface(1, "eth0", "up", 1e9, allRates())))));
    io.vertx.core.json.JsonObject groups = new io.vertx.core.json.JsonObject().put("transit",
        io.ifpulse.events.EventJson.toJson(new io.ifpulse.events.GroupSample("transit", 1, 1000, 1000, 1500, 1, List.of(), 1e6, 2e6,
            1, 2, 0, 0, 0, 0, 1_000_000_000L, 0.1, 0.2, List.of())));
    String text = MetricsExposition.write(null, new DeviceFamilies(full, COUNTERS, STATS, TIMING, id -> true).collect(),
        GroupFamilies.collect(groups, g -> true), node(new Refusals(), Map.of("ifpulse.ready\0bad-mac", 1L)).collect()).body().toString();
    Map<String, String> written = new TreeMap<>();
    for (ExpositionParser.Family f : ExpositionParser.parse(text, false).values()) {
      Set<String> labels = new TreeSet<>();
      f.samples.forEach(s -> labels.addAll(s.labels().keySet()));
      if ("summary".equals(f.type)) labels.remove("quantile");
      written.put(f.name, f.type + " " + labels);
    }
    assertEquals(documented(), written);
  }

  /** Family → "type [labels]" from the table under "## /metrics" in docs/API.md. */
  private static Map<String, String> documented() throws Exception {
    String doc = Files.readString(Path.of("docs/API.md"));
    String section = doc.substring(doc.indexOf("## /metrics"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    Map<String, String> out = new TreeMap<>();
    Pattern row = Pattern.compile("(?m)^\\| (`ifpulse_.*?) \\| (\\w+).*? \\| (.*) \\|$");
    Matcher m = row.matcher(section);
    while (m.find()) {
      Set<String> labels = new TreeSet<>();
      String l = m.group(3).replaceAll("\\([^)]*\\)", "");
      if (l.contains(" — ")) l = l.substring(0, l.indexOf(" — "));
      for (String part : l.split(",")) {
        String name = part.split(":")[0].trim();
        if (name.matches("[a-z_]+")) labels.add(name);
      }
      String prefix = null;
      Matcher names = Pattern.compile("`(_?[a-z_]+)`").matcher(m.group(1));
      while (names.find()) {
        String name = names.group(1);
        // "`ifpulse_poll_requests_total`, `_timeouts_total`": the others share the first one's "ifpulse_x".
        if (prefix == null) prefix = name.substring(0, name.indexOf('_', "ifpulse_".length()));
        out.put(name.startsWith("_") ? prefix + name : name, m.group(2) + " " + labels);
      }
    }
    assertTrue(out.size() > 20, "the table was read: " + out);
    return out;
  }
}
