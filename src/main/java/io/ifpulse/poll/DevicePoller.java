package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.discovery.InterfaceDiscovery;
import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.SharedJsonCodec;
import io.ifpulse.events.TrafficMessage;
import io.ifpulse.rate.Counter;
import io.ifpulse.rate.CounterMath;
import io.ifpulse.rate.DeviceRateEngine;
import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.snmp.SnmpClient;
import io.ifpulse.snmp.SnmpReply;
import io.ifpulse.snmp.TableWalker;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.snmp4j.PDU;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Polls one device on its own schedule, entirely on the poller verticle's event loop and without
 * ever waiting: each poll sends its requests and returns; the replies finish it.
 *
 * <p>A poll reads only sysUpTime and the counter columns of the interfaces discovery kept, packed
 * into as few GETs as fit the reply budget. Its requests go through the client's limits, so a dead
 * or slow device only ever occupies its own share. A poll still running when the next is due is
 * not doubled up: the tick is skipped and counted as an overrun.
 */
final class DevicePoller {
  private static final Logger LOG = Logger.getLogger(DevicePoller.class.getName());
  private static final OID SYS_UPTIME = new OID("1.3.6.1.2.1.1.3.0");
  private static final int MIN_VARBINDS = 4;
  /** Samples reach this process's consumers uncopied (PollerVerticle registers the codec). */
  private static final DeliveryOptions SHARED = new DeliveryOptions().setCodecName(SharedJsonCodec.NAME);

  private final Vertx vertx;
  private final SnmpClient client;
  private final DeviceConfig config;
  /** Null until registered (a v3 agent's engine ID learned, a host name resolved), and after a v3 agent stops answering. */
  private SnmpClient.Agent agent;
  private final DeviceRateEngine engine;
  private final int replyOverhead;
  private final HandoverStore handover;
  /** Hand-over state older than this is not continued from: the anchors would span too long. */
  private static final long HANDOVER_MAX_AGE_MS = 10 * 60_000;

  private List<PolledInterface> interfaces = List.of();
  private List<InterfaceReading> lastReadings = List.of();
  private List<List<PolledInterface>> plan;
  private int maxVarbinds = Integer.MAX_VALUE;
  private long intervalNanos;
  private long nextDueNanos;
  private int warmupPolls = 3;
  private long requestedIntervalMs;
  private boolean realign;
  private Timer timer;
  private boolean stopped;
  private boolean pollRunning;
  private boolean discovering;
  private boolean rediscoverWanted;
  private long lastDiscoveryNanos;
  private long seq;
  private Boolean reachable;

  // Statistics (event-loop confined).
  private long polls;
  private long overruns;
  private long shrinks;
  private double lastPollMs = Double.NaN;

  private final PollTiming timing;
  private final long slotNanos;

  DevicePoller(Vertx vertx, SnmpClient client, DeviceConfig config, HandoverStore handover, PollTiming timing, long slotMs) {
    this.vertx = vertx;
    this.slotNanos = slotMs * 1_000_000L;
    this.timing = timing;
    this.handover = handover;
    this.client = client;
    this.config = config;
    this.engine = new DeviceRateEngine(config.plausibilityFactor(), 30_000_000_000L);
    this.intervalNanos = config.intervalMs() * 1_000_000L;
    this.requestedIntervalMs = config.intervalMs();
    // Message header, community or USM parameters, PDU header: what a reply carries besides varbinds.
    this.replyOverhead = config.community() != null ? 40 + config.community().reveal().length() : 180;
  }

  String id() {
    return config.id();
  }

  DeviceConfig config() {
    return config;
  }

  void start() {
    register().onComplete(r -> {
      if (stopped) return;
      if (r.failed()) {
        scheduleNext(true); // the next tick registers again
        return;
      }
      continueFromHandoverOrDiscover();
    });
  }

  /** Registers the agent with the client (a round trip for v3, a name lookup for a host name). */
  private Future<Void> register() {
    discovering = true;
    return client.register(vertx, config)
        .onSuccess(a -> agent = a)
        .onFailure(e -> setReachable(false, "cannot register: " + e.getMessage()))
        .<Void>mapEmpty()
        .eventually(() -> {
          discovering = false;
          lastDiscoveryNanos = System.nanoTime();
          return Future.succeededFuture();
        });
  }

  private void continueFromHandoverOrDiscover() {
    handover.load(config.id()).onComplete(ar -> {
      if (stopped) return;
      if (ar.succeeded() && ar.result() != null && restore(ar.result())) {
        // Taken over from another node: its last counters are the anchors, so the very first
        // poll already measures the right rate; poll at the next live slot.
        warmupPolls = 1;
        scheduleNext(true);
      } else {
        discover().onComplete(d -> scheduleNext(true));
      }
    });
  }

  /** Continues from another node's state; false when there is none worth continuing from. */
  private boolean restore(JsonObject state) {
    long age = Math.round(MonotonicClock.nowEpochMillis()) - state.getLong("savedAt", 0L);
    JsonArray ifs = state.getJsonArray("interfaces");
    if (age < 0 || age > HANDOVER_MAX_AGE_MS || ifs == null || ifs.isEmpty()) return false;
    if (!endpoint().equals(state.getString("endpoint"))) {
      // The id now names another agent (changed through the API, or removed and added again):
      // its interfaces and counters would be another device's.
      LOG.info(config + ": hand-over state is for " + state.getString("endpoint", "an unknown agent") + ", not this one; discovering");
      return false;
    }
    try {
      List<PolledInterface> restored = new ArrayList<>();
      for (Object o : ifs) restored.add(new PolledInterface(InterfaceInfo.fromHandoverJson((JsonObject) o), config.read()));
      interfaces = List.copyOf(restored);
      plan = null;
      applyWrapCap();
      engine.importAnchors(state.getJsonObject("anchors", new JsonObject()));
      seq = state.getLong("seq", 0L);
      reachable = true;
      lastDiscoveryNanos = System.nanoTime();
      LOG.info(config + ": taken over with " + interfaces.size() + " interfaces and counters from "
          + state.getString("node", "another node") + " (" + age + " ms old)");
      return true;
    } catch (RuntimeException e) {
      LOG.warning(config + ": hand-over state unusable, discovering instead: " + e);
      return false;
    }
  }

  private void saveHandover() {
    JsonArray ifs = new JsonArray();
    for (PolledInterface p : interfaces) ifs.add(p.info.toHandoverJson());
    handover.save(config.id(), new JsonObject()
        .put("seq", seq)
        .put("endpoint", endpoint())
        .put("savedAt", Math.round(MonotonicClock.nowEpochMillis()))
        .put("interfaces", ifs)
        .put("anchors", engine.exportAnchors()));
  }

  /** The agent the state belongs to. */
  private String endpoint() {
    return config.host() + ":" + config.port();
  }

  void stop() {
    stopped = true;
    if (timer != null) timer.cancel();
    client.unregister(config.id());
  }

  /**
   * Changes the polling interval: the next poll moves to the next slot of the new grid, so a
   * device that becomes watched is polled within one live interval.
   */
  void setInterval(long intervalMs) {
    requestedIntervalMs = intervalMs;
    long n = wrapSafeIntervalMs(intervalMs) * 1_000_000L;
    if (n == intervalNanos) return;
    intervalNanos = n;
    if (timer != null && timer.cancel()) {
      timer = null;
      scheduleNext(true);
    }
  }

  /**
   * The interval, shortened when a polled interface counts octets in 32 bits fast enough to wrap
   * twice within it: at 10 Gbit/s a Counter32 wraps every 3.4 s, and a poll every 10 s could not
   * tell one wrap from three. Polls come at 80 % of the wrap time at line rate at the latest.
   */
  private long wrapSafeIntervalMs(long requested) {
    long cap = Long.MAX_VALUE;
    for (PolledInterface p : interfaces) {
      long speed = p.info.speedIsPhysical() ? p.info.speedBps() : 0;
      boolean octets32 = !p.usingHc[Counter.IN_OCTETS.ordinal()] || !p.usingHc[Counter.OUT_OCTETS.ordinal()];
      if (speed > 0 && octets32) cap = Math.min(cap, (long) (CounterMath.TWO_POW_32 * 8.0 / speed * 1000 * 0.8));
    }
    return Math.max(100, Math.min(requested, cap));
  }

  /** Re-applies the interval after the interfaces changed (their counter widths decide the cap). */
  private void applyWrapCap() {
    long safe = wrapSafeIntervalMs(requestedIntervalMs);
    if (safe * 1_000_000L != intervalNanos) {
      if (safe < requestedIntervalMs) {
        LOG.info(config + ": polling every " + safe + " ms instead of " + requestedIntervalMs
            + " ms: a 32-bit octet counter would wrap twice in between at line rate");
      }
      long keep = requestedIntervalMs;
      intervalNanos = -1; // force setInterval to apply
      setInterval(keep);
    }
  }

  long intervalMs() {
    return intervalNanos / 1_000_000L;
  }

  /** The raw counters of the last poll, per interface, for exporters that compute rates themselves. */
  JsonObject counters() {
    JsonObject out = new JsonObject();
    Map<Integer, PolledInterface> byIndex = new HashMap<>();
    for (PolledInterface p : interfaces) byIndex.put(p.info.ifIndex(), p);
    for (InterfaceReading r : lastReadings) {
      PolledInterface p = byIndex.get(r.ifIndex());
      if (p == null) continue;
      JsonObject c = new JsonObject().put("name", p.info.name());
      for (Counter k : Counter.values()) {
        if (r.has(k)) c.put(k.name().toLowerCase(java.util.Locale.ROOT), Long.toUnsignedString(r.value(k)));
      }
      out.put(String.valueOf(r.ifIndex()), c);
    }
    return out;
  }

  JsonObject stats() {
    JsonObject j = (agent == null ? new io.ifpulse.snmp.AgentStats() : agent.stats()).toJson()
        .put("polls", polls)
        .put("overruns", overruns)
        .put("interfaces", interfaces.size())
        .put("requestsPerPoll", plan == null ? 0 : plan.size())
        .put("pduShrinks", shrinks)
        .put("intervalMs", intervalMs());
    if (!Double.isNaN(lastPollMs)) j.put("lastPollMs", Math.round(lastPollMs * 1000) / 1000.0);
    return j;
  }

  // ---- scheduling

  private void scheduleNext(boolean fromNow) {
    if (stopped) return;
    long now = System.nanoTime();
    if (warmupPolls > 0) {
      // Right after discovery: three readings one live interval apart (a first reading, a first
      // change, a measurement), so rates appear within seconds instead of after three base
      // intervals; then onto the base grid.
      nextDueNanos = now + phaseDelayNanos(now, Math.min(config.liveIntervalMs() * 1_000_000L, intervalNanos));
      warmupPolls--;
      realign = warmupPolls == 0;
    } else if (fromNow || realign) {
      long previous = nextDueNanos;
      nextDueNanos = now + phaseDelayNanos(now, intervalNanos);
      realign = false;
      // A slot just after the last poll would measure over a few milliseconds, where timing noise
      // is a large share: keep at least half an interval between polls.
      if (previous != 0 && nextDueNanos - previous < intervalNanos / 2) nextDueNanos += intervalNanos;
    } else {
      // Due times are a fixed grid, so polls do not drift; missed slots are skipped, not queued.
      nextDueNanos += intervalNanos;
      if (nextDueNanos < now) {
        long missed = (now - nextDueNanos) / intervalNanos + 1;
        nextDueNanos += missed * intervalNanos;
      }
    }
    // A deadline in nanoseconds, not rounded up to a whole millisecond from this moment: devices
    // in one slot then share one deadline, and the event loop runs them in one wake-up.
    long due = nextDueNanos;
    Timer t = vertx.timer(Math.max(1, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    timer = t;
    t.onSuccess(v -> {
      if (timer == t) timer = null;
      tick(System.nanoTime() - due);
      scheduleNext(false);
    });
  }

  /**
   * Time from {@code now} to this device's next slot on a grid of {@code spacing}. Slots sit at a
   * fixed phase within the live interval ({@link PollPhase}) from whole multiples of the spacing in
   * wall-clock time:
   *
   * <ul>
   *   <li>devices in the same slot are polled in one timer wake-up, and slots spread the devices
   *       over the interval instead of one burst;
   *   <li>every node of a cluster computes the same slots for a device;
   *   <li>base slots are a subset of live slots, so switching between them (and the warm-up) keeps
   *       the polls in the same phase against an agent that refreshes its counter cache on its own
   *       timer — a phase jump would shift one measured interval against the agent's.
   * </ul>
   */
  private long phaseDelayNanos(long now, long spacing) {
    long live = Math.min(config.liveIntervalMs() * 1_000_000L, spacing);
    long phase = PollPhase.phaseNanos(config.id(), live, Math.min(slotNanos, live));
    return PollPhase.delayNanos(Math.round(MonotonicClock.epochMillis(now) * 1e6), phase, spacing);
  }

  private void tick(long latenessNanos) {
    if (stopped) return;
    if (pollRunning || discovering) {
      overruns++;
      return;
    }
    if (agent == null) {
      register().onSuccess(v -> discover());
      return;
    }
    boolean discoveryDue = System.nanoTime() - lastDiscoveryNanos > config.discoveryIntervalMs() * 1_000_000L;
    if (interfaces.isEmpty() || rediscoverWanted || discoveryDue) {
      discover();
      return;
    }
    // Timers fire on whole milliseconds: up to 1 ms of lateness is the timer's grain, not a delay.
    timing.pollStarted(latenessNanos);
    poll();
  }

  // ---- discovery

  private Future<Void> discover() {
    discovering = true;
    rediscoverWanted = false;
    TableWalker walker = new TableWalker(client, agent, config.maxReplyBytes(), 100_000);
    return InterfaceDiscovery.discover(walker, config.filter())
        .onSuccess(this::applyDiscovery)
        .onFailure(e -> {
          setReachable(false, "discovery failed: " + e.getMessage());
          // A v3 agent that stopped answering may have a new engine ID (replaced, reinstalled):
          // learn it again before the next discovery.
          if (config.version() == io.ifpulse.config.SnmpVersion.V3) agent = null;
        })
        .<Void>mapEmpty()
        .eventually(() -> {
          discovering = false;
          lastDiscoveryNanos = System.nanoTime();
          return Future.succeededFuture();
        });
  }

  private void applyDiscovery(InterfaceDiscovery.Result result) {
    Map<Integer, PolledInterface> old = new HashMap<>();
    for (PolledInterface p : interfaces) old.put(p.info.ifIndex(), p);
    List<PolledInterface> next = new ArrayList<>();
    Set<Integer> keep = new HashSet<>();
    List<Integer> added = new ArrayList<>();
    for (InterfaceInfo info : result.polled()) {
      PolledInterface before = old.remove(info.ifIndex());
      boolean same = before != null && before.info.name().equals(info.name());
      // Keep the learned column choices of an interface that is still the same one.
      next.add(same && before.info.hasHcCounters() == info.hasHcCounters() ? refresh(before, info) : new PolledInterface(info, config.read()));
      if (same) keep.add(info.ifIndex());
      else added.add(info.ifIndex());
    }
    // An ifIndex that now names another interface starts over: its counters are not comparable.
    engine.retain(keep);
    boolean first = reachable == null || interfaces.isEmpty();
    interfaces = List.copyOf(next);
    plan = null;
    applyWrapCap();
    setReachable(true, null);
    if (first || !added.isEmpty() || !old.isEmpty()) {
      JsonObject ev = status(first ? "discovered" : "interfaces-changed")
          .put("interfaces", new JsonArray(result.polled().stream().map(InterfaceInfo::toJson).toList()))
          .put("discovered", result.all().size());
      if (!first) {
        ev.put("added", new JsonArray(added)).put("removed", new JsonArray(new ArrayList<>(old.keySet())));
      }
      LOG.info(config + ": " + (first ? "discovered " : "interfaces changed, now ") + result.polled().size()
          + " of " + result.all().size() + " interfaces polled");
      publishStatus(ev);
    }
  }

  private PolledInterface refresh(PolledInterface before, InterfaceInfo info) {
    PolledInterface p = new PolledInterface(info, config.read());
    System.arraycopy(before.counterOids, 0, p.counterOids, 0, Counter.COUNT);
    System.arraycopy(before.usingHc, 0, p.usingHc, 0, Counter.COUNT);
    return p;
  }

  // ---- polling

  private void poll() {
    if (plan == null) plan = pack(interfaces);
    pollRunning = true;
    polls++;
    long started = System.nanoTime();
    List<InterfaceReading> readings = new ArrayList<>(interfaces.size());
    Map<Integer, String> oper = new HashMap<>();
    Set<Integer> answered = new HashSet<>();
    int[] outcome = new int[3]; // answered, timed out, failed to send or decode
    List<Future<Void>> parts = new ArrayList<>(plan.size());
    for (List<PolledInterface> group : plan) {
      parts.add(request(group, readings, oper, answered, outcome));
    }
    Future.join(parts).onComplete(ar -> {
      pollRunning = false;
      if (stopped) return;
      long took = System.nanoTime() - started;
      lastPollMs = took / 1e6;
      timing.pollFinished(took);
      finishPoll(readings, oper, answered, outcome);
    });
  }

  /** Sends one GET for a group of interfaces; splits it when the agent says tooBig. */
  private Future<Void> request(List<PolledInterface> group, List<InterfaceReading> readings, Map<Integer, String> oper,
      Set<Integer> answered, int[] outcome) {
    PDU pdu = agent.newPdu(PDU.GET);
    pdu.add(new VariableBinding(SYS_UPTIME));
    for (PolledInterface p : group) {
      for (OID o : p.counterOids) if (o != null) pdu.add(new VariableBinding(o));
      if (p.operOid != null) pdu.add(new VariableBinding(p.operOid));
      if (p.discontinuityOid != null) pdu.add(new VariableBinding(p.discontinuityOid));
    }
    int size = pdu.size();
    return client.send(agent, pdu).compose(reply -> {
      if (reply.errorStatus() == PDU.tooBig && group.size() > 1) {
        shrink(size / 2, "tooBig");
        int half = group.size() / 2;
        return Future.join(
            request(group.subList(0, half), readings, oper, answered, outcome),
            request(group.subList(half, group.size()), readings, oper, answered, outcome)).mapEmpty();
      }
      if (!reply.ok()) {
        outcome[reply.timedOut() ? 1 : 2]++;
        if (reply.timedOut() && size > 2 * MIN_VARBINDS) {
          // Timeouts of big requests while small ones get through point at a path that drops
          // large datagrams (fragments, MTU): remember to ask for less. Judged in finishPoll.
          timedOutLarge = Math.max(timedOutLarge, size);
        }
        return Future.succeededFuture();
      }
      outcome[0]++; // the agent answered: it is reachable, whatever it said
      if (reply.errorStatus() != PDU.noError) {
        agentError(reply);
        return Future.succeededFuture();
      }
      parse(group, reply, readings, oper, answered);
      return Future.succeededFuture();
    });
  }

  private int timedOutLarge;

  private void agentError(SnmpReply reply) {
    PDU r = reply.pdu();
    // v1 agents answer a missing object with noSuchName for the whole request: drop that column
    // for the interface at the error index and ask again next time.
    LOG.fine(config + ": agent answered " + r.getErrorStatusText() + " at index " + r.getErrorIndex());
    if (r.getErrorStatus() == PDU.noSuchName && r.getErrorIndex() > 0) {
      OID bad = r.get(r.getErrorIndex() - 1).getOid();
      for (PolledInterface p : interfaces) {
        for (int i = 0; i < Counter.COUNT; i++) {
          if (bad.equals(p.counterOids[i])) {
            p.columnMissing(i);
            plan = null;
          }
        }
      }
    }
  }

  private void parse(List<PolledInterface> group, SnmpReply reply, List<InterfaceReading> readings,
      Map<Integer, String> oper, Set<Integer> answered) {
    List<? extends VariableBinding> vbs = reply.pdu().getVariableBindings();
    if (vbs.isEmpty() || !(vbs.get(0).getVariable() instanceof TimeTicks upTime)) {
      return; // not an answer to what we asked
    }
    int at = 1;
    for (PolledInterface p : group) {
      long[] values = new long[Counter.COUNT];
      byte[] widths = new byte[Counter.COUNT];
      boolean anyCounter = false;
      for (int i = 0; i < Counter.COUNT; i++) {
        if (p.counterOids[i] == null) continue;
        if (at >= vbs.size()) return;
        Variable v = vbs.get(at++).getVariable();
        if (v instanceof Counter64 c) {
          values[i] = c.getValue();
          widths[i] = 64;
          anyCounter = true;
        } else if (v instanceof Counter32 c) {
          values[i] = c.getValue();
          widths[i] = 32;
          anyCounter = true;
        } else if (v.isException()) {
          p.columnMissing(i);
          plan = null;
        }
      }
      Variable operValue = null;
      if (p.operOid != null) {
        if (at >= vbs.size()) return;
        operValue = vbs.get(at++).getVariable();
      }
      long discontinuity = -1;
      if (p.discontinuityOid != null && at < vbs.size()) {
        Variable d = vbs.get(at++).getVariable();
        if (d instanceof TimeTicks t) discontinuity = t.getValue();
      }
      if (!anyCounter) {
        // The interface is gone: its status says so, or (status not read) no column is left to try.
        if (operValue != null ? operValue.isException() : p.varbinds() == 0) rediscoverWanted = true;
        continue;
      }
      if (operValue != null) {
        oper.put(p.info.ifIndex(), operValue.isException() ? "unknown" : InterfaceInfo.status(operValue.toInt()));
      }
      answered.add(p.info.ifIndex());
      readings.add(new InterfaceReading(p.info.ifIndex(), values, widths, reply.readNanos(), upTime.getValue(),
          discontinuity, p.info.speedIsPhysical() ? p.info.speedBps() : 0));
    }
  }

  private void finishPoll(List<InterfaceReading> readings, Map<Integer, String> oper, Set<Integer> answered, int[] outcome) {
    if (outcome[0] > 0 && timedOutLarge > 0) {
      shrink(timedOutLarge / 2, "timeout of a " + timedOutLarge + "-varbind request");
    }
    timedOutLarge = 0;
    if (outcome[0] == 0) {
      setReachable(false, outcome[1] > 0 ? "timeout" : String.valueOf(agent.stats().lastError()));
    } else {
      setReachable(true, null);
    }
    if (!readings.isEmpty()) lastReadings = readings;
    List<InterfaceRate> rates = engine.update(readings);
    Map<Integer, InterfaceRate> byIndex = new HashMap<>();
    long lastArrival = Long.MIN_VALUE;
    boolean restarted = false;
    for (int i = 0; i < rates.size(); i++) {
      InterfaceRate r = rates.get(i);
      byIndex.put(r.ifIndex(), r);
      lastArrival = Math.max(lastArrival, readings.get(i).arrivalNanos());
      restarted |= r.state() == InterfaceRate.State.GAP && r.gap() == InterfaceRate.Gap.AGENT_RESTART;
    }
    if (restarted) {
      // A restarted agent may have renumbered its interfaces: look again before the next poll.
      rediscoverWanted = true;
      LOG.info(config + ": agent restarted (sysUpTime went back); rediscovering");
      publishStatus(status("restarted"));
    }
    JsonArray out = new JsonArray();
    for (PolledInterface p : interfaces) {
      int ifIndex = p.info.ifIndex();
      InterfaceRate r = byIndex.get(ifIndex);
      if (r == null) r = noData(ifIndex);
      out.add(TrafficMessage.iface(ifIndex, p.info.name(), oper.getOrDefault(ifIndex, "unknown"), p.info.speedBps(), r));
    }
    long ts = Math.round(MonotonicClock.epochMillis(lastArrival == Long.MIN_VALUE ? System.nanoTime() : lastArrival));
    vertx.eventBus().publish(Addresses.traffic(config.id()),
        TrafficMessage.sample(config.id(), ++seq, ts, lastPollMs, intervalMs(), outcome[0] > 0, out), SHARED);
    // Exporting anchors costs a JSON object per interface per poll: only where someone takes it.
    if (!readings.isEmpty() && handover != HandoverStore.NONE) saveHandover();
  }

  private static InterfaceRate noData(int ifIndex) {
    double n = Double.NaN;
    return new InterfaceRate(ifIndex, InterfaceRate.State.GAP, InterfaceRate.Gap.NO_DATA, 0, n, n, n, n, n, n, n, n, n, n);
  }

  private void shrink(int varbinds, String why) {
    int next = Math.max(MIN_VARBINDS, varbinds);
    if (next < maxVarbinds) {
      maxVarbinds = next;
      shrinks++;
      plan = null;
      LOG.info(config + ": requests now carry at most " + maxVarbinds + " varbinds (" + why + ")");
    }
  }

  /** Packs interfaces into requests whose replies fit the budget and the learned varbind cap. */
  List<List<PolledInterface>> pack(List<PolledInterface> all) {
    int budget = config.maxReplyBytes() - replyOverhead - PolledInterface.varbindBytes(SYS_UPTIME, 6);
    List<List<PolledInterface>> out = new ArrayList<>();
    List<PolledInterface> current = new ArrayList<>();
    int bytes = 0;
    int varbinds = 1;
    for (PolledInterface p : all) {
      int b = p.replyBytes();
      int v = p.varbinds();
      if (!current.isEmpty() && (bytes + b > budget || varbinds + v > maxVarbinds)) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
        varbinds = 1;
      }
      current.add(p);
      bytes += b;
      varbinds += v;
    }
    if (!current.isEmpty()) out.add(current);
    return out;
  }

  // ---- status

  private void setReachable(boolean now, String why) {
    // A discovery still in flight when the poller was stopped (device changed or removed) says nothing.
    if (stopped) return;
    if (reachable != null && reachable == now) return;
    boolean firstReport = reachable == null;
    reachable = now;
    if (firstReport && now) return; // "discovered" says it
    LOG.info(config + (now ? ": reachable again" : ": unreachable (" + why + ")"));
    JsonObject ev = status(now ? "reachable" : "unreachable");
    if (why != null) ev.put("error", why);
    publishStatus(ev);
  }

  private JsonObject status(String event) {
    return new JsonObject()
        .put("device", config.id())
        .put("ts", Math.round(MonotonicClock.nowEpochMillis()))
        .put("event", event)
        .put("reachable", reachable != null && reachable)
        .put("host", config.host())
        .put("port", config.port())
        .put("version", config.version().label)
        .put("credentials", config.credentialsLabel());
  }

  private void publishStatus(JsonObject ev) {
    ev.put("stats", stats());
    vertx.eventBus().publish(Addresses.status(config.id()), ev);
  }
}
