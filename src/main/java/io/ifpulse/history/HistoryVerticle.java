package io.ifpulse.history;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.DeviceSubscriptions;
import io.ifpulse.events.EventCodecs;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.InterfaceSample.Rate;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.summary.DeviceEntry;
import io.ifpulse.summary.DeviceState;
import io.ifpulse.summary.DeviceSummaries;
import io.ifpulse.summary.SummaryBuilder;
import io.ifpulse.summary.SummaryCodec;
import io.ifpulse.summary.SummaryTick;
import io.vertx.core.eventbus.MessageConsumer;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers what the samples said: per device its last sample (as {@link LastInterfaces}) and
 * status, per interface the last {@code historySeconds} of in/out rates. It is an ordinary
 * consumer of the public addresses, so in a cluster every node that runs it holds the history of
 * every device, whoever polls it.
 *
 * <p>History is kept per interface, by ifIndex <em>and</em> name: an agent may give two interfaces
 * one name (two "eth0" in different line cards or contexts), and each keeps its own series. An
 * agent restart may renumber ifIndex: when a rediscovery moves a name that is unique on the device
 * to another ifIndex, its series moves along, so the chart of "eth0" continues instead of jumping
 * to another port.
 *
 * <p>Answers request/reply on local-only addresses (each node answers for itself): {@value
 * Addresses#HISTORY_DEVICES}, {@value Addresses#HISTORY_DEVICE} ({@code {"device"}}), {@value
 * Addresses#HISTORY_SERIES} ({@code {"device", "ifIndex"?, "seconds"?}}), and {@value
 * Addresses#HISTORY_CURRENT}: every device's current rates in one {@link CurrentRates} object (for
 * /metrics, which would otherwise ask once per device).
 */
public final class HistoryVerticle extends VerticleBase {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(HistoryVerticle.class.getName());
  private static final long SILENCE_CHECK_MS = 5_000;
  private static final long MIN_SILENCE_MS = 10_000;

  private final DeviceRegistry registry;
  private final int historySeconds;
  private final Map<String, DeviceHistory> byId = new LinkedHashMap<>();

  private final class DeviceHistory {
    final DeviceConfig config;
    final int capacity;
    /** Whether a sample came, and the fields of the latest one that the REST view shows. */
    boolean sampled;
    boolean reachable;
    long lastTs;
    long lastSeq;
    long lastIntervalMs;
    final LastInterfaces last = new LastInterfaces();
    StatusEvent lastStatus;
    /**
     * Why the device is not polled as usual, as the last status event said (its label:
     * "no-credentials", "unresolvable"); null when nothing is wrong with it.
     */
    String state;
    /** With {@code state}: the reason the event gave. */
    String stateReason;
    /** Interface metadata from the latest discovery, by ifIndex. */
    Map<Integer, StatusEvent.Interface> meta = new HashMap<>();
    boolean metadataAsked;
    final Map<SeriesKey, InterfaceHistory> series = new HashMap<>();
    /**
     * The series of the interface at each position of the last sample, and its name. A device's
     * samples list the same interfaces in the same order, so this spares a map lookup per
     * interface; another name at a position falls back to the map.
     */
    InterfaceHistory[] seriesAt = new InterfaceHistory[0];
    String[] nameAt = new String[0];
    int[] indexAt = new int[0];
    /** When a sample or status of the device last arrived (or the consumers were registered). */
    long heardNanos = System.nanoTime();
    boolean silenceLogged;
    /** Registrations made again in this silence: each doubles the wait for the next (up to 32 times). */
    int resubscribed;
    /** When the latest sample arrived: a device silent for long is shown as having no data. */
    long sampleNanos;
    /** Its summary entry, the config it was made with, and whether something it shows has changed since. */
    DeviceEntry entry;
    DeviceConfig entryConfig;
    boolean dirty = true;
    /** What search matches, and the metadata, sample names and config it was made from. */
    String searchText;
    Map<Integer, StatusEvent.Interface> searchMeta;
    long searchNames = -1;
    DeviceConfig searchConfig;
    /** Active alerts, and of them critical. */
    int alerts;
    int critical;

    DeviceHistory(DeviceConfig config) {
      this.config = config;
      // Enough points for the whole window at the live interval, plus one.
      this.capacity = (int) Math.min(1_000_000, historySeconds * 1000L / config.liveIntervalMs() + 1);
    }
  }

  /**
   * Where a node that was not there at a device's discovery finds its interfaces' metadata (in a
   * cluster: the owner's hand-over state). Null when every discovery is seen live.
   */
  private java.util.function.Function<String, Future<JsonObject>> metadataSource;

  public HistoryVerticle withMetadataSource(java.util.function.Function<String, Future<JsonObject>> source) {
    this.metadataSource = source;
    return this;
  }

  /** Samples older than this many intervals (and at least {@value #MIN_STALE_MS} ms) are no longer shown as the device's state. */
  private static final int STALE_INTERVALS = 3;
  private static final long MIN_STALE_MS = 10_000;
  private static final long SUMMARY_TICK_MS = 1_000;
  /** How often the active alerts are read again from the alerts verticle, in case an event was missed. */
  private static final long ALERTS_RECONCILE_MS = 30_000;
  private static final DeliveryOptions LOCAL_TICK = new DeliveryOptions().setLocalOnly(true).setCodecName(SummaryCodec.NAME);
  private final SummaryBuilder summary = new SummaryBuilder();
  private io.ifpulse.summary.SummaryCost summaryCost = new io.ifpulse.summary.SummaryCost();
  /** The active alerts (raise events) by alert id, from {@value Addresses#ALERTS}. */
  private final Map<String, AlertEvent> activeAlerts = new HashMap<>();

  /** Where the CPU of building the summary is counted (shared with the web side's /metrics). */
  public HistoryVerticle withSummaryCost(io.ifpulse.summary.SummaryCost cost) {
    this.summaryCost = cost;
    return this;
  }

  public HistoryVerticle(DeviceRegistry registry, int historySeconds) {
    this.registry = registry;
    this.historySeconds = historySeconds;
  }

  @Override
  public Future<?> start() {
    EventCodecs.register(vertx.eventBus());
    new DeviceSubscriptions(registry, this::attach, this::detach).start(context);
    vertx.setPeriodic(SILENCE_CHECK_MS, t -> resubscribeSilent());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.HISTORY_DEVICES, m -> m.reply(devicesJson()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.HISTORY_DEVICE, this::device);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.HISTORY_SERIES, this::series);
    CurrentRates.registerCodec(vertx.eventBus());
    DeliveryOptions asItIs = new DeliveryOptions().setCodecName(CurrentRates.CODEC);
    vertx.eventBus().localConsumer(Addresses.HISTORY_CURRENT, m -> m.reply(current(), asItIs));
    SummaryCodec.register(vertx.eventBus());
    DeliveryOptions tickAsItIs = new DeliveryOptions().setCodecName(SummaryCodec.NAME);
    vertx.eventBus().localConsumer(Addresses.HISTORY_SUMMARY, m -> m.reply(summary.latest(), tickAsItIs));
    vertx.eventBus().consumer(Addresses.ALERTS, m -> onAlert(EventJson.alert(m.body())));
    // A first tick now: a node that joins late lists every device of the registry (no-data until
    // its next sample) from its first answer on.
    summaryTick();
    vertx.setPeriodic(SUMMARY_TICK_MS, t -> summaryTick());
    // The alerts verticle may start after this one; it lists the alerts raised before this node joined.
    vertx.setTimer(2_000, t -> reconcileAlerts());
    vertx.setPeriodic(ALERTS_RECONCILE_MS, t -> reconcileAlerts());
    return Future.succeededFuture();
  }

  private final Map<String, List<MessageConsumer<Object>>> consumers = new HashMap<>();

  private void attach(String id) {
    DeviceHistory h = new DeviceHistory(registry.device(id));
    byId.put(id, h);
    subscribe(id, h);
    for (AlertEvent e : activeAlerts.values()) if (id.equals(e.device())) count(e, +1);
  }

  /**
   * A device's samples may stop reaching this node while its owner still publishes them: in two
   * benchmark runs, a node that had joined a running cluster never received one device of 60,
   * while the owner's own history had them all (docs/BENCHMARKS.md, scenario 6). A new
   * registration makes every node learn this node's subscription again. A device that is silent
   * because nobody polls it costs one re-registration per check.
   */
  private void resubscribeSilent() {
    long now = System.nanoTime();
    // By the registry's list, not a registry lookup per device: that is a scan of the list each, and
    // at 5,000 devices the 25 million comparisons held the loop for seconds every check.
    for (DeviceConfig c : registry.devices()) {
      DeviceHistory h = byId.get(c.id());
      if (h == null || !c.enabled()) continue;
      Map.Entry<String, DeviceHistory> e = Map.entry(c.id(), h);
      long silentMs = (now - h.heardNanos) / 1_000_000;
      // Doubled after each registration made in vain: a device that nobody polls yet (a cold
      // discovery of thousands, a cluster still forming) would otherwise be re-registered every
      // five intervals, and each re-registration can drop a sample already on its way.
      long base = Math.max(MIN_SILENCE_MS, 5L * Math.max(c.intervalMs(), c.liveIntervalMs()));
      if (silentMs < base << Math.min(h.resubscribed, 5)) continue;
      if (!h.silenceLogged) {
        // Usually nobody polls it yet (a cluster starting, a long discovery): hence INFO, once per silence.
        LOG.info(e.getKey() + ": no sample or status for " + silentMs + " ms; registering for its addresses again"
            + " in case this node's subscription was lost");
        h.silenceLogged = true;
      }
      List<MessageConsumer<Object>> old = consumers.remove(e.getKey());
      if (old != null) old.forEach(MessageConsumer::unregister);
      subscribe(e.getKey(), h);
      h.heardNanos = now;
      h.resubscribed++;
    }
  }

  private void subscribe(String id, DeviceHistory h) {
    consumers.put(id, List.of(
        vertx.eventBus().consumer(Addresses.traffic(id), m -> onSample(h, EventJson.traffic(m.body()))),
        vertx.eventBus().consumer(Addresses.status(id), m -> onStatus(h, EventJson.status(m.body())))));
  }

  /** A series: one interface of a device, as the agent numbers and names it. */
  private record SeriesKey(String name, int ifIndex) {}

  /**
   * Moves the series of a name that a rediscovery found at another ifIndex (an agent restart that
   * renumbered its interfaces): only a name that is unique on the device, before and after, since
   * for duplicated names nothing says which went where.
   */
  private static void renumbered(DeviceHistory h, java.util.Collection<StatusEvent.Interface> now) {
    Map<String, Integer> count = new HashMap<>();
    for (StatusEvent.Interface m : now) count.merge(m.name(), 1, Integer::sum);
    Map<String, SeriesKey> before = new HashMap<>();
    Map<String, Integer> countBefore = new HashMap<>();
    for (SeriesKey k : h.series.keySet()) {
      before.put(k.name(), k);
      countBefore.merge(k.name(), 1, Integer::sum);
    }
    for (StatusEvent.Interface m : now) {
      if (count.get(m.name()) != 1 || countBefore.getOrDefault(m.name(), 0) != 1) continue;
      SeriesKey old = before.get(m.name());
      if (old.ifIndex() == m.ifIndex()) continue;
      SeriesKey moved = new SeriesKey(m.name(), m.ifIndex());
      if (h.series.containsKey(moved)) continue;
      h.series.put(moved, h.series.remove(old));
    }
  }

  private void detach(String id) {
    byId.remove(id);
    List<MessageConsumer<Object>> cs = consumers.remove(id);
    if (cs != null) cs.forEach(MessageConsumer::unregister);
  }

  private void onSample(DeviceHistory h, TrafficSample s) {
    h.heardNanos = System.nanoTime();
    h.sampleNanos = h.heardNanos;
    h.dirty = true;
    h.silenceLogged = false;
    h.resubscribed = 0;
    h.sampled = true;
    if ("no-credentials".equals(h.state) || "unresolvable".equals(h.state)) h.state = null; // polled after all
    h.reachable = s.reachable();
    h.lastTs = s.ts();
    h.lastSeq = s.seq();
    h.lastIntervalMs = s.intervalMs();
    if (h.meta.isEmpty() && metadataSource != null && !h.metadataAsked) {
      h.metadataAsked = true;
      metadataSource.apply(h.config.id()).onSuccess(state -> {
        if (state == null || !h.meta.isEmpty() || !(state.getValue("interfaces") instanceof JsonArray ifs)) return;
        // The hand-over state lists the interfaces as status events do (and a little more).
        Map<Integer, StatusEvent.Interface> meta = new HashMap<>();
        for (Object o : ifs) {
          StatusEvent.Interface i = EventJson.statusInterface((JsonObject) o);
          meta.put(i.ifIndex(), i);
        }
        h.meta = meta;
      });
    }
    long ts = s.ts();
    List<InterfaceSample> ifs = s.interfaces();
    h.last.update(ifs);
    if (h.seriesAt.length != ifs.size()) {
      h.seriesAt = new InterfaceHistory[ifs.size()];
      h.nameAt = new String[ifs.size()];
      h.indexAt = new int[ifs.size()];
    }
    // Runs for every interface of every sample: no lambda, no boxed defaults.
    for (int k = 0; k < ifs.size(); k++) {
      InterfaceSample i = ifs.get(k);
      String name = i.name();
      InterfaceHistory series = h.seriesAt[k];
      if (series == null || h.indexAt[k] != i.ifIndex() || !java.util.Objects.equals(h.nameAt[k], name)) {
        SeriesKey key = new SeriesKey(name, i.ifIndex());
        series = h.series.get(key);
        if (series == null) {
          series = new InterfaceHistory(h.capacity, ts);
          h.series.put(key, series);
        }
        h.seriesAt[k] = series;
        h.nameAt[k] = name;
        h.indexAt[k] = i.ifIndex();
      }
      // A rate the sample leaves out is unknown: NaN, which the history keeps as a gap (so is a gap's).
      series.add(ts, i.inBps(), i.outBps());
    }
  }

  private void onStatus(DeviceHistory h, StatusEvent s) {
    h.heardNanos = System.nanoTime();
    h.resubscribed = 0;
    h.dirty = true;
    boolean link = s.event() == StatusEvent.Event.LINK_DOWN || s.event() == StatusEvent.Event.LINK_UP;
    // A link change is about one interface, which the samples carry: the device's last word on
    // itself (an unreachable device's error) stays; only the statistics are newer.
    h.lastStatus = link && h.lastStatus != null ? h.lastStatus.withStats(s.stats()) : s;
    // A state holds until a discovery or a sample says otherwise, whatever the last sample said.
    switch (s.event()) {
      case NO_CREDENTIALS, UNRESOLVABLE, LIMITED, NO_INTERFACES -> {
        h.state = s.event().label;
        h.stateReason = s.error();
      }
      // A discovery's outcome: what limited it, if anything, follows at once.
      case DISCOVERED, INTERFACES_CHANGED -> h.state = null;
      case REACHABLE, UNREACHABLE -> {
        if ("no-credentials".equals(h.state) || "unresolvable".equals(h.state)) h.state = null;
      }
      default -> { }
    }
    if (s.interfaces() != null) {
      Map<Integer, StatusEvent.Interface> meta = new HashMap<>();
      for (StatusEvent.Interface i : s.interfaces()) meta.put(i.ifIndex(), i);
      h.meta = meta;
      renumbered(h, meta.values());
      // Forget series of interfaces that no longer exist, so memory follows the device.
      java.util.Set<SeriesKey> keys = new java.util.HashSet<>();
      for (StatusEvent.Interface m : meta.values()) keys.add(new SeriesKey(m.name(), m.ifIndex()));
      h.series.keySet().retainAll(keys);
      // Positions may now point at forgotten series.
      h.seriesAt = new InterfaceHistory[0];
      h.nameAt = new String[0];
      h.indexAt = new int[0];
    }
  }

  private JsonObject devicesJson() {
    JsonArray out = new JsonArray();
    for (DeviceConfig d : registry.devices()) {
      DeviceHistory h = byId.get(d.id());
      if (h != null) out.add(summary(h, d)); // the entry at hand: a lookup per device would scan the list each
    }
    return new JsonObject().put("devices", out);
  }

  private JsonObject summary(DeviceHistory h) {
    return summary(h, registry.device(h.config.id()));
  }

  /** @param current the registry's current entry (a device changed through the API keeps its history here); null if gone */
  private JsonObject summary(DeviceHistory h, DeviceConfig current) {
    DeviceConfig c = current != null ? current : h.config;
    JsonObject j = new JsonObject()
        .put("id", c.id())
        .put("host", c.host())
        .put("port", c.port())
        .put("version", c.version() == null ? null : c.version().label)
        .put("credentials", c.credentialsLabel())
        .put("enabled", c.enabled())
        .put("baseIntervalMs", c.intervalMs())
        .put("liveIntervalMs", c.liveIntervalMs());
    if (h.state != null) {
      j.put("state", h.state);
      if (h.stateReason != null) j.put("stateReason", h.stateReason);
    }
    Boolean reachable = reachable(h);
    j.put("reachable", reachable);
    double in = 0;
    double out = 0;
    int count = h.meta.size();
    if (h.sampled) {
      long interval = intervalMs(h, c);
      j.put("intervalMs", interval).put("live", c.isLive(interval));
      j.put("lastTs", h.lastTs).put("seq", h.lastSeq);
      count = h.last.size();
      in = h.last.sum(Rate.IN_BPS);
      out = h.last.sum(Rate.OUT_BPS);
    } else {
      j.put("intervalMs", c.intervalMs()).put("live", false).putNull("lastTs");
    }
    j.put("interfaces", count).put("inBps", in).put("outBps", out);
    if (h.lastStatus != null) {
      j.put("stats", h.lastStatus.stats());
      if (h.lastStatus.error() != null && Boolean.FALSE.equals(reachable)) j.put("error", h.lastStatus.error());
    }
    return j;
  }

  private static Boolean reachable(DeviceHistory h) {
    if ("no-credentials".equals(h.state) || "unresolvable".equals(h.state)) return false;
    if (h.sampled) return h.reachable;
    return h.lastStatus != null ? h.lastStatus.reachable() : null;
  }

  /** The interval of the latest sample (the live one while watched), else the configured one. */
  private static long intervalMs(DeviceHistory h, DeviceConfig c) {
    return h.sampled ? h.lastIntervalMs : c.intervalMs();
  }

  /** Every device's current rates, in the registry's order (see {@link CurrentRates}). */
  private CurrentRates current() {
    List<CurrentRates.Device> out = new java.util.ArrayList<>(byId.size());
    for (DeviceConfig d : registry.devices()) {
      DeviceHistory h = byId.get(d.id());
      if (h != null) out.add(new CurrentRates.Device(d.id(), reachable(h), intervalMs(h, d), currentInterfaces(h)));
    }
    return new CurrentRates(java.util.Collections.unmodifiableList(out));
  }

  /**
   * The interfaces as {@link #device} merges them (discovery's metadata, the latest sample's name,
   * state and rates), read column by column from the latest sample.
   */
  private static List<CurrentRates.Interface> currentInterfaces(DeviceHistory h) {
    LastInterfaces last = h.last;
    Map<Integer, Integer> atPosition = new HashMap<>();
    for (int k = 0; k < last.size(); k++) atPosition.put(last.ifIndex(k), k);
    java.util.TreeSet<Integer> indexes = new java.util.TreeSet<>(h.meta.keySet());
    indexes.addAll(atPosition.keySet());
    List<CurrentRates.Interface> out = new java.util.ArrayList<>(indexes.size());
    for (int ifIndex : indexes) {
      StatusEvent.Interface meta = h.meta.get(ifIndex);
      String metaName = meta == null ? null : meta.name();
      Integer k = atPosition.get(ifIndex);
      if (k != null && metaName != null && !metaName.equals(last.name(k))) k = null; // renumbered since the sample, as in device()
      double speed = meta != null ? meta.speedBps() : k != null && last.speedBps(k) > 0 ? last.speedBps(k) : Double.NaN;
      if (k == null) {
        out.add(new CurrentRates.Interface(ifIndex, metaName, meta == null ? null : meta.oper(), speed, null));
        continue;
      }
      double[] own = null;
      if (!last.isGap(k)) {
        own = new double[Rate.ALL.length];
        for (Rate r : Rate.ALL) own[r.ordinal()] = last.rate(r, k);
      }
      out.add(new CurrentRates.Interface(ifIndex, last.name(k), last.oper(k), speed, own));
    }
    return java.util.Collections.unmodifiableList(out);
  }

  private void device(Message<JsonObject> m) {
    DeviceHistory h = byId.get(m.body().getString("device"));
    if (h == null) {
      m.fail(404, "no such device");
      return;
    }
    Map<Integer, Integer> atPosition = new HashMap<>();
    for (int k = 0; k < h.last.size(); k++) atPosition.put(h.last.ifIndex(k), k);
    JsonArray ifs = new JsonArray();
    java.util.TreeSet<Integer> indexes = new java.util.TreeSet<>(h.meta.keySet());
    indexes.addAll(atPosition.keySet());
    for (int ifIndex : indexes) {
      StatusEvent.Interface meta = h.meta.get(ifIndex);
      Integer k = atPosition.get(ifIndex);
      if (k != null && meta != null && meta.name() != null && !meta.name().equals(h.last.name(k))) {
        // Rediscovery after a restart renumbered the interfaces; the last sample predates it.
        k = null;
      }
      JsonObject i = meta != null ? meta.toJson() : new JsonObject().put("ifIndex", ifIndex);
      JsonObject rate = null;
      if (k != null) {
        InterfaceSample latest = h.last.iface(k);
        rate = latest.toJson();
        i.put("name", latest.name()).put("oper", latest.oper());
        if (meta == null && latest.speedBps() > 0) i.put("speedBps", latest.speedBps());
      }
      i.put("rate", rate);
      ifs.add(i);
    }
    m.reply(new JsonObject().put("device", summary(h)).put("interfaces", ifs));
  }

  private void series(Message<JsonObject> m) {
    JsonObject q = m.body();
    DeviceHistory h = byId.get(q.getString("device"));
    if (h == null) {
      m.fail(404, "no such device");
      return;
    }
    int seconds = Math.max(1, Math.min(historySeconds, q.getInteger("seconds", historySeconds)));
    long from = Math.round(MonotonicClock.nowEpochMillis()) - seconds * 1000L;
    Integer ifIndex = q.getInteger("ifIndex");
    Map<Integer, String> names = namesByIndex(h);
    if (ifIndex != null) {
      String name = names.get(ifIndex);
      InterfaceHistory s = name == null ? null : h.series.get(new SeriesKey(name, ifIndex));
      if (s == null) {
        m.fail(404, "no such interface");
        return;
      }
      m.reply(s.since(from).put("device", h.config.id()).put("ifIndex", ifIndex).put("name", name));
      return;
    }
    JsonObject all = new JsonObject();
    names.forEach((idx, name) -> {
      InterfaceHistory s = h.series.get(new SeriesKey(name, idx));
      if (s != null) all.put(String.valueOf(idx), s.since(from));
    });
    m.reply(new JsonObject().put("device", h.config.id()).put("interfaces", all));
  }

  /** ifIndex → name as the latest sample (else discovery) has them. */
  private static Map<Integer, String> namesByIndex(DeviceHistory h) {
    Map<Integer, String> names = new java.util.TreeMap<>();
    h.meta.forEach((idx, meta) -> names.put(idx, meta.name()));
    for (int k = 0; k < h.last.size(); k++) names.put(h.last.ifIndex(k), h.last.name(k));
    return names;
  }

  // ---- the summary (docs/EVENTS.md, "ifpulse.summary")

  /**
   * Once a second: the entries of the devices whose samples, status, alerts or config changed are
   * made again (the others are kept as they are), and a tick published if anything changed.
   */
  private void summaryTick() {
    long cpu = io.ifpulse.summary.SummaryCost.now();
    long now = System.nanoTime();
    List<DeviceConfig> devices = registry.devices();
    List<DeviceEntry> all = new java.util.ArrayList<>(devices.size());
    for (DeviceConfig d : devices) {
      DeviceHistory h = byId.get(d.id());
      if (h == null) continue; // attached on the next run of the loop
      DeviceState state = summaryState(h, d, now);
      if (h.dirty || h.entry == null || h.entryConfig != d || h.entry.state() != state) {
        h.entry = entry(h, d, state);
        h.entryConfig = d;
        h.dirty = false;
      }
      all.add(h.entry);
    }
    SummaryTick tick = summary.tick(Math.round(MonotonicClock.nowEpochMillis()), all);
    summaryCost.built(cpu); // the publication below is delivery, counted by its consumers
    if (tick != null) vertx.eventBus().publish(Addresses.SUMMARY, tick, LOCAL_TICK);
  }

  private DeviceState summaryState(DeviceHistory h, DeviceConfig d, long nowNanos) {
    if (!d.enabled()) return DeviceState.DISABLED;
    if ("no-credentials".equals(h.state)) return DeviceState.NO_CREDENTIALS;
    // A name that does not resolve cannot be reached; why is in the device's own summary (stateReason).
    if ("unresolvable".equals(h.state)) return DeviceState.UNREACHABLE;
    if (!h.sampled) {
      return h.lastStatus != null && !h.lastStatus.reachable() ? DeviceState.UNREACHABLE : DeviceState.NO_DATA;
    }
    long staleMs = Math.max(MIN_STALE_MS, STALE_INTERVALS * Math.max(h.lastIntervalMs, d.intervalMs()));
    if ((nowNanos - h.sampleNanos) / 1_000_000 > staleMs) return DeviceState.NO_DATA; // nobody polls it now
    return h.reachable ? DeviceState.UP : DeviceState.UNREACHABLE;
  }

  private DeviceEntry entry(DeviceHistory h, DeviceConfig d, DeviceState state) {
    if (h.searchText == null || h.searchMeta != h.meta || h.searchNames != h.last.namesVersion() || h.searchConfig != d) {
      List<String> words = new java.util.ArrayList<>();
      for (StatusEvent.Interface i : h.meta.values()) {
        words.add(i.name());
        words.add(i.alias());
      }
      for (int k = 0; k < h.last.size(); k++) words.add(h.last.name(k));
      h.searchText = DeviceSummaries.searchText(d.id(), d.host(), d.tags(), words);
      h.searchMeta = h.meta;
      h.searchNames = h.last.namesVersion();
      h.searchConfig = d;
    }
    boolean current = state == DeviceState.UP || state == DeviceState.UNREACHABLE;
    return DeviceSummaries.of(d.id(), d.host(), d.tags(), state, current && h.sampled ? h.last : null, h.meta.size(),
        h.sampled ? h.lastTs : -1, h.alerts, h.critical, h.searchText);
  }

  private void onAlert(AlertEvent e) {
    AlertEvent before = e.state() == AlertEvent.State.RAISED ? activeAlerts.put(e.id(), e) : activeAlerts.remove(e.id());
    if (before != null) count(before, -1);
    if (e.state() == AlertEvent.State.RAISED) count(e, +1);
  }

  private void count(AlertEvent e, int delta) {
    DeviceHistory h = byId.get(e.device());
    if (h == null) return;
    h.alerts = Math.max(0, h.alerts + delta);
    if (e.severity() == AlertEvent.Severity.CRITICAL) h.critical = Math.max(0, h.critical + delta);
    h.dirty = true;
  }

  /** Takes the alerts verticle's list of active alerts as the truth (absent on a hub without it). */
  private void reconcileAlerts() {
    vertx.eventBus().<JsonObject>request(Addresses.ALERTS_QUERY, null).onSuccess(m -> {
      JsonArray active = m.body().getJsonArray("active");
      if (active == null) return;
      Map<String, AlertEvent> now = new HashMap<>();
      for (Object o : active) {
        AlertEvent e = EventJson.alert(o);
        now.put(e.id(), e);
      }
      if (now.keySet().equals(activeAlerts.keySet())) return;
      activeAlerts.clear();
      activeAlerts.putAll(now);
      for (DeviceHistory h : byId.values()) {
        if (h.alerts != 0 || h.critical != 0) h.dirty = true;
        h.alerts = 0;
        h.critical = 0;
      }
      for (AlertEvent e : now.values()) count(e, +1);
    });
  }

  /** Bytes held by all series (for /metrics). */
  long bytes() {
    long b = 0;
    for (DeviceHistory h : byId.values()) for (InterfaceHistory s : h.series.values()) b += s.bytes();
    return b;
  }
}
