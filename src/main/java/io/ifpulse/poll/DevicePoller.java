package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.discovery.InterfaceDiscovery;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.rate.DeviceRateEngine;
import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.snmp.ReplyDecoder;
import io.ifpulse.snmp.SnmpClient;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Polls one device on its own schedule, entirely on the poller verticle's event loop and without
 * ever waiting: each poll sends its requests and returns; the replies finish it. A poll still
 * running when the next is due is not doubled up: the tick is skipped and counted as an overrun.
 *
 * <p>The rules live in parts without I/O, each tested in tables: {@link PollSchedule} (when),
 * {@link RequestPlanner} (what, in which GETs), {@link ReplyDecoder} and {@link PollRound} (what
 * the replies say), {@link DeviceRateEngine} (the rates), {@link InterfaceChanges} (what a
 * discovery changed), {@link HandoverState} (what the next owner continues from). This class
 * wires them to timers, the SNMP client, discovery and the bus.
 */
final class DevicePoller {
  private static final Logger LOG = Logger.getLogger(DevicePoller.class.getName());

  private final Vertx vertx;
  private final SnmpClient client;
  private final DeviceConfig config;
  private final HandoverStore handover;
  /** The agent (host:port) the hand-over state belongs to. */
  private final String endpoint;
  private final DeviceRateEngine engine;
  private final RequestPlanner planner;
  private final ReplyDecoder decoder;
  private final PollSchedule schedule;
  private final PollStats stats;
  private final DeviceStatus status;
  private final DeviceDiscovery discovery;
  /** The polled interfaces' facts, as the hand-over state carries them. */
  private List<InterfaceInfo> infos = List.of();
  private Timer timer;
  private boolean stopped;
  private boolean pollRunning;
  /** The last discovery succeeded and kept no interface: rediscover on schedule only. */
  private boolean discoveredNone;
  private long seq;
  /** This device's notifications (ifpulse.traps.<id>), from whichever node received them. */
  private io.vertx.core.eventbus.MessageConsumer<Object> notifications;
  /** ifIndex → {the oper status a notification said, the agent's before it}: samples say the former until the agent agrees or changes. */
  private final java.util.Map<Integer, String[]> notifiedOper = new java.util.HashMap<>();
  /** ifIndex → the oper status of the last sample. */
  private final java.util.Map<Integer, String> lastOper = new java.util.HashMap<>();
  /** When the last poll a notification asked for started; a storm is served by one poll per {@link #NOTIFIED_POLL_GAP_NANOS}. */
  private long lastNotifiedPoll = Long.MIN_VALUE / 2;
  private boolean notifiedPollPending;
  static final long NOTIFIED_POLL_GAP_NANOS = 200_000_000L;

  DevicePoller(Vertx vertx, SnmpClient client, DeviceConfig config, HandoverStore handover, PollTiming timing, long slotMs) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.handover = handover;
    this.endpoint = config.host() + ":" + config.port();
    this.stats = new PollStats(timing);
    this.engine = new DeviceRateEngine(config.plausibilityFactor(), 30_000_000_000L);
    this.planner = new RequestPlanner(config.maxReplyBytes(), RequestPlanner.replyOverhead(config));
    this.decoder = new ReplyDecoder(config);
    this.schedule = new PollSchedule(config.id(), config.intervalMs(), config.liveIntervalMs(), slotMs, System::nanoTime,
        MonotonicClock::epochMillis);
    this.status = new DeviceStatus(config, this::stats, ev -> vertx.eventBus().publish(Addresses.status(config.id()), ev));
    this.discovery = new DeviceDiscovery(vertx, client, config, status);
  }

  DeviceConfig config() {
    return config;
  }

  void start() {
    notifications = vertx.eventBus().consumer(Addresses.traps(config.id()), m -> notified(m.body()));
    discovery.register().onComplete(r -> {
      if (stopped) return;
      if (r.failed()) {
        scheduleNext(true); // the next tick registers again
        return;
      }
      handover.load(config.id()).onComplete(ar -> {
        if (stopped) return;
        if (ar.succeeded() && ar.result() != null && restore(ar.result())) {
          // Taken over from another node: its last counters are the anchors, so the very first
          // poll already measures the right rate; poll at the next live slot.
          schedule.warmUp(1);
          scheduleNext(true);
        } else {
          discovery.discover(this::discovered).onComplete(d -> scheduleNext(true));
        }
      });
    });
  }

  /** Continues from another node's state; false when there is none worth continuing from. */
  private boolean restore(JsonObject json) {
    HandoverState state = HandoverState.takeOver(json, endpoint, Math.round(MonotonicClock.nowEpochMillis()), config);
    if (state == null) return false;
    setInterfaces(state.interfaces().stream().map(i -> new PolledInterface(i, config.read())).toList());
    engine.importAnchors(state.anchors());
    seq = state.seq();
    status.continued();
    discovery.continued();
    return true;
  }

  void stop() {
    stopped = true;
    if (notifications != null) notifications.unregister();
    status.stop();
    if (timer != null) timer.cancel();
    client.unregister(config.id());
  }

  /**
   * Changes the polling interval: the next poll moves to the next slot of the new grid, so a
   * device that becomes watched is polled within one live interval.
   */
  void setInterval(long intervalMs) {
    if (schedule.setInterval(intervalMs, PollSchedule.wrapCapMs(planner.interfaces()))) reschedule();
  }

  private void setInterfaces(List<PolledInterface> next) {
    planner.setInterfaces(next);
    infos = next.stream().map(p -> p.info).toList();
    // Their counter widths decide the wrap cap.
    if (!schedule.setInterval(schedule.requestedMs(), PollSchedule.wrapCapMs(next))) return;
    if (schedule.intervalMs() < schedule.requestedMs()) {
      LOG.info(config + ": polling every " + schedule.intervalMs() + " ms instead of " + schedule.requestedMs()
          + " ms: a 32-bit octet counter would wrap twice in between at line rate");
    }
    reschedule();
  }

  private void reschedule() {
    if (timer != null && timer.cancel()) {
      timer = null;
      scheduleNext(true);
    }
  }

  /** The raw counters of the last poll, per interface, for exporters that compute rates themselves. */
  JsonObject counters() {
    return stats.counters(planner.interfaces());
  }

  JsonObject stats() {
    return stats.toJson(discovery.agent(), planner, decoder, schedule.intervalMs())
        .put("missedSlots", schedule.missedSlots())
        .put("limits", discovery.limitsJson());
  }

  private void scheduleNext(boolean fromNow) {
    if (stopped) return;
    // A deadline in nanoseconds, not rounded up to a whole millisecond from this moment: devices
    // in one slot then share one deadline, and the event loop runs them in one wake-up.
    long due = schedule.next(fromNow);
    Timer t = vertx.timer(Math.max(1, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    timer = t;
    t.onSuccess(v -> {
      if (timer == t) timer = null;
      tick(System.nanoTime() - due);
      scheduleNext(false);
    });
  }

  private void tick(long latenessNanos) {
    if (stopped) return;
    if (pollRunning || discovery.busy()) {
      stats.overrun();
      return;
    }
    if (discovery.agent() == null) {
      discovery.register().onSuccess(v -> discovery.discover(this::discovered));
      return;
    }
    if ((infos.isEmpty() && !discoveredNone) || discovery.due()) {
      discovery.refreshName().onComplete(v -> {
        if (!stopped) discovery.discover(this::discovered);
      });
      return;
    }
    // The last discovery kept nothing (status no-interfaces): nothing to ask until the next one.
    if (infos.isEmpty()) return;
    poll(latenessNanos);
  }

  /**
   * What notifications said of interfaces' states, over the agent's: until the agent says the same
   * (its tables caught up) or something else than before the notification (it changed since).
   */
  private List<io.ifpulse.events.InterfaceSample> withNotifiedOper(List<io.ifpulse.events.InterfaceSample> sample) {
    if (notifiedOper.isEmpty()) {
      for (io.ifpulse.events.InterfaceSample i : sample) lastOper.put(i.ifIndex(), i.oper());
      return sample;
    }
    List<io.ifpulse.events.InterfaceSample> out = new ArrayList<>(sample.size());
    for (io.ifpulse.events.InterfaceSample i : sample) {
      String[] said = notifiedOper.get(i.ifIndex());
      lastOper.put(i.ifIndex(), i.oper());
      if (said != null && (said[0].equals(i.oper()) || (said[1] != null && !said[1].equals(i.oper())))) {
        notifiedOper.remove(i.ifIndex());
        said = null;
      }
      out.add(said == null ? i : i.withOper(said[0]));
    }
    return out;
  }

  private void discovered(InterfaceDiscovery.Result result) {
    // A discovery reads the agent's own table: from now on its word, not an older notification's.
    notifiedOper.clear();
    InterfaceChanges changes = InterfaceChanges.of(planner.interfaces(), result.polled(), config.read());
    // An ifIndex that now names another interface starts over: its counters are not comparable.
    engine.retain(changes.same());
    // The first discovery, or the first to find anything after failures; a device whose last
    // discovery found nothing to poll is compared with that.
    boolean first = !status.known() || (infos.isEmpty() && !discoveredNone);
    setInterfaces(changes.polled());
    discoveredNone = infos.isEmpty();
    status.discovered(result, changes, first);
  }

  /**
   * A notification of this device (io.ifpulse.traps): linkDown and linkUp set the interface's
   * state at once; coldStart and warmStart start every interface over (the agent's counters did),
   * and every notification has the device polled now, its samples not waiting for the schedule.
   */
  private void notified(Object body) {
    if (stopped || !(body instanceof JsonObject json)) return;
    io.ifpulse.events.Notification n = io.ifpulse.events.Notification.fromJson(json);
    if (n == null || !config.id().equals(n.device())) return;
    if (n.isLinkChange()) {
      for (InterfaceInfo i : infos) {
        if (i.ifIndex() != n.ifIndex()) continue;
        boolean down = io.ifpulse.events.Notification.LINK_DOWN.equals(n.name());
        String oper = n.oper() != null ? n.oper() : down ? "down" : "up";
        notifiedOper.put(i.ifIndex(), new String[] {oper, lastOper.get(i.ifIndex())});
        status.linkChanged(i, down, oper);
      }
    }
    if (n.isRestart()) {
      // The counters started again: the next readings anchor anew (a gap), and the agent may have
      // renumbered its interfaces.
      engine.retain(java.util.Set.of());
      notifiedOper.clear();
      discovery.want();
      // The engine needs two fresh readings for a rate (DeviceRateEngine): at the live interval, as
      // after a start, so the gap lasts seconds rather than two base intervals.
      schedule.warmUp(2);
      reschedule();
    }
    pollSoon();
  }

  /** A poll now, or as soon as the running one ends, at most one per NOTIFIED_POLL_GAP_NANOS. */
  private void pollSoon() {
    if (stopped || discovery.agent() == null || infos.isEmpty()) return;
    long wait = lastNotifiedPoll + NOTIFIED_POLL_GAP_NANOS - System.nanoTime();
    if (pollRunning || discovery.busy() || wait > 0) {
      if (notifiedPollPending) return;
      notifiedPollPending = true;
      vertx.setTimer(Math.max(1, wait / 1_000_000), t -> {
        notifiedPollPending = false;
        pollSoon();
      });
      return;
    }
    lastNotifiedPoll = System.nanoTime();
    if (discovery.due()) {
      // A restart asked for it (or it was due anyway): look first, so that the interfaces start
      // over once, in the poll right after, rather than again at the next discovery.
      discovery.refreshName().onComplete(v -> {
        if (stopped) return;
        discovery.discover(this::discovered).onComplete(d -> {
          if (!stopped && !pollRunning && !infos.isEmpty()) poll(-1);
        });
      });
      return;
    }
    poll(-1);
  }

  private void poll(long latenessNanos) {
    List<PlannedGet> requests = planner.requests();
    pollRunning = true;
    if (latenessNanos >= 0) stats.pollStarted(latenessNanos);
    else stats.pollStartedOffSchedule();
    long started = System.nanoTime();
    PollRound round = new PollRound(planner, decoder, config);
    List<Future<Void>> parts = new ArrayList<>(requests.size());
    for (PlannedGet get : requests) parts.add(request(get, round));
    Future.join(parts).onComplete(ar -> {
      pollRunning = false;
      if (stopped) return;
      finishPoll(round, System.nanoTime() - started);
    });
  }

  /** Sends one GET; asks again in two halves when the agent says tooBig. */
  private Future<Void> request(PlannedGet get, PollRound round) {
    return get.request.send(client, discovery.agent()).compose(reply -> {
      if (reply.tooBig() && get.interfaces.size() > 1) {
        if (planner.tooBig(get)) shrunk("tooBig");
        List<PlannedGet> halves = planner.split(get);
        return Future.join(request(halves.get(0), round), request(halves.get(1), round)).mapEmpty();
      }
      round.take(get, reply);
      return Future.succeededFuture();
    });
  }

  private void shrunk(String why) {
    LOG.info(config + ": requests now carry at most " + planner.maxVarbinds() + " varbinds (" + why + ")");
  }

  private void finishPoll(PollRound round, long tookNanos) {
    List<InterfaceReading> readings = round.readings();
    stats.pollFinished(tookNanos, readings);
    boolean answered = round.answered() > 0;
    int timedOutLarge = planner.pollFinished(answered);
    if (timedOutLarge > 0) shrunk("timeout of a " + timedOutLarge + "-varbind request");
    status.reachable(answered, answered ? null
        : round.timedOut() > 0 ? "timeout" : String.valueOf(discovery.agent().stats().lastError()));
    if (round.rediscover()) discovery.want();
    List<InterfaceRate> rates = engine.update(readings);
    boolean restarted = false;
    for (InterfaceRate r : rates) restarted |= r.state() == InterfaceRate.State.GAP && r.gap() == InterfaceRate.Gap.AGENT_RESTART;
    if (restarted) {
      // A restarted agent may have renumbered its interfaces: look again before the next poll.
      discovery.want();
      status.restarted();
    }
    long read = round.latestReadNanos();
    long ts = Math.round(MonotonicClock.epochMillis(read == Long.MIN_VALUE ? System.nanoTime() : read));
    // The record itself: this process's consumers share it, other nodes get its JSON (EventCodecs,
    // which PollerVerticle registers).
    List<InterfaceSample> entries = withNotifiedOper(round.sample(rates));
    stats.published(entries);
    vertx.eventBus().publish(Addresses.traffic(config.id()), TrafficSample.of(config.id(), ++seq, ts,
        stats.lastPollMs(), schedule.intervalMs(), answered, entries));
    // Building the state costs a JSON object per interface per poll: only where someone takes it.
    if (!readings.isEmpty() && handover != HandoverStore.NONE) {
      handover.save(config.id(), new HandoverState(seq, endpoint, Math.round(MonotonicClock.nowEpochMillis()), infos,
          engine.exportAnchors()).toJson());
    }
  }
}
