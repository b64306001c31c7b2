package io.ifpulse.alerts;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.DeviceSubscriptions;
import io.ifpulse.registry.DeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Raises and clears alerts from the traffic samples of the given devices, as an ordinary consumer
 * of {@code ifpulse.traffic.<device>}: it sees exactly what a browser or any other verticle sees.
 * Publishes each event on {@value #ADDRESS} and answers {@value #QUERY_ADDRESS} with the alerts
 * now raised and the latest events.
 *
 * <p>The state lives in this verticle, so every node that deploys one keeps its own; the query
 * consumer is local so that a request is answered by this node's alerts and not, in a cluster, by
 * whichever node the bus picks.
 */
public final class AlertsVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AlertsVerticle.class.getName());
  /** Publish: one {@link AlertEvent#toJson()} per raise or clear. */
  public static final String ADDRESS = "ifpulse.alerts";
  /** Request/reply: answers {@code {"active": [...], "recent": [...]}}. */
  public static final String QUERY_ADDRESS = "ifpulse.alerts.query";
  static final int RECENT_EVENTS = 200;

  private final List<String> deviceIds;
  private final AlertRules rules;
  /** Raise events of the alerts now raised, by id, in the order they were raised. */
  private final Map<String, JsonObject> active = new LinkedHashMap<>();
  /** Newest first. */
  private final Deque<JsonObject> recent = new ArrayDeque<>();

  private final DeviceRegistry registry;
  private final Map<String, MessageConsumer<JsonObject>> consumers = new java.util.HashMap<>();

  /** Watches a fixed set of devices. */
  public AlertsVerticle(List<String> deviceIds, AlertConfig config) {
    this.deviceIds = List.copyOf(deviceIds);
    this.registry = null;
    this.rules = new AlertRules(config);
  }

  /** Watches every device of the registry, following devices added and removed at run time. */
  public AlertsVerticle(DeviceRegistry registry, AlertConfig config) {
    this.deviceIds = List.of();
    this.registry = registry;
    this.rules = new AlertRules(config);
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> registered = new ArrayList<>();
    // The bus has no wildcard subscription: one consumer per device.
    for (String id : deviceIds) {
      MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Addresses.traffic(id), m -> onSample(m.body()));
      registered.add(c.completion());
    }
    if (registry != null) {
      new DeviceSubscriptions(registry,
          id -> consumers.put(id, vertx.eventBus().consumer(Addresses.traffic(id), m -> onSample(m.body()))),
          id -> {
            MessageConsumer<JsonObject> c = consumers.remove(id);
            if (c != null) c.unregister();
          }).start(context);
    }
    registered.add(vertx.eventBus().<JsonObject>localConsumer(QUERY_ADDRESS, m -> m.reply(snapshot())).completion());
    return Future.all(registered);
  }

  /**
   * In a cluster every node evaluates every device (so a new owner already knows how long a
   * condition has held) but only the owner publishes, so each alert is raised once.
   */
  public AlertsVerticle publishOnlyFor(java.util.function.Predicate<String> owned) {
    this.publishFor = owned;
    return this;
  }

  private java.util.function.Predicate<String> publishFor = id -> true;

  private void onSample(JsonObject sample) {
    for (AlertEvent e : rules.onSample(sample)) {
      if (!publishFor.test(e.device())) {
        track(e);
        continue;
      }
      JsonObject json = track(e);
      LOG.log(e.state() == AlertEvent.State.RAISED ? Level.WARNING : Level.INFO, "alert " + e);
      vertx.eventBus().publish(ADDRESS, json);
    }
  }

  /** Keeps the active and recent lists, which every node answers for. */
  private JsonObject track(AlertEvent e) {
    JsonObject json = e.toJson();
    if (e.state() == AlertEvent.State.RAISED) {
      active.put(e.id(), json);
    } else {
      active.remove(e.id());
    }
    recent.addFirst(json);
    if (recent.size() > RECENT_EVENTS) recent.removeLast();
    return json;
  }

  private JsonObject snapshot() {
    // No defensive copies: the bus's JsonObject codec copies on local delivery as well.
    return new JsonObject().put("active", new JsonArray(new ArrayList<>(active.values())))
        .put("recent", new JsonArray(new ArrayList<>(recent)));
  }
}
