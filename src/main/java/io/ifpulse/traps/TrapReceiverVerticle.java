package io.ifpulse.traps;

import io.ifpulse.config.Credential;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.SnmpVersion;
import io.ifpulse.config.TrapSource;
import io.ifpulse.config.TrapsConfig;
import io.ifpulse.config.V3Security;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.Notification;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.snmp.AgentNames;
import io.ifpulse.snmp.SnmpClient;
import io.ifpulse.time.MonotonicClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.Snmp;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUserEntry;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;

/**
 * The notification receiver (docs/TRAPS.md): v1 and v2c traps, v2c informs, v3 traps and informs,
 * on the UDP port of {@code traps}. Each datagram is judged on SNMP4J's one receive thread, in this
 * order, and every refusal is counted ({@link TrapCounters}) and nothing else kept: the source's
 * rate ({@link TrapTransport}), for v3 the USM, the source matched to one device ({@link
 * SourceMatcher}), the device's own credential (community, or v3 user and level), the PDU decoded
 * ({@link NotificationDecoder}); an inform is answered only then. The notification is published on
 * {@code ifpulse.traps.<deviceId>}, cluster-wide: the device's poller, on whichever node owns it,
 * acts on it.
 */
public final class TrapReceiverVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(TrapReceiverVerticle.class.getName());
  /** Localised USM keys kept at most: each costs a password-to-key derivation, paid once per engine ID. */
  private static final int MAX_LOCALISED_USERS = 10_000;
  private static final Set<OID> BAD_AUTH_COUNTERS = Set.of(SnmpConstants.usmStatsWrongDigests, SnmpConstants.usmStatsUnknownUserNames,
      SnmpConstants.usmStatsDecryptionErrors, SnmpConstants.usmStatsUnsupportedSecLevels);

  private final DeviceRegistry registry;
  private final TrapsConfig config;
  private final TrapCounters counters;
  private final NotificationDecoder decoder;
  private volatile SourceMatcher matcher;
  /**
   * Host names of devices without {@code trapSource} → the address each resolved to, through the
   * hub's resolver as the poller asks it; looked up when a device first names it and again every
   * {@value #NAMES_REFRESH_MS} ms, so a device whose address changes in the DNS is followed.
   */
  private final Map<String, String> resolved = new ConcurrentHashMap<>();
  static final long NAMES_REFRESH_MS = 300_000;
  /** Names being looked up now: one lookup at a time per name, however often the registry changes. */
  private final Set<String> asking = ConcurrentHashMap.newKeySet();
  private Snmp snmp;
  private USM usm;
  private int port;
  /** USM user name → the credential it was added for; a second credential with that name is refused. */
  private final Map<String, V3Security> users = new HashMap<>();

  public TrapReceiverVerticle(DeviceRegistry registry, TrapsConfig config) {
    this(registry, config, new TrapCounters());
  }

  /** @param counters where the outcomes are counted (shared with /metrics) */
  public TrapReceiverVerticle(DeviceRegistry registry, TrapsConfig config, TrapCounters counters) {
    this.counters = counters;
    this.registry = registry;
    this.config = config;
    this.decoder = new NotificationDecoder(config.maxVarbinds(), config.maxValueBytes());
  }

  /** The UDP port it listens on (the configured one, or the one picked for 0). */
  public int port() {
    return port;
  }

  public TrapCounters counters() {
    return counters;
  }

  @Override
  public Future<?> start() {
    rebuild();
    resolveNames(false);
    vertx.setPeriodic(NAMES_REFRESH_MS, t -> resolveNames(true));
    registry.onChange(id -> context.runOnContext(v -> devicesChanged()));
    vertx.eventBus().<Object>localConsumer(Addresses.TRAPS_STATS, m -> m.reply(counters.toJson().put("port", port)));
    // Binding a socket and deriving keys: off the event loop.
    return vertx.executeBlocking(() -> {
      open();
      return null;
    }, false);
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(() -> {
      if (snmp != null) snmp.close();
      return null;
    }, false);
  }

  private void open() throws java.io.IOException {
    CounterSupport usmCounters = new CounterSupport();
    usmCounters.addCounterListener(this::usmCounter);
    SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility);
    usm = new BoundedUsm(protocols, new OctetString(MPv3.createLocalEngineID()), usmCounters);
    MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    dispatcher.addMessageProcessingModel(new MPv1());
    dispatcher.addMessageProcessingModel(new MPv2c());
    dispatcher.addMessageProcessingModel(new MPv3(usm.getLocalEngineID().getValue(), null, protocols,
        SecurityModels.getCollection(new SecurityModel[] {usm}), new CounterSupport()));
    SourceBuckets buckets = new SourceBuckets(config.perSourcePerSecond(), config.burst(), config.maxSources(), System::nanoTime);
    TrapTransport transport = new TrapTransport(new UdpAddress(java.net.InetAddress.getByName(config.host()), config.port()), buckets,
        counters);
    snmp = new Snmp(dispatcher, transport);
    synchronized (users) {
      for (DeviceConfig d : registry.devices()) addUser(d);
    }
    snmp.addCommandResponder(this::received);
    snmp.listen();
    port = transport.getListenAddress().getPort();
    LOG.info("receiving SNMP notifications on udp " + config.host() + ":" + port);
  }

  private void devicesChanged() {
    rebuild();
    resolveNames(false);
    synchronized (users) {
      for (DeviceConfig d : registry.devices()) addUser(d);
    }
  }

  /**
   * Looks up the host names of devices without {@code trapSource}: those not looked up yet, or
   * all of them ({@code again}). A name that no longer resolves matches no one until it does.
   */
  private void resolveNames(boolean again) {
    Set<String> names = new HashSet<>();
    for (DeviceConfig d : registry.devices()) {
      if (d.trapSource() == null && !TrapSource.isIpLiteral(d.host())) names.add(d.host());
    }
    if (resolved.keySet().retainAll(names)) rebuild();
    for (String host : names) {
      if ((!again && resolved.containsKey(host)) || !asking.add(host)) continue;
      AgentNames.resolve(vertx, host).onComplete(ar -> {
        asking.remove(host);
        String ip = ar.succeeded() ? ar.result().getHostAddress() : null;
        String before = ip == null ? resolved.remove(host) : resolved.put(host, ip);
        if (!Objects.equals(before, ip)) rebuild();
      });
    }
  }

  /** A new matcher from the devices and the names resolved now (lookups end on any thread). */
  private synchronized void rebuild() {
    matcher = new SourceMatcher(registry.devices(), resolved);
  }

  /** The device's v3 user, for any engine ID: traps are keyed to the sender's, informs to ours. */
  private void addUser(DeviceConfig d) {
    V3Security s = d.v3();
    if (s == null || usm == null) return;
    V3Security known = users.get(s.user());
    if (known != null) {
      if (!known.equals(s)) {
        LOG.warning(d + ": its v3 user " + s.user() + " has other keys than another device's of the same name; notifications"
            + " authenticated with its keys are refused (bad-auth)");
      }
      return;
    }
    users.put(s.user(), s);
    usm.addUser(new OctetString(s.user()), SnmpClient.usmUser(s));
  }

  private void usmCounter(CounterEvent e) {
    if (BAD_AUTH_COUNTERS.contains(e.getOid())) counters.count(TrapCounters.Outcome.BAD_AUTH);
  }

  /** On SNMP4J's receive thread: judge, answer an inform, hand over to the event loop. */
  private void received(CommandResponderEvent<?> event) {
    event.setProcessed(true);
    PDU pdu = event.getPDU();
    Address peer = event.getPeerAddress();
    if (pdu == null || !(peer instanceof UdpAddress udp)
        || (pdu.getType() != PDU.TRAP && pdu.getType() != PDU.V1TRAP && pdu.getType() != PDU.INFORM)) {
      counters.count(TrapCounters.Outcome.NOT_A_NOTIFICATION);
      return;
    }
    String ip = udp.getInetAddress().getHostAddress();
    String agentAddr = pdu instanceof PDUv1 v1 && v1.getAgentAddress() != null ? v1.getAgentAddress().getInetAddress().getHostAddress()
        : null;
    SourceMatcher.Match match = matcher.match(ip, udp.getPort(), agentAddr);
    if (match.outcome() != SourceMatcher.Outcome.MATCHED) {
      counters.count(match.outcome() == SourceMatcher.Outcome.AMBIGUOUS ? TrapCounters.Outcome.AMBIGUOUS_SOURCE
          : TrapCounters.Outcome.UNKNOWN_SOURCE);
      return;
    }
    DeviceConfig device = match.device();
    TrapCounters.Outcome refused = authenticate(device, event);
    if (refused != null) {
      counters.count(refused);
      return;
    }
    String version = switch (event.getMessageProcessingModel()) {
      case org.snmp4j.mp.MessageProcessingModel.MPv1 -> "v1";
      case org.snmp4j.mp.MessageProcessingModel.MPv2c -> "v2c";
      default -> "v3";
    };
    Notification n = decoder.decode(pdu, version, (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + udp.getPort(),
        Math.round(MonotonicClock.nowEpochMillis()));
    if (n == null) {
      counters.count(TrapCounters.Outcome.NOT_A_NOTIFICATION);
      return;
    }
    if (pdu.getType() == PDU.INFORM) answer(event);
    counters.count(TrapCounters.Outcome.ACCEPTED);
    JsonObject json = n.forDevice(device.id()).toJson();
    context.runOnContext(v -> vertx.eventBus().publish(Addresses.traps(device.id()), json));
  }

  /** The device's own credential: its community, or its v3 user at its level at least. Null when it passes. */
  private static TrapCounters.Outcome authenticate(DeviceConfig device, CommandResponderEvent<?> event) {
    Credential c = device.credential();
    if (c == null) return TrapCounters.Outcome.NO_CREDENTIALS; // this node cannot tell a true sender from a false one
    int model = event.getMessageProcessingModel();
    boolean v3 = model == org.snmp4j.mp.MessageProcessingModel.MPv3;
    if (v3 != (c.version() == SnmpVersion.V3)) return TrapCounters.Outcome.WRONG_VERSION;
    byte[] said = event.getSecurityName() == null ? new byte[0] : event.getSecurityName();
    if (!v3) {
      byte[] community = c.community().reveal().getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(said, community) ? null : TrapCounters.Outcome.BAD_COMMUNITY;
    }
    V3Security s = c.v3();
    if (!MessageDigest.isEqual(said, s.user().getBytes(StandardCharsets.UTF_8))) return TrapCounters.Outcome.BAD_AUTH;
    int needed = s.auth() == V3Security.Auth.NONE ? SecurityLevel.NOAUTH_NOPRIV
        : s.priv() == V3Security.Priv.NONE ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.AUTH_PRIV;
    return event.getSecurityLevel() >= needed ? null : TrapCounters.Outcome.BAD_AUTH;
  }

  private void answer(CommandResponderEvent<?> event) {
    PDU response = (PDU) event.getPDU().clone();
    response.setType(PDU.RESPONSE);
    response.setErrorStatus(PDU.noError);
    response.setErrorIndex(0);
    try {
      event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(), event.getSecurityModel(),
          event.getSecurityName(), event.getSecurityLevel(), response, event.getMaxSizeResponsePDU(), event.getStateReference(),
          new StatusInformation());
      counters.informAnswered();
    } catch (MessageException e) {
      LOG.fine("could not answer an inform: " + e.getMessage());
    }
  }

  /**
   * A USM that localises a user's keys for at most {@link #MAX_LOCALISED_USERS} engine IDs: every
   * new engine ID a sender claims costs a key derivation (a million hash rounds) and an entry, so a
   * sender making up engine IDs would otherwise grow both without bound. Beyond, the user is unknown.
   */
  private static final class BoundedUsm extends USM {
    private int localised;

    BoundedUsm(SecurityProtocols protocols, OctetString engineId, CounterSupport counters) {
      super(protocols, engineId, 0, counters);
    }

    @Override
    protected synchronized UsmUserEntry addLocalizedUsmUserEntry(OctetString engineID, OctetString securityName, UsmUserEntry entry,
        boolean readonly) {
      if (!readonly && localised >= MAX_LOCALISED_USERS) return null;
      UsmUserEntry added = super.addLocalizedUsmUserEntry(engineID, securityName, entry, readonly);
      if (!readonly && added != null) localised++;
      return added;
    }
  }
}
