package io.ifpulse.alerts;

import io.ifpulse.config.AlertConfig;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.DeviceSubscriptions;
import io.ifpulse.events.EventCodecs;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.GroupSample;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.poll.HandoverStore;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.registry.GroupRegistry;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Raises and clears alerts from the traffic samples of the given devices, as an ordinary consumer
 * of {@code ifpulse.traffic.<device>}: it sees exactly what a browser or any other verticle sees.
 * Publishes each event on {@value Addresses#ALERTS} and answers {@value Addresses#ALERTS_QUERY}
 * with the alerts now raised and the latest events.
 *
 * <p>It evaluates only the samples published on its own node (a local consumer), which in a
 * cluster are those of the devices this node polls: each node pays for its own devices only, so
 * adding poller nodes adds capacity. What another node needs to go on where this one stopped (how
 * long a condition has held, which alerts are raised) is saved in a {@link HandoverStore} whenever
 * it changes, and loaded when a device's samples start, or resume after samples this node did not
 * see. The alert list it answers with is built from {@value Addresses#ALERTS}, which every node hears, and
 * on start from the saved states, so a node that joins late lists the alerts raised before it.
 *
 * <p>It also follows the {@code link-down} / {@code link-up} status events of the same devices (a
 * notification, announced by the device's poller: {@link AlertRules#onLink}), and the samples of
 * the interface groups computed on this node ({@link GroupRules}, {@link #withGroups}). A group's
 * state is handed over like a device's, under the key {@code group/<name>} (no device id holds a
 * slash): the node that stops computing a group drops its state without a word, and the node that
 * computes it next loads the saved state before its first sample, so a raised alert stays raised
 * and is cleared by the new node. A group no longer in the config whose saved state holds a raised
 * alert is cleared ({@code reason: "removed"}) by the node that would compute it.
 */
public final class AlertsVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AlertsVerticle.class.getName());
  static final int RECENT_EVENTS = 200;
  /** Samples held for a device while its saved state loads (a few ms); beyond this the oldest go. */
  private static final int MAX_WAITING = 64;
  /** How often groups computed elsewhere now, and removed groups, are looked for. */
  static final long GROUP_CHECK_MS = 1000;
  private static final String GROUP_KEY_PREFIX = "group/";

  private final List<String> deviceIds;
  private final AlertConfig config;
  private final AlertRules rules;
  /** Raise events of the alerts now raised, by id, in the order they were raised. */
  private final Map<String, AlertEvent> active = new LinkedHashMap<>();
  /** Newest first. */
  private final Deque<AlertEvent> recent = new ArrayDeque<>();
  /** Ids of the events heard while the saved states load at start; they are newer than the states. */
  private Set<String> heardWhileSeeding = new HashSet<>();

  private final DeviceRegistry registry;
  private final Map<String, MessageConsumer<Object>> consumers = new HashMap<>();
  private final Map<String, MessageConsumer<Object>> statusConsumers = new HashMap<>();
  private GroupRegistry groupRegistry = GroupRegistry.fixed(List.of());
  /** The consumer of each group's samples (local: those computed on this node). */
  private final Map<String, MessageConsumer<Object>> groupConsumers = new HashMap<>();
  private Predicate<String> computedHere = g -> true;
  private GroupRules groupRules;
  private final Map<String, GroupWatch> groupsWatched = new HashMap<>();
  /** Saved states of groups that are no longer in the config, until the node computing them clears them. */
  private final Map<String, JsonObject> removedGroups = new HashMap<>();
  private final Map<String, Watch> watched = new HashMap<>();
  private HandoverStore handover = HandoverStore.none();
  private Predicate<String> publishFor = id -> true;

  /** What this node knows of one device's samples and of its saved state. */
  private static final class Watch {
    long lastSeq = -1;
    long savedVersion = -1;
    /** When this node last evaluated a sample of the device, whether it published for it then, and the sample's interval. */
    long evaluatedNanos;
    boolean ownerAtLast;
    long intervalMs;
    /** Non-null while the saved state loads: the samples and link events that arrived meanwhile, in order. */
    Deque<Object> waiting;
  }

  /** What this node knows of one group it computes. */
  private static final class GroupWatch {
    long savedVersion = -1;
    /** Non-null while the saved state loads. */
    Deque<GroupSample> waiting;
  }

  /** The key of a group's state in the hand-over store: a device id holds no slash. */
  static String groupKey(String group) {
    return GROUP_KEY_PREFIX + group;
  }

  /** Watches a fixed set of devices. */
  public AlertsVerticle(List<String> deviceIds, AlertConfig config) {
    this.deviceIds = List.copyOf(deviceIds);
    this.registry = null;
    this.config = config;
    this.rules = new AlertRules(config);
  }

  /** Watches every device of the registry, following devices added and removed at run time. */
  public AlertsVerticle(DeviceRegistry registry, AlertConfig config) {
    this.deviceIds = List.of();
    this.registry = registry;
    this.config = config;
    this.rules = new AlertRules(config);
  }

  /** Where the alert state of each device is kept for the next node to poll it (a cluster's shared map). */
  public AlertsVerticle withHandover(HandoverStore store) {
    this.handover = store;
    return this;
  }

  /**
   * Only the owner publishes and saves: while a device moves, both nodes may poll it for an
   * interval, and each alert must still be raised once.
   */
  public AlertsVerticle publishOnlyFor(Predicate<String> owned) {
    this.publishFor = owned;
    return this;
  }

  /**
   * Evaluates the utilisation alert of the groups computed on this node ({@code computedHere}: the
   * same predicate as the groups' own, {@code GroupsVerticle.computeOnlyFor}).
   */
  public AlertsVerticle withGroups(List<GroupConfig> groups, Predicate<String> computedHere) {
    return withGroups(GroupRegistry.fixed(groups), computedHere);
  }

  /**
   * As {@link #withGroups(List, Predicate)}, following the groups created, changed and removed at
   * run time: a new group's alert is evaluated from its first sample, a changed one's levels apply
   * from its next, and a removed group's raised alert is cleared ({@code reason: "removed"}).
   */
  public AlertsVerticle withGroups(GroupRegistry groups, Predicate<String> computedHere) {
    this.groupRegistry = groups;
    this.computedHere = computedHere;
    return this;
  }

  @Override
  public Future<?> start() {
    EventCodecs.register(vertx.eventBus());
    groupRules = new GroupRules(config, groupRegistry.groups());
    List<Future<Void>> registered = new ArrayList<>();
    for (GroupConfig g : groupRegistry.groups()) registered.add(watchGroup(g.name()).completion());
    groupRegistry.onChange(name -> context.runOnContext(v -> groupChanged(name)));
    vertx.setPeriodic(GROUP_CHECK_MS, t -> checkGroups());
    // The bus has no wildcard subscription: one consumer per device.
    for (String id : deviceIds) registered.add(watch(id).completion());
    if (registry != null) {
      new DeviceSubscriptions(registry, id -> consumers.put(id, watch(id)), this::removed).start(context);
    }
    registered.add(vertx.eventBus().consumer(Addresses.ALERTS, m -> track(EventJson.alert(m.body()))).completion());
    registered.add(vertx.eventBus().<JsonObject>localConsumer(Addresses.ALERTS_QUERY, m -> m.reply(snapshot())).completion());
    return Future.all(registered)
        .compose(v -> handover.all().recover(e -> {
          // Alerts raised before this node started are then listed from their next event on.
          LOG.warning("saved alert states not read: " + e);
          return Future.succeededFuture(Map.of());
        }))
        .map(states -> {
          seed(states);
          return null;
        });
  }

  private MessageConsumer<Object> watch(String id) {
    // The link events come from the device's poller, on the node that polls it, like its samples.
    statusConsumers.put(id, vertx.eventBus().localConsumer(Addresses.status(id), m -> onStatus(id, m.body())));
    return vertx.eventBus().localConsumer(Addresses.traffic(id), m -> onSample(id, EventJson.traffic(m.body())));
  }

  private void onSample(String id, TrafficSample sample) {
    Watch w = watched.computeIfAbsent(id, k -> new Watch());
    if (w.waiting != null) {
      if (w.waiting.size() == MAX_WAITING) w.waiting.removeFirst();
      w.waiting.addLast(sample);
      return;
    }
    long seq = sample.seq();
    boolean continuous = w.lastSeq >= 0 && seq == w.lastSeq + 1;
    if (continuous || handover == HandoverStore.NONE) {
      evaluate(id, w, sample);
      return;
    }
    // This node did not see the samples before this one: another node may have polled the device
    // meanwhile and carried its alert state on.
    load(id, w, sample);
  }

  private void onStatus(String id, Object body) {
    StatusEvent e = EventJson.status(body);
    if (e.event() != StatusEvent.Event.LINK_DOWN && e.event() != StatusEvent.Event.LINK_UP) return;
    Watch w = watched.computeIfAbsent(id, k -> new Watch());
    if (w.waiting != null) {
      if (w.waiting.size() == MAX_WAITING) w.waiting.removeFirst();
      w.waiting.addLast(e);
      return;
    }
    // Before any sample here (a device that just moved to this node): its state first.
    if (w.lastSeq >= 0 || handover == HandoverStore.NONE) {
      evaluateLink(id, w, e);
      return;
    }
    load(id, w, e);
  }

  private void load(String id, Watch w, Object first) {
    w.waiting = new ArrayDeque<>();
    w.waiting.addLast(first);
    handover.load(id).onComplete(ar -> {
      JsonObject saved = ar.succeeded() ? ar.result() : null;
      if (ar.failed()) LOG.warning(id + ": alert state not loaded, going on from this node's own: " + ar.cause());
      if (saved != null && saved.getLong("lastTs", Long.MIN_VALUE) > rules.lastTs(id)) {
        rules.importState(id, saved);
        w.savedVersion = rules.version(id);
      }
      Deque<Object> q = w.waiting;
      w.waiting = null;
      for (Object o : q) {
        if (o instanceof TrafficSample s) evaluate(id, w, s);
        else evaluateLink(id, w, (StatusEvent) o);
      }
    });
  }

  private void evaluate(String id, Watch w, TrafficSample sample) {
    w.lastSeq = sample.seq();
    boolean owner = publishFor.test(id);
    w.evaluatedNanos = System.nanoTime();
    w.ownerAtLast = owner;
    w.intervalMs = sample.intervalMs();
    publishAndSave(id, w, owner, rules.onSample(sample));
  }

  private void evaluateLink(String id, Watch w, StatusEvent e) {
    String oper = e.oper() != null ? e.oper() : e.event() == StatusEvent.Event.LINK_DOWN ? "down" : "up";
    publishAndSave(id, w, publishFor.test(id), rules.onLink(id, e.ifIndex(), e.ifName(), oper, e.ts()));
  }

  private void publishAndSave(String id, Watch w, boolean owner, List<AlertEvent> events) {
    for (AlertEvent e : events) {
      if (!owner) continue;
      LOG.log(e.state() == AlertEvent.State.RAISED ? Level.WARNING : Level.INFO, "alert " + e);
      vertx.eventBus().publish(Addresses.ALERTS, e);
    }
    long version = rules.version(id);
    if (owner && handover != HandoverStore.NONE && version != w.savedVersion) {
      w.savedVersion = version;
      handover.save(id, rules.exportState(id));
    }
  }

  /**
   * A device removed from the hub: its raised alerts are cleared ({@code reason: "removed"}) by the
   * node that was evaluating it, and every node drops them from its list and forgets the state.
   * Ownership cannot say who that node was (a removed device has no owner), so it is the node
   * that published for the device within the last few intervals.
   */
  private void removed(String id) {
    MessageConsumer<Object> c = consumers.remove(id);
    if (c != null) c.unregister();
    MessageConsumer<Object> sc = statusConsumers.remove(id);
    if (sc != null) sc.unregister();
    Watch w = watched.remove(id);
    boolean evaluating = w != null && w.ownerAtLast
        && System.nanoTime() - w.evaluatedNanos <= Math.max(10_000L, 3 * w.intervalMs) * 1_000_000L;
    for (AlertEvent e : rules.forget(id, Math.round(MonotonicClock.nowEpochMillis()))) {
      if (!evaluating) continue;
      LOG.info("alert " + e + " (device removed)");
      vertx.eventBus().publish(Addresses.ALERTS, e);
    }
    active.values().removeIf(e -> id.equals(e.device()));
    handover.remove(id);
  }

  /** Keeps the active and recent lists from the events every node hears. */
  private void track(AlertEvent event) {
    String id = event.id();
    if (heardWhileSeeding != null) heardWhileSeeding.add(id);
    if (event.state() == AlertEvent.State.RAISED) {
      active.put(id, event);
    } else {
      active.remove(id);
    }
    recent.addFirst(event);
    if (recent.size() > RECENT_EVENTS) recent.removeLast();
  }

  /** The alerts raised before this node started, from the saved states. */
  private void seed(Map<String, JsonObject> states) {
    List<AlertEvent> raised = new ArrayList<>();
    // A removed device's state stays in the map: its alerts are not listed.
    java.util.Set<String> groups = new HashSet<>();
    for (GroupConfig g : groupRegistry.groups()) groups.add(g.name());
    states.forEach((key, st) -> {
      if (key.startsWith(GROUP_KEY_PREFIX)) {
        String group = key.substring(GROUP_KEY_PREFIX.length());
        if (groups.contains(group)) raised.addAll(GroupRules.raisedIn(st));
        else if (!GroupRules.raisedIn(st).isEmpty()) removedGroups.put(group, st);
        return;
      }
      if (registry == null ? deviceIds.contains(key) : registry.device(key) != null) raised.addAll(AlertRules.raisedIn(st));
    });
    raised.sort(Comparator.comparingLong(AlertEvent::ts));
    for (AlertEvent r : raised) {
      if (!heardWhileSeeding.contains(r.id())) active.putIfAbsent(r.id(), r);
    }
    heardWhileSeeding = null;
  }

  // ---------------------------------------------------------------- groups

  /** A local consumer hears the samples published on this node: those of the groups it computes. */
  private MessageConsumer<Object> watchGroup(String name) {
    MessageConsumer<Object> c = vertx.eventBus().localConsumer(Addresses.group(name), m -> onGroupSample(EventJson.group(m.body())));
    groupConsumers.put(name, c);
    return c;
  }

  /** A group created, changed or removed at run time (on the verticle's context). */
  private void groupChanged(String name) {
    GroupConfig g = groupRegistry.group(name);
    if (g != null) {
      groupRules.configure(g);
      if (!groupConsumers.containsKey(name)) watchGroup(name);
      return;
    }
    MessageConsumer<Object> c = groupConsumers.remove(name);
    if (c != null) c.unregister();
    groupsWatched.remove(name);
    // Only the node computing the group holds its raised alert: it clears it, and its saved state.
    for (AlertEvent clear : groupRules.forget(name, Math.round(MonotonicClock.nowEpochMillis()))) {
      LOG.info("alert " + clear + " (group removed)");
      vertx.eventBus().publish(Addresses.ALERTS, clear);
    }
    if (computedHere.test(name) && handover != HandoverStore.NONE) handover.remove(groupKey(name));
  }

  private void onGroupSample(GroupSample s) {
    String name = s.group();
    GroupWatch w = groupsWatched.get(name);
    if (w != null && w.waiting != null) {
      if (w.waiting.size() == MAX_WAITING) w.waiting.removeFirst();
      w.waiting.addLast(s);
      return;
    }
    if (w == null) {
      w = new GroupWatch();
      groupsWatched.put(name, w);
      if (handover != HandoverStore.NONE) {
        // The first sample computed here: another node may have computed the group before.
        GroupWatch loading = w;
        loading.waiting = new ArrayDeque<>();
        loading.waiting.addLast(s);
        handover.load(groupKey(name)).onComplete(ar -> {
          JsonObject saved = ar.succeeded() ? ar.result() : null;
          if (ar.failed()) LOG.warning("group " + name + ": alert state not loaded, going on from this node's own: " + ar.cause());
          if (saved != null && saved.getLong("lastTs", Long.MIN_VALUE) > groupRules.lastTs(name)) {
            groupRules.importState(name, saved);
            loading.savedVersion = groupRules.version(name);
          }
          Deque<GroupSample> q = loading.waiting;
          loading.waiting = null;
          for (GroupSample g : q) evaluateGroup(name, loading, g);
        });
        return;
      }
    }
    evaluateGroup(name, w, s);
  }

  private void evaluateGroup(String name, GroupWatch w, GroupSample s) {
    for (AlertEvent e : groupRules.onSample(s)) {
      LOG.log(e.state() == AlertEvent.State.RAISED ? Level.WARNING : Level.INFO, "alert " + e);
      vertx.eventBus().publish(Addresses.ALERTS, e);
    }
    long version = groupRules.version(name);
    if (handover != HandoverStore.NONE && version != w.savedVersion) {
      w.savedVersion = version;
      handover.save(groupKey(name), groupRules.exportState(name));
    }
  }

  /**
   * Once a second: a group no longer computed here is dropped without a word (its new node goes on
   * from the saved state); a removed group's raised alert is cleared by the node that would compute it.
   */
  private void checkGroups() {
    for (java.util.Iterator<Map.Entry<String, GroupWatch>> it = groupsWatched.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, GroupWatch> e = it.next();
      if (e.getValue().waiting != null || computedHere.test(e.getKey())) continue;
      it.remove();
      groupRules.handedOver(e.getKey());
      LOG.info("group " + e.getKey() + ": computed by another node now; its alert goes on there");
    }
    if (removedGroups.isEmpty()) return;
    long now = Math.round(MonotonicClock.nowEpochMillis());
    for (java.util.Iterator<Map.Entry<String, JsonObject>> it = removedGroups.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonObject> e = it.next();
      if (!computedHere.test(e.getKey())) continue;
      it.remove();
      for (AlertEvent raised : GroupRules.raisedIn(e.getValue())) {
        AlertEvent clear = GroupRules.removedClear(raised, config.utilisationClearPct(), now);
        LOG.info("alert " + clear + " (group removed)");
        vertx.eventBus().publish(Addresses.ALERTS, clear);
      }
      handover.remove(groupKey(e.getKey()));
    }
  }

  private JsonObject snapshot() {
    JsonArray a = new JsonArray();
    for (AlertEvent e : active.values()) a.add(e.toJson());
    JsonArray r = new JsonArray();
    for (AlertEvent e : recent) r.add(e.toJson());
    return new JsonObject().put("active", a).put("recent", r);
  }
}
