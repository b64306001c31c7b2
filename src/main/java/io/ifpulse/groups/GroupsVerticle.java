package io.ifpulse.groups;

import io.ifpulse.config.GroupConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.DeviceSubscriptions;
import io.ifpulse.events.EventCodecs;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.GroupSample;
import io.ifpulse.events.Interest;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.registry.GroupRegistry;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Computes the interface groups (docs/EVENTS.md, {@code ifpulse.group.<name>}): follows the samples
 * and status of every device a group's rules name, keeps each member's rates as steps
 * ({@link MemberSeries}), and publishes one {@link GroupSample} per 1 s window once every member's
 * rates cover it, or, at the latest, a poll interval and a second after its end, partial.
 *
 * <p>Samples arrive with {@code consumer}, not {@code localConsumer}: in a cluster a group's members
 * are polled by several nodes, and the group is computed on one ({@link #computeOnlyFor}).
 * Watching a group ({@code {"group", "watcher", "ttlMs"}} on {@code ifpulse.interest}) is passed on
 * as a declaration for each of its member devices, so they are polled at their live interval.
 *
 * <p>The groups follow the {@link GroupRegistry}: a group created over REST is computed from the
 * next window on, a changed one's members are resolved again, a removed one stops. So that a new
 * group finds its members at once, the status (and so the discovered interfaces) of every device
 * polled on this node is followed, named or not, with a local consumer (no cluster subscription);
 * a device polled elsewhere that a new group names gets its interfaces from its owner's hand-over
 * state ({@link #withMetadataSource}) at its first sample.
 */
public final class GroupsVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(GroupsVerticle.class.getName());
  /** The length of a group's window, and its sample period. */
  public static final long WINDOW_MS = 1000;
  /** Beyond a member's poll interval: the poll's own time and the trip over the bus. */
  static final long LAG_MARGIN_MS = 1000;
  /** How often the groups look for a window to publish: twice a window, so a late one waits half of it at most. */
  static final long TICK_MS = 500;
  /** The group field of an interest declaration for a group. */
  public static final String GROUP_FIELD = "group";

  private final DeviceRegistry registry;
  private final GroupRegistry groupRegistry;
  /** The groups as this verticle last took them from the registry. */
  private final Map<String, GroupConfig> groups = new LinkedHashMap<>();
  /** Per group: the consumer of its samples, from whichever node computes it. */
  private final Map<String, MessageConsumer<Object>> groupConsumers = new HashMap<>();
  private Predicate<String> computeFor = g -> true;
  private Function<String, Future<JsonObject>> metadataSource;

  /** Every device's polled interfaces as its last discovery listed them. */
  private final Map<String, List<StatusEvent.Interface>> interfaces = new HashMap<>();
  /** Per device, per ifIndex: the member's steps (kept for devices some group names). */
  private final Map<String, Map<Integer, MemberSeries>> series = new HashMap<>();
  /** Per device: the poll interval of its latest sample. */
  private final Map<String, Long> intervals = new HashMap<>();
  /** Per device: the local consumer of its status (every device). */
  private final Map<String, MessageConsumer<Object>> statusConsumers = new HashMap<>();
  /** Per device some group names: the consumers of its samples and status from any node. */
  private final Map<String, List<MessageConsumer<Object>>> sampleConsumers = new HashMap<>();
  private final Map<String, Group> state = new LinkedHashMap<>();

  private static final class Group {
    GroupMembers.Resolved resolved;
    long seq;
    long lastEnd;
  }

  /** Every group's latest sample heard on this node, from whichever node computes it. */
  private final Map<String, GroupSample> latest = new HashMap<>();
  /** Every group's recent samples, oldest first: totals and the first members' parts. */
  private final Map<String, java.util.ArrayDeque<Point>> recent = new HashMap<>();
  /**
   * Members whose parts a history point keeps, the first of the sample's stack: what a stacked
   * chart can still tell apart, and a bound on the memory (900 points × 32 × 8 bytes, 230 KB a
   * group at most); the rest of a larger group is its total less these.
   */
  public static final int HISTORY_STACK = 32;
  /** Distinct members one history answer names at most (membership can change within it). */
  static final int HISTORY_MEMBERS = 256;

  /**
   * One sample as the history keeps it; {@code keys} ({@code device/ifIndex}) is shared by the
   * points of an unchanged stack, and {@code stack} holds in and out bit/s of each, in turn.
   */
  private record Point(long ts, double in, double out, List<String> keys, List<String> names, float[] stack) {}
  private long historyMs = 900_000;

  public GroupsVerticle(DeviceRegistry registry, GroupRegistry groups) {
    this.registry = registry;
    this.groupRegistry = groups;
  }

  /** How far back a group's history reaches (the config's {@code history.seconds}). */
  public GroupsVerticle withHistorySeconds(int seconds) {
    this.historyMs = seconds * 1000L;
    return this;
  }

  /** In a cluster: the groups this node computes (the others' samples come from their owners). */
  public GroupsVerticle computeOnlyFor(Predicate<String> owned) {
    this.computeFor = owned;
    return this;
  }

  /**
   * Where a device's interfaces come from when its discovery was before this verticle started (a
   * node that joined late): the owner's hand-over state, as the history uses it.
   */
  public GroupsVerticle withMetadataSource(Function<String, Future<JsonObject>> source) {
    this.metadataSource = source;
    return this;
  }

  @Override
  public Future<?> start() {
    EventCodecs.register(vertx.eventBus());
    List<Future<Void>> listening = new ArrayList<>();
    followGroups(listening);
    groupRegistry.onChange(name -> context.runOnContext(v -> followGroups(new ArrayList<>())));
    new DeviceSubscriptions(registry, this::attach, this::detach).start(context);
    resolveAll();
    vertx.setPeriodic(TICK_MS, t -> tick(Math.round(MonotonicClock.nowEpochMillis())));
    listening.add(vertx.eventBus().consumer(Addresses.INTEREST, m -> interest(m.body())).completion());
    listening.add(vertx.eventBus().<Object>localConsumer(Addresses.GROUPS_CURRENT, m -> {
      JsonObject out = new JsonObject();
      latest.forEach((name, s) -> out.put(name, s.toJson()));
      m.reply(out);
    }).completion());
    listening.add(vertx.eventBus().<Object>localConsumer(Addresses.GROUPS_SERIES, m -> m.reply(series(m.body()))).completion());
    return Future.all(listening);
  }

  private boolean named(String device) {
    for (GroupConfig g : groups.values()) for (GroupConfig.Member m : g.members()) if (m.matchesDevice(device)) return true;
    return false;
  }

  /**
   * Takes the groups as the registry has them now: a new group is heard (and, where owned,
   * computed) from now on, a removed one is forgotten, a changed one is resolved again. Devices
   * that a group now names, or no longer names, gain or lose their sample consumers.
   */
  private void followGroups(List<Future<Void>> listening) {
    Map<String, GroupConfig> now = new LinkedHashMap<>();
    for (GroupConfig g : groupRegistry.groups()) now.put(g.name(), g);
    for (String name : List.copyOf(groups.keySet())) {
      if (now.containsKey(name)) continue;
      groups.remove(name);
      state.remove(name);
      latest.remove(name);
      recent.remove(name);
      MessageConsumer<Object> c = groupConsumers.remove(name);
      if (c != null) c.unregister();
      LOG.info("group " + name + " removed");
    }
    for (GroupConfig g : now.values()) {
      if (groups.put(g.name(), g) != null) continue;
      state.put(g.name(), new Group());
      // Every node hears every group, whichever computes it: for its history, /metrics and REST.
      MessageConsumer<Object> c = vertx.eventBus().consumer(Addresses.group(g.name()), m -> heard(EventJson.group(m.body())));
      groupConsumers.put(g.name(), c);
      listening.add(c.completion());
    }
    for (String device : List.copyOf(statusConsumers.keySet())) {
      boolean named = named(device);
      if (named && !sampleConsumers.containsKey(device)) followSamples(device);
      if (!named && sampleConsumers.containsKey(device)) forgetSamples(device);
    }
    resolveAll();
  }

  private void attach(String device) {
    statusConsumers.put(device, vertx.eventBus().localConsumer(Addresses.status(device), m -> onStatus(EventJson.status(m.body()))));
    if (!named(device)) return;
    followSamples(device);
    resolveAll();
  }

  private void followSamples(String device) {
    sampleConsumers.put(device, List.of(
        vertx.eventBus().consumer(Addresses.traffic(device), m -> onSample(EventJson.traffic(m.body()))),
        vertx.eventBus().consumer(Addresses.status(device), m -> onStatus(EventJson.status(m.body())))));
  }

  private void forgetSamples(String device) {
    List<MessageConsumer<Object>> cs = sampleConsumers.remove(device);
    if (cs != null) cs.forEach(MessageConsumer::unregister);
    series.remove(device);
    intervals.remove(device);
  }

  private void detach(String device) {
    MessageConsumer<Object> c = statusConsumers.remove(device);
    if (c != null) c.unregister();
    interfaces.remove(device);
    asked.remove(device);
    boolean named = sampleConsumers.containsKey(device);
    forgetSamples(device);
    if (named) resolveAll();
  }

  private void onStatus(StatusEvent e) {
    if (e.interfaces() == null) return; // only discovered and interfaces-changed list them
    interfaces.put(e.device(), List.copyOf(e.interfaces()));
    if (named(e.device())) resolveAll();
  }

  private boolean metadataAsked(String device) {
    return !asked.add(device);
  }

  private final java.util.Set<String> asked = new java.util.HashSet<>();

  private void onSample(TrafficSample s) {
    intervals.put(s.device(), s.intervalMs());
    if (!interfaces.containsKey(s.device()) && metadataSource != null && !metadataAsked(s.device())) {
      String device = s.device();
      metadataSource.apply(device).onSuccess(st -> {
        if (st == null || interfaces.containsKey(device) || !(st.getValue("interfaces") instanceof JsonArray ifs)) return;
        List<StatusEvent.Interface> list = new ArrayList<>();
        for (Object o : ifs) list.add(EventJson.statusInterface((JsonObject) o));
        interfaces.put(device, list);
        resolveAll();
      });
    }
    Map<Integer, MemberSeries> perIf = series.computeIfAbsent(s.device(), d -> new HashMap<>());
    double[] rates = new double[MemberSeries.FIELDS];
    for (InterfaceSample i : s.interfaces()) {
      if (i.isGap()) continue; // no rate: a hole in the member's steps
      rates[MemberSeries.IN_BPS] = i.inBps();
      rates[MemberSeries.OUT_BPS] = i.outBps();
      rates[MemberSeries.IN_PPS] = i.inPps();
      rates[MemberSeries.OUT_PPS] = i.outPps();
      rates[MemberSeries.IN_ERRORS] = i.inErrors();
      rates[MemberSeries.OUT_ERRORS] = i.outErrors();
      rates[MemberSeries.IN_DISCARDS] = i.inDiscards();
      rates[MemberSeries.OUT_DISCARDS] = i.outDiscards();
      perIf.computeIfAbsent(i.ifIndex(), x -> new MemberSeries()).add(s.ts(), i.intervalMs(), rates, i.speedBps());
    }
  }

  private void resolveAll() {
    List<String> devices = registry.devices().stream().map(d -> d.id()).toList();
    for (Map.Entry<String, Group> e : state.entrySet()) {
      GroupMembers.Resolved before = e.getValue().resolved;
      GroupMembers.Resolved now = GroupMembers.resolve(groups.get(e.getKey()), devices, interfaces);
      if (before == null || !before.equals(now)) {
        if (before != null || !now.members().isEmpty()) {
          LOG.info("group " + e.getKey() + ": " + now.members().size() + " interfaces"
              + (now.undiscovered().isEmpty() ? "" : ", not yet discovered: " + now.undiscovered())
              + (now.cut() == 0 ? "" : ", " + now.cut() + " left out above " + GroupMembers.MAX_INTERFACES));
        }
        e.getValue().resolved = now;
      }
    }
  }

  private void heard(GroupSample s) {
    if (!groups.containsKey(s.group())) return;
    GroupSample before = latest.get(s.group());
    if (before != null && s.ts() <= before.ts()) return; // a duplicate, or the old owner's last word after a move
    latest.put(s.group(), s);
    java.util.ArrayDeque<Point> r = recent.computeIfAbsent(s.group(), g -> new java.util.ArrayDeque<>());
    List<GroupSample.Member> kept = s.stack().subList(0, Math.min(HISTORY_STACK, s.stack().size()));
    List<String> keys = kept.stream().map(m -> m.device() + "/" + m.ifIndex()).toList();
    List<String> names = kept.stream().map(GroupSample.Member::name).toList();
    Point last = r.peekLast();
    if (last != null && last.keys.equals(keys)) {
      keys = last.keys; // one list for a run of points with the same members
      names = last.names;
    }
    float[] stack = new float[2 * kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      stack[2 * i] = (float) kept.get(i).inBps();
      stack[2 * i + 1] = (float) kept.get(i).outBps();
    }
    r.addLast(new Point(s.ts(), s.partial() ? Double.NaN : s.inBps(), s.partial() ? Double.NaN : s.outBps(), keys, names, stack));
    while (!r.isEmpty() && r.peekFirst().ts < s.ts() - historyMs) r.removeFirst();
  }

  /**
   * {@code {"group", "points": [[ts, inBps, outBps], ...]}} over the last {@code seconds}; a partial
   * sample's totals are null there (a sum without some members is no point of the group's line).
   * Asked with {@code "members": true}, also {@code "members": [{"device","ifIndex","name"}...]}
   * (every member some point of the span has a part of, at most {@link #HISTORY_MEMBERS}) and each
   * point's parts as two more arrays aligned with it, in and out bit/s, null where that member has
   * no part in the point (docs/API.md).
   */
  private JsonObject series(Object body) {
    String name = body instanceof JsonObject j ? j.getString("group") : null;
    long seconds = body instanceof JsonObject j && j.getValue("seconds") instanceof Number n ? n.longValue() : historyMs / 1000;
    boolean withMembers = body instanceof JsonObject j && Boolean.TRUE.equals(j.getValue("members"));
    JsonArray points = new JsonArray();
    Map<String, Integer> column = new LinkedHashMap<>();
    JsonArray members = new JsonArray();
    java.util.ArrayDeque<Point> r = name == null ? null : recent.get(name);
    if (r != null && !r.isEmpty()) {
      double from = r.peekLast().ts - seconds * 1000;
      for (Point p : r) {
        if (p.ts <= from) continue;
        JsonArray point = new JsonArray().add(p.ts).add(Double.isNaN(p.in) ? null : p.in).add(Double.isNaN(p.out) ? null : p.out);
        if (withMembers) {
          for (int i = 0; i < p.keys.size(); i++) {
            String key = p.keys.get(i);
            if (column.containsKey(key) || column.size() >= HISTORY_MEMBERS) continue;
            column.put(key, column.size());
            int slash = key.lastIndexOf('/');
            members.add(new JsonObject().put("device", key.substring(0, slash))
                .put("ifIndex", Integer.parseInt(key.substring(slash + 1))).put("name", p.names.get(i)));
          }
        }
        points.add(point);
      }
      if (withMembers) {
        int i = 0;
        for (Point p : r) {
          if (p.ts <= from) continue;
          Object[] in = new Object[column.size()];
          Object[] out = new Object[column.size()];
          for (int k = 0; k < p.keys.size(); k++) {
            Integer c = column.get(p.keys.get(k));
            if (c == null) continue;
            in[c] = (double) p.stack[2 * k];
            out[c] = (double) p.stack[2 * k + 1];
          }
          points.getJsonArray(i++).add(new JsonArray(java.util.Arrays.asList(in))).add(new JsonArray(java.util.Arrays.asList(out)));
        }
      }
    }
    JsonObject answer = new JsonObject().put("group", name).put("points", points);
    return withMembers ? answer.put("members", members) : answer;
  }

  /** Publishes each group's next window if it is ready (see {@link #nextWindow}). */
  void tick(long now) {
    // A member may be in several groups, whose windows need not be in step (one waits for a slow
    // member, another skipped ahead): its steps are dropped only before the earliest window end
    // of every group computed here that holds it, after all of them had their turn.
    Map<MemberSeries, Long> needed = new java.util.IdentityHashMap<>();
    for (Map.Entry<String, Group> e : state.entrySet()) {
      String name = e.getKey();
      if (!computeFor.test(name)) {
        e.getValue().lastEnd = 0; // a group that moves back here starts afresh
        continue;
      }
      Group g = e.getValue();
      List<MemberRef> members = g.resolved.members();
      Map<MemberRef, MemberSeries> view = new HashMap<>();
      double covered = Double.POSITIVE_INFINITY;
      long maxInterval = 0;
      for (MemberRef m : members) {
        MemberSeries ms = series.getOrDefault(m.device(), Map.of()).get(m.ifIndex());
        if (ms != null) view.put(m, ms);
        covered = Math.min(covered, ms == null ? Double.NEGATIVE_INFINITY : ms.coveredUntil());
        maxInterval = Math.max(maxInterval, intervals.getOrDefault(m.device(), 0L));
      }
      for (String d : g.resolved.undiscovered()) maxInterval = Math.max(maxInterval, intervals.getOrDefault(d, 0L));
      if (!g.resolved.undiscovered().isEmpty()) covered = Double.NEGATIVE_INFINITY;
      long lag = maxInterval + LAG_MARGIN_MS;
      long end = nextWindow(g.lastEnd, now, covered, lag);
      if (end != 0) {
        g.lastEnd = end;
        GroupSample s = GroupWindow.compute(name, ++g.seq, members, g.resolved.undiscovered(), view, end, WINDOW_MS, now - end);
        vertx.eventBus().publish(Addresses.group(name), s);
      }
      // Steps that no later window of this group reaches: a window never starts before the last one's end.
      long keepFrom = g.lastEnd;
      for (MemberSeries ms : view.values()) needed.merge(ms, keepFrom, Math::min);
    }
    needed.forEach((ms, from) -> {
      if (from > 0) ms.dropBefore(from);
    });
  }

  /**
   * The end of the window to publish now, or 0 for none yet. Windows lie on whole seconds and
   * follow each other; the next one is published as soon as every member's steps cover it, and
   * at the latest {@code lagMs} after its end (then with the members that do not cover it missing).
   * A group that fell more than two windows behind that deadline (a pause, members' interval
   * shortened by a watcher) skips ahead to it rather than publishing a backlog.
   *
   * @param coveredUntil the earliest end of the members' steps (−∞ when one has none)
   */
  static long nextWindow(long lastEnd, long now, double coveredUntil, long lagMs) {
    long deadline = floorSecond(now - lagMs);
    long ready = Double.isFinite(coveredUntil) ? Math.max(deadline, floorSecond(Math.min((long) coveredUntil, now))) : deadline;
    long next = lastEnd == 0 || ready - lastEnd > 3 * WINDOW_MS ? ready : lastEnd + WINDOW_MS;
    return next <= ready ? next : 0;
  }

  private static long floorSecond(long ms) {
    return Math.floorDiv(ms, WINDOW_MS) * WINDOW_MS;
  }

  /** A watch of a group becomes a watch of each member device, for as long as it holds. */
  private void interest(Object body) {
    if (!(body instanceof JsonObject m) || !(m.getValue(GROUP_FIELD) instanceof String name)
        || !(m.getValue("watcher") instanceof String watcher) || !computeFor.test(name)) {
      return;
    }
    Group g = state.get(name);
    if (g == null) return;
    Object ttl = m.getValue("ttlMs");
    boolean release = Boolean.TRUE.equals(m.getValue("release"));
    java.util.Set<String> devices = new java.util.TreeSet<>(g.resolved.undiscovered());
    g.resolved.members().forEach(r -> devices.add(r.device()));
    String as = "group:" + name + ":" + watcher;
    for (String d : devices) {
      Interest i = release ? Interest.release(d, as) : Interest.watch(d, as, ttl instanceof Number n ? n.longValue() : 15_000);
      vertx.eventBus().publish(Addresses.INTEREST, i.toJson());
    }
  }
}
