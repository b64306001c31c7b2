package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.PollerConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventCodecs;
import io.ifpulse.events.Interest;
import io.ifpulse.events.SharedJsonCodec;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.snmp.SnmpClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Polls the devices this node owns. One verticle, one event loop, one SNMP socket for all devices:
 * the work per poll is small and asynchronous, so a single loop carries thousands of interfaces,
 * and every device's state lives in plain fields without locks.
 *
 * <p>Which devices to poll comes from a {@link DeviceOwnership}; the poller re-checks it whenever
 * the ownership says it changed.
 */
public final class PollerVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(PollerVerticle.class.getName());
  static final long DEFAULT_INTEREST_TTL_MS = 15_000;
  private static final long MAX_INTEREST_TTL_MS = 60_000;
  private static final DeliveryOptions SHARED = new DeliveryOptions().setLocalOnly(true).setCodecName(SharedJsonCodec.NAME);

  private final DeviceRegistry registry;
  private final DeviceOwnership ownership;
  private final PollerConfig settings;
  private final HandoverStore handover;
  private final Map<String, DevicePoller> running = new LinkedHashMap<>();
  /** device → watcher → expiry (nanoTime). Kept for every device, owned or not, so a device that
   * becomes ours starts at the right interval. */
  private final Map<String, Map<String, Long>> watchers = new java.util.HashMap<>();
  private SnmpClient client;
  private final PollTiming timing = new PollTiming();

  public PollerVerticle(DeviceRegistry registry, DeviceOwnership ownership, PollerConfig settings) {
    this(registry, ownership, settings, HandoverStore.none());
  }

  public PollerVerticle(DeviceRegistry registry, DeviceOwnership ownership, PollerConfig settings, HandoverStore handover) {
    this.handover = handover;
    this.registry = registry;
    this.ownership = ownership;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    EventCodecs.register(vertx.eventBus());
    client = new SnmpClient(settings.maxInFlight());
    ownership.onChange(() -> context.runOnContext(v -> reconcile()));
    registry.onChange(id -> context.runOnContext(v -> {
      // A changed entry restarts its poller with the new settings; reconcile does the rest.
      DevicePoller p = running.remove(id);
      if (p != null) p.stop();
      reconcile();
    }));
    // Request/reply: per-device poll statistics, each with whether the device is watched, and by
    // how many; and the last counters read. The request may name the devices it wants (a JSON
    // array of ids, e.g. those an account may see), else it gets all. At 5,000 devices of 48
    // interfaces the counters are some 240,000 objects built on this loop, which polls: so only
    // what is asked for, and handed over without the deep copy of Vert.x's JsonObject codec (they
    // are made for this answer and never touched again here).
    SharedJsonCodec.register(vertx.eventBus());
    vertx.eventBus().<Object>localConsumer(Addresses.POLLER_STATS, msg -> {
      JsonObject all = new JsonObject();
      forAsked(msg.body(), (id, p) -> all.put(id, p.stats().put("live", isWatched(id)).put("watchers", watcherCount(id))));
      msg.reply(all, SHARED);
    });
    vertx.eventBus().<Object>localConsumer(Addresses.POLLER_COUNTERS, msg -> {
      JsonObject all = new JsonObject();
      forAsked(msg.body(), (id, p) -> all.put(id, p.counters()));
      msg.reply(all, SHARED);
    });
    vertx.eventBus().<JsonObject>localConsumer(Addresses.POLLER_TIMING, msg -> msg.reply(timing.toJson()));
    // Publish, cluster-wide: a viewer on one node makes the device polled by another go live.
    vertx.eventBus().consumer(Addresses.INTEREST, msg -> interest(Interest.fromJson(msg.body())));
    vertx.setPeriodic(1000, t -> expireWatchers());
    reconcile();
    return Future.succeededFuture();
  }

  /** Each running device the request asks for: those of a JSON array of ids, else every one. */
  private void forAsked(Object request, java.util.function.BiConsumer<String, DevicePoller> each) {
    if (request instanceof io.vertx.core.json.JsonArray ids) {
      for (Object id : ids) {
        DevicePoller p = id instanceof String s ? running.get(s) : null;
        if (p != null) each.accept((String) id, p);
      }
    } else {
      running.forEach(each);
    }
  }

  @Override
  public Future<?> stop() {
    running.values().forEach(DevicePoller::stop);
    running.clear();
    if (client != null) client.close();
    return Future.succeededFuture();
  }

  private void interest(Interest m) {
    if (m == null) return; // not a well-formed declaration: ignore rather than let one sender break the poller
    String device = m.device();
    String watcher = m.watcher();
    boolean wasWatched = isWatched(device);
    if (m.release()) {
      Map<String, Long> w = watchers.get(device);
      if (w != null) {
        w.remove(watcher);
        if (w.isEmpty()) watchers.remove(device);
      }
    } else {
      long ttl = Math.max(1, Math.min(MAX_INTEREST_TTL_MS, m.ttlMs() == null ? DEFAULT_INTEREST_TTL_MS : m.ttlMs()));
      watchers.computeIfAbsent(device, k -> new java.util.HashMap<>()).put(watcher, System.nanoTime() + ttl * 1_000_000L);
    }
    if (wasWatched != isWatched(device)) applyInterval(device);
  }

  private void expireWatchers() {
    long now = System.nanoTime();
    for (String device : List.copyOf(watchers.keySet())) {
      Map<String, Long> w = watchers.get(device);
      w.values().removeIf(expiry -> expiry - now < 0);
      if (w.isEmpty()) {
        watchers.remove(device);
        applyInterval(device);
      }
    }
  }

  private boolean isWatched(String device) {
    Map<String, Long> w = watchers.get(device);
    return w != null && !w.isEmpty();
  }

  private int watcherCount(String device) {
    Map<String, Long> w = watchers.get(device);
    return w == null ? 0 : w.size();
  }

  /** One shared poll serves every watcher: only the interval changes, never the number of polls. */
  private void applyInterval(String device) {
    DevicePoller p = running.get(device);
    if (p == null) return;
    boolean live = isWatched(device);
    p.setInterval(live ? p.config().liveIntervalMs() : p.config().intervalMs());
    LOG.info(p.config() + (live ? ": watched, polling every " + p.config().liveIntervalMs() + " ms"
        : ": no watchers, back to every " + p.config().intervalMs() + " ms"));
  }

  /** Devices this node has said it cannot poll ("no-credentials"), so it says so once. */
  private final java.util.Set<String> noCredentials = new java.util.HashSet<>();

  private void reportNoCredentials(DeviceConfig d) {
    LOG.warning(d + ": no node has its credential " + d.credentialsLabel() + "; not polled");
    vertx.eventBus().publish(Addresses.status(d.id()), StatusEvent.of(d.id(),
        Math.round(io.ifpulse.time.MonotonicClock.nowEpochMillis()), StatusEvent.Event.NO_CREDENTIALS, false, d.host(), d.port(), null,
        d.credentialsLabel()));
  }

  private void reconcile() {
    java.util.Set<String> known = new java.util.HashSet<>();
    for (DeviceConfig d : registry.devices()) known.add(d.id());
    for (String id : List.copyOf(running.keySet())) {
      if (!known.contains(id)) running.remove(id).stop();
    }
    noCredentials.retainAll(known);
    for (DeviceConfig d : registry.devices()) {
      boolean want = d.enabled() && ownership.owns(d.id());
      if (want && d.credential() == null) {
        // Owned here but not pollable here (a single hub whose file lacks the named credential):
        // said once, on the device's status address, and left alone.
        if (noCredentials.add(d.id())) reportNoCredentials(d);
        want = false;
      } else if (!want && d.enabled() && d.credential() == null && ownership.reportsUnpollable(d.id())) {
        if (noCredentials.add(d.id())) reportNoCredentials(d);
      } else if (d.credential() != null || !d.enabled()) {
        noCredentials.remove(d.id());
      }
      DevicePoller p = running.get(d.id());
      if (want && p == null) {
        p = new DevicePoller(vertx, client, d, handover, timing, settings.slotMs());
        running.put(d.id(), p);
        if (isWatched(d.id())) p.setInterval(d.liveIntervalMs());
        p.start();
        LOG.fine("polling " + d);
      } else if (!want && p != null) {
        p.stop();
        running.remove(d.id());
        LOG.info("no longer polling " + d + ": another node owns it now");
      }
    }
  }
}
