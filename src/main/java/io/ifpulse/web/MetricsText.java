package io.ifpulse.web;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Prometheus text exposition (format 0.0.4) of what this node knows: current rates of every
 * device, raw counters and poll statistics of the devices it polls, and the bridge's clients and
 * drops. Families are collected first and written with one HELP/TYPE header each, as the format
 * requires.
 */
final class MetricsText {
  private final Map<String, Family> families = new LinkedHashMap<>();

  private record Family(String type, String help, StringBuilder samples) {}

  void device(JsonObject d) {
    JsonObject dev = d.getJsonObject("device");
    String device = dev.getString("id");
    Boolean reachable = dev.getBoolean("reachable");
    if (reachable != null) add("ifpulse_device_reachable", "gauge", "1 if the last poll got an answer", lbl("device", device), reachable ? 1 : 0);
    add("ifpulse_device_poll_interval_seconds", "gauge", "current poll interval (live while watched)", lbl("device", device),
        dev.getLong("intervalMs", 0L) / 1000.0);
    for (Object o : d.getJsonArray("interfaces")) {
      JsonObject i = (JsonObject) o;
      JsonObject r = i.getJsonObject("rate");
      String labels = lbl("device", device) + "," + lbl("ifindex", String.valueOf(i.getInteger("ifIndex"))) + "," + lbl("name", i.getString("name", ""));
      add("ifpulse_interface_oper_up", "gauge", "1 if ifOperStatus is up", labels, "up".equals(i.getString("oper")) ? 1 : 0);
      if (i.getValue("speedBps") != null) add("ifpulse_interface_speed_bits", "gauge", "interface speed", labels, i.getLong("speedBps"));
      if (r == null || "gap".equals(r.getString("state"))) continue;
      rate(labels, r, "inBps", "outBps", "ifpulse_interface_bits_per_second", "traffic in bit/s");
      rate(labels, r, "inPps", "outPps", "ifpulse_interface_packets_per_second", "packets per second");
      rate(labels, r, "inErrors", "outErrors", "ifpulse_interface_errors_per_second", "errors per second");
      rate(labels, r, "inDiscards", "outDiscards", "ifpulse_interface_discards_per_second", "discards per second");
      rate(labels, r, "inUtil", "outUtil", "ifpulse_interface_utilisation_percent", "utilisation of interface speed, percent");
    }
  }

  void counters(JsonObject byDevice) {
    for (String device : byDevice.fieldNames()) {
      JsonObject ifs = byDevice.getJsonObject(device);
      for (String ifIndex : ifs.fieldNames()) {
        JsonObject c = ifs.getJsonObject(ifIndex);
        String base = lbl("device", device) + "," + lbl("ifindex", ifIndex) + "," + lbl("name", c.getString("name", ""));
        for (String key : c.fieldNames()) {
          if ("name".equals(key)) continue;
          add("ifpulse_interface_counter_total", "counter", "raw SNMP counter as last read (wraps at 2^32 for Counter32)",
              base + "," + lbl("counter", key), c.getString(key));
        }
      }
    }
  }

  void pollStats(JsonObject byDevice) {
    for (String device : byDevice.fieldNames()) {
      JsonObject s = byDevice.getJsonObject(device);
      String l = lbl("device", device);
      add("ifpulse_poll_requests_total", "counter", "SNMP requests sent, retries included", l, s.getLong("requests", 0L));
      add("ifpulse_poll_timeouts_total", "counter", "requests unanswered after all retries", l, s.getLong("timeouts", 0L));
      add("ifpulse_poll_retries_total", "counter", "retransmissions", l, s.getLong("retries", 0L));
      add("ifpulse_poll_overruns_total", "counter", "polls skipped because the previous one was still running", l, s.getLong("overruns", 0L));
      if (s.getValue("avgRttMs") != null) add("ifpulse_poll_rtt_seconds", "gauge", "moving average round-trip time", l, s.getDouble("avgRttMs") / 1000);
      add("ifpulse_device_watchers", "gauge", "browsers and verticles watching the device", l, s.getInteger("watchers", 0));
    }
  }

  /** Poll timing since start as Prometheus summaries (values in the JSON are microseconds). */
  void pollTiming(JsonObject timing) {
    summary("ifpulse_poll_start_lateness_seconds", "how late polls start against their slot",
        timing.getJsonObject("startLatenessUs"));
    summary("ifpulse_poll_duration_seconds", "first request to last reply of a poll", timing.getJsonObject("durationUs"));
  }

  private void summary(String name, String help, JsonObject h) {
    if (h == null) return;
    Family f = families.computeIfAbsent(name, n -> new Family("summary", help, new StringBuilder()));
    for (String[] q : new String[][] {{"0.5", "p50"}, {"0.99", "p99"}, {"0.999", "p999"}}) {
      f.samples.append(name).append("{quantile=\"").append(q[0]).append("\"} ").append(h.getLong(q[1], 0L) / 1e6).append('\n');
    }
    f.samples.append(name).append("_sum ").append(h.getLong("sum", 0L) / 1e6).append('\n');
    f.samples.append(name).append("_count ").append(h.getLong("count", 0L)).append('\n');
  }

  void bridge(int clients, long dropped, long delivered, int hubSubscriptions) {
    add("ifpulse_bridge_clients", "gauge", "browser sockets connected to this node", "", clients);
    add("ifpulse_bridge_dropped_messages_total", "counter", "messages dropped because a browser's write queue was full", "", dropped);
    add("ifpulse_bridge_delivered_messages_total", "counter", "messages written to browsers", "", delivered);
    add("ifpulse_bridge_hub_subscriptions", "gauge", "hub addresses subscribed on behalf of browsers", "", hubSubscriptions);
  }

  /** Everything the web side refused, by where and why (zeros included, so alerts have a series). */
  void refusals(Refusals refusals) {
    for (Refusals.Reason r : Refusals.Reason.values()) {
      switch (r.where) {
        case HTTP -> add("ifpulse_http_refused_total", "counter", "HTTP requests refused, by reason", lbl("reason", r.label()), refusals.get(r));
        case SIGN_IN -> add("ifpulse_sign_in_refused_total", "counter", "sign-in attempts refused, by reason", lbl("reason", r.label()),
            refusals.get(r));
        case BRIDGE -> add("ifpulse_bridge_refused_total", "counter", "bridge sockets, registrations and watches refused or closed, by reason",
            lbl("reason", r.label()), refusals.get(r));
      }
    }
  }

  /** Shared-map entries refused: not sealed under the cluster key, malformed, or replayed ("map\0reason" → count). */
  void clusterRejections(Map<String, Long> byMapAndReason) {
    byMapAndReason.forEach((k, n) -> {
      String[] parts = k.split("\0", 2);
      add("ifpulse_cluster_rejected_entries_total", "counter", "shared-map entries ignored, by map and reason",
          lbl("map", parts[0]) + "," + lbl("reason", parts[1]), n);
    });
  }

  private void rate(String labels, JsonObject r, String in, String out, String name, String help) {
    if (r.getValue(in) != null) add(name, "gauge", help, labels + "," + lbl("direction", "in"), r.getDouble(in));
    if (r.getValue(out) != null) add(name, "gauge", help, labels + "," + lbl("direction", "out"), r.getDouble(out));
  }

  private void add(String name, String type, String help, String labels, Object value) {
    Family f = families.computeIfAbsent(name, n -> new Family(type, help, new StringBuilder()));
    f.samples.append(name);
    if (!labels.isEmpty()) f.samples.append('{').append(labels).append('}');
    f.samples.append(' ').append(value).append('\n');
  }

  private static String lbl(String k, String v) {
    return k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    families.forEach((name, f) -> out.append("# HELP ").append(name).append(' ').append(f.help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(f.type).append('\n').append(f.samples));
    return out.toString();
  }
}
