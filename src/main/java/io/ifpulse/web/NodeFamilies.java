package io.ifpulse.web;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The families of this web node that carry no device — the bridge's clients and messages, the
 * refusals by reason, the shared-map entries refused — as the official client's callback meters:
 * each reads its figure when a scrape asks, and keeps nothing in between. Every account's scrape
 * holds them whole.
 */
final class NodeFamilies {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  /**
   * @param bridge {"clients", "dropped", "delivered", "hubSubscriptions"}, read on the web loop
   * @param clusterRejections "map\0reason" → count (empty on a single hub)
   * @param unhandled Vert.x instance ("hub", "web") → exceptions no handler caught
   */
  NodeFamilies(Supplier<JsonObject> bridge, Refusals refusals, Supplier<Map<String, Long>> clusterRejections,
      io.ifpulse.summary.SummaryCost summaryCost, Supplier<Map<String, Long>> trapOutcomes,
      Supplier<Map<String, Long>> unhandled) {
    GaugeWithCallback.builder().name("ifpulse_bridge_clients").help("browser sockets connected to this node")
        .callback(cb -> cb.call(bridge.get().getInteger("clients"))).register(registry);
    CounterWithCallback.builder().name("ifpulse_bridge_dropped_messages")
        .help("messages dropped because a browser's write queue was full or its socket closing")
        .callback(cb -> cb.call(bridge.get().getLong("dropped"))).register(registry);
    CounterWithCallback.builder().name("ifpulse_bridge_delivered_messages").help("messages written to browsers")
        .callback(cb -> cb.call(bridge.get().getLong("delivered"))).register(registry);
    GaugeWithCallback.builder().name("ifpulse_bridge_hub_subscriptions").help("hub addresses subscribed on behalf of browsers")
        .callback(cb -> cb.call(bridge.get().getInteger("hubSubscriptions"))).register(registry);
    CounterWithCallback.builder().name("ifpulse_summary_cpu_seconds")
        .help("thread CPU time of the fleet summary: building it (history) and cutting and writing it for browsers (web)")
        .labelNames("part")
        .callback(cb -> {
          cb.call(summaryCost.buildSeconds(), "build");
          cb.call(summaryCost.deliverSeconds(), "deliver");
        })
        .register(registry);
    // Zeros included, so that alerts have a series before the first refusal.
    refusals(refusals, Refusals.Where.HTTP, "ifpulse_http_refused", "HTTP requests refused, by reason");
    refusals(refusals, Refusals.Where.SIGN_IN, "ifpulse_sign_in_refused", "sign-in attempts refused, by reason");
    refusals(refusals, Refusals.Where.BRIDGE, "ifpulse_bridge_refused",
        "bridge sockets, registrations and watches refused or closed, by reason");
    CounterWithCallback.builder().name("ifpulse_cluster_rejected_entries").help("shared-map entries ignored, by map and reason")
        .labelNames("map", "reason")
        .callback(cb -> clusterRejections.get().forEach((k, n) -> {
          String[] mapAndReason = k.split("\0", 2);
          cb.call(n, mapAndReason[0], mapAndReason[1]);
        }))
        .register(registry);
    // Zeros included: an alert on the first exception needs a series before it.
    CounterWithCallback.builder().name("ifpulse_unhandled_exceptions")
        .help("exceptions no handler caught, by Vert.x instance (hub, web); each kind is logged once in full, then counted")
        .labelNames("instance")
        .callback(cb -> unhandled.get().forEach((instance, n) -> cb.call(n, instance)))
        .register(registry);
    // Only on a node with a notification receiver (traps.enabled); zeros included there.
    CounterWithCallback.builder().name("ifpulse_traps")
        .help("datagrams on this node's notification port, by outcome: accepted, or why refused (docs/TRAPS.md)")
        .labelNames("outcome")
        .callback(cb -> trapOutcomes.get().forEach((outcome, n) -> cb.call(n, outcome)))
        .register(registry);
  }

  private void refusals(Refusals refusals, Refusals.Where where, String name, String help) {
    CounterWithCallback.builder().name(name).help(help).labelNames("reason")
        .callback(cb -> {
          for (Refusals.Reason r : Refusals.Reason.values()) if (r.where == where) cb.call(refusals.get(r), r.label());
        })
        .register(registry);
  }

  /** The node's families now; call on the web verticle's loop (the bridge figures are read there). */
  MetricSnapshots collect() {
    return registry.scrape();
  }
}
