package io.ifpulse.snmp;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.SnmpVersion;
import io.ifpulse.config.V3Security;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.SecurityProtocols.SecurityProtocolSet;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Asynchronous SNMP over one UDP socket for every agent, on SNMP4J.
 *
 * <ul>
 *   <li>Never blocks the caller: {@link #send} returns a future that completes on the caller's
 *       Vert.x context. The reply's arrival time is taken on SNMP4J's receive thread.
 *   <li>Retries are done here, not by SNMP4J, so each retry is counted and each reply's RTT is that
 *       of the attempt it answers.
 *   <li>Requests in flight are bounded per agent and overall; the excess waits in per-agent queues,
 *       so one agent that never answers holds at most its own share of the global budget.
 * </ul>
 */
public final class SnmpClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SnmpClient.class.getName());

  /** v1 and v2c agents, and v3 agents until they are given their credential's own session. */
  private final Snmp snmp;
  /**
   * One SNMP session (socket, USM, receive thread) per distinct v3 credential. A USM keeps one set
   * of keys per engine ID and user name; two credentials with the same user name aimed at one
   * agent — a typo, or an operator pointing a device at someone else's agent — would overwrite
   * each other's keys, and the wrong one would stop the right one's polls. Each credential in its
   * own USM affects only its own devices. Fleets use a handful of v3 credentials: a handful of
   * sockets and threads.
   */
  private final Map<V3Security, Snmp> v3Sessions = new ConcurrentHashMap<>();
  private final int maxInFlightTotal;
  private final Map<String, Agent> agents = new ConcurrentHashMap<>();
  // Limiter state, guarded by `this`.
  private int inFlightTotal;
  private final ArrayDeque<Agent> waitingForGlobal = new ArrayDeque<>();

  /** One agent: where it is, how to talk to it, how many requests it may have in flight. */
  public final class Agent {
    final String id;
    final Snmp session;
    final Target<Address> target;
    final int maxInFlight;
    final int retries;
    final AgentStats stats = new AgentStats();
    final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    int inFlight;
    boolean queuedForGlobal;

    Agent(String id, Snmp session, Target<Address> target, int maxInFlight, int retries) {
      this.id = id;
      this.session = session;
      this.target = target;
      this.maxInFlight = maxInFlight;
      this.retries = retries;
    }

    public String id() {
      return id;
    }

    public AgentStats stats() {
      return stats;
    }

    public int version() {
      return target.getVersion();
    }

    /** A new PDU of the right kind for this agent's version (ScopedPDU for v3). */
    public PDU newPdu(int type) {
      PDU pdu = target.getVersion() == SnmpConstants.version3 ? new ScopedPDU() : new PDU();
      pdu.setType(type);
      return pdu;
    }
  }

  public SnmpClient(int maxInFlightTotal) {
    this.maxInFlightTotal = maxInFlightTotal;
    this.snmp = session(4 << 20);
  }

  /** An SNMP session on a socket of its own, with a USM of its own. */
  private static Snmp session(int receiveBuffer) {
    try {
      // Max compatibility: DES and MD5 are weak, but operators meet them on real devices.
      SecurityProtocols protocols = new SecurityProtocols(SecurityProtocolSet.maxCompatibility);
      USM usm = new USM(protocols, new OctetString(MPv3.createLocalEngineID()), 0);
      MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
      dispatcher.addMessageProcessingModel(new MPv1());
      dispatcher.addMessageProcessingModel(new MPv2c());
      dispatcher.addMessageProcessingModel(new MPv3(usm));
      DefaultUdpTransportMapping transport = new StampingUdpTransport();
      // Replies of many agents arrive in bursts; a larger buffer keeps the kernel from dropping them.
      transport.setReceiveBufferSize(receiveBuffer);
      Snmp s = new Snmp(dispatcher, transport);
      s.listen();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot open an SNMP UDP socket: " + e.getMessage(), e);
    }
  }

  /**
   * Registers (or replaces) the agent of a device without blocking the caller: its host name is
   * resolved by Vert.x's asynchronous resolver ({@link AgentNames}), and for v3 the agent's
   * authoritative engine ID is learned on a worker thread. Completes on the caller's context;
   * fails with {@link AgentNames.UnresolvedName} when the name does not resolve, or when a v3
   * agent does not answer.
   *
   * <p>v3 users are kept per engine ID, and each v3 credential has a session of its own: two
   * credentials may use one user name with different passphrases (common across a fleet), each
   * localized for its own agents, and neither can disturb the other's.
   */
  public Future<Agent> register(Vertx vertx, DeviceConfig d) {
    return AgentNames.resolve(vertx, d.host()).compose(address -> {
      if (d.version() == SnmpVersion.V3) return vertx.executeBlocking(() -> registerBlocking(d, address), false);
      try {
        return Future.succeededFuture(registerBlocking(d, address));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** Where the agent's requests go. */
  public java.net.InetAddress address(Agent agent) {
    return ((UdpAddress) agent.target.getAddress()).getInetAddress();
  }

  /** Blocks only for v3 (engine-ID discovery), which therefore runs on a worker thread. */
  private Agent registerBlocking(DeviceConfig d, java.net.InetAddress resolved) {
    if (d.credential() == null) throw new IllegalArgumentException("device " + d.id() + ": no credentials on this node");
    Address address = new UdpAddress(resolved, d.port());
    Target<Address> target;
    Snmp session = snmp;
    if (d.version() == SnmpVersion.V3) {
      V3Security s = d.v3();
      session = v3Sessions.computeIfAbsent(s, k -> session(1 << 20));
      OctetString user = new OctetString(s.user());
      byte[] engineId = null;
      for (int attempt = 0; attempt <= d.retries() && engineId == null; attempt++) {
        engineId = session.discoverAuthoritativeEngineID(address, d.timeoutMs());
      }
      if (engineId == null) throw new IllegalStateException("no answer to the v3 engine-ID discovery (timeout)");
      session.getUSM().addUser(usmUser(s), new OctetString(engineId));
      UserTarget<Address> t = new UserTarget<>();
      t.setSecurityName(user);
      t.setAuthoritativeEngineID(engineId);
      t.setSecurityModel(SecurityModel.SECURITY_MODEL_USM);
      t.setSecurityLevel(switch (s.level()) {
        case "authPriv" -> SecurityLevel.AUTH_PRIV;
        case "authNoPriv" -> SecurityLevel.AUTH_NOPRIV;
        default -> SecurityLevel.NOAUTH_NOPRIV;
      });
      t.setVersion(SnmpConstants.version3);
      target = t;
    } else {
      CommunityTarget<Address> t = new CommunityTarget<>();
      t.setCommunity(new OctetString(d.community().reveal()));
      t.setVersion(d.version() == SnmpVersion.V1 ? SnmpConstants.version1 : SnmpConstants.version2c);
      target = t;
    }
    target.setAddress(address);
    target.setTimeout(d.timeoutMs());
    target.setRetries(0); // retries are ours, see send()
    target.setMaxSizeRequestPDU(65535);
    Agent agent = new Agent(d.id(), session, target, d.maxInFlight(), d.retries());
    agents.put(d.id(), agent);
    return agent;
  }

  public void unregister(String deviceId) {
    agents.remove(deviceId);
  }

  /** Sends a request; the future completes on the calling context with the reply or the failure. */
  public Future<SnmpReply> send(Agent agent, PDU pdu) {
    Context context = Vertx.currentContext();
    Promise<SnmpReply> promise = Promise.promise();
    Runnable start = () -> attempt(agent, pdu, 0, reply -> {
      release(agent);
      if (context != null) context.runOnContext(v -> promise.complete(reply));
      else promise.complete(reply);
    });
    List<Runnable> runnable;
    synchronized (this) {
      agent.pending.add(start);
      runnable = pump(agent);
    }
    runnable.forEach(Runnable::run);
    return promise.future();
  }

  private void attempt(Agent agent, PDU pdu, int attempt, java.util.function.Consumer<SnmpReply> done) {
    long sentAt = System.nanoTime();
    agent.stats.request();
    if (attempt > 0) agent.stats.retry();
    ResponseListener listener = new OnceListener(agent.stats) {
      @Override
      void firstResponse(ResponseEvent<?> event) {
        long arrival = StampingUdpTransport.receivedNanos();
        PDU response = event.getResponse();
        Address from = event.getPeerAddress();
        if (response != null && from != null && !from.equals(agent.target.getAddress())) {
          // A reply that matches our request id from another address or port: a spoofer who
          // guessed it, or an agent that answers from another socket. Never read as the agent's
          // answer; counted, and this attempt goes on as if unanswered (SNMP4J has already let go
          // of the request, so the agent's own reply could no longer match it).
          agent.stats.foreignReply(from.toString());
          if (attempt < agent.retries) {
            attempt(agent, pdu, attempt + 1, done);
          } else {
            done.accept(new SnmpReply(null, sentAt, arrival, "replies from another address than the agent's"));
          }
          return;
        }
        if (response != null) {
          agent.stats.response((arrival - sentAt) / 1e6);
          done.accept(new SnmpReply(response, sentAt, arrival, null));
        } else if (event.getError() != null) {
          String why = event.getError().getClass().getSimpleName() + ": " + event.getError().getMessage();
          agent.stats.error(why);
          done.accept(new SnmpReply(null, sentAt, arrival, why));
        } else if (attempt < agent.retries) {
          attempt(agent, pdu, attempt + 1, done);
        } else {
          agent.stats.timeout();
          done.accept(new SnmpReply(null, sentAt, arrival, "timeout"));
        }
      }
    };
    try {
      // A fresh request id per attempt: a late answer to a previous attempt must not be taken
      // for this one.
      pdu.setRequestID(new org.snmp4j.smi.Integer32(0));
      agent.session.send(pdu, agent.target, null, listener);
    } catch (IOException | RuntimeException e) {
      String why = "send failed: " + e.getMessage();
      agent.stats.error(why);
      done.accept(new SnmpReply(null, sentAt, System.nanoTime(), why));
    }
  }

  /** Starts what the limits allow for this agent; returns the starts to run outside the lock. */
  private List<Runnable> pump(Agent agent) {
    List<Runnable> run = new ArrayList<>(2);
    while (!agent.pending.isEmpty() && agent.inFlight < agent.maxInFlight) {
      if (inFlightTotal >= maxInFlightTotal) {
        if (!agent.queuedForGlobal) {
          agent.queuedForGlobal = true;
          waitingForGlobal.add(agent);
        }
        break;
      }
      agent.inFlight++;
      inFlightTotal++;
      run.add(agent.pending.poll());
    }
    return run;
  }

  private void release(Agent agent) {
    List<Runnable> run;
    synchronized (this) {
      agent.inFlight--;
      inFlightTotal--;
      run = new ArrayList<>(pump(agent));
      while (inFlightTotal < maxInFlightTotal && !waitingForGlobal.isEmpty()) {
        Agent next = waitingForGlobal.poll();
        next.queuedForGlobal = false;
        run.addAll(pump(next));
      }
    }
    run.forEach(Runnable::run);
  }

  /** Requests in flight overall (for tests and metrics). */
  public synchronized int inFlight() {
    return inFlightTotal;
  }

  @Override
  public void close() {
    List<Snmp> all = new ArrayList<>(v3Sessions.values());
    all.add(snmp);
    for (Snmp s : all) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.fine("closing SNMP socket: " + e.getMessage());
      }
    }
  }

  /**
   * The USM user of a v3 security, for the poller's sessions and the notification receiver: the one
   * place outside the config where a passphrase is revealed, straight into SNMP4J's key store.
   */
  public static UsmUser usmUser(V3Security s) {
    OctetString user = new OctetString(s.user());
    return new UsmUser(user, authId(s.auth()), secret(s.authPassphrase()), privId(s.priv()), secret(s.privPassphrase()));
  }

  private static OctetString secret(io.ifpulse.config.Secret s) {
    return s == null ? null : new OctetString(s.reveal());
  }

  private static OID authId(V3Security.Auth a) {
    return switch (a) {
      case NONE -> null;
      case MD5 -> AuthMD5.ID;
      case SHA1 -> AuthSHA.ID;
      case SHA224 -> AuthHMAC128SHA224.ID;
      case SHA256 -> AuthHMAC192SHA256.ID;
      case SHA384 -> AuthHMAC256SHA384.ID;
      case SHA512 -> AuthHMAC384SHA512.ID;
    };
  }

  private static OID privId(V3Security.Priv p) {
    return switch (p) {
      case NONE -> null;
      case DES -> PrivDES.ID;
      case AES128 -> PrivAES128.ID;
      case AES192 -> PrivAES192.ID;
      case AES256 -> PrivAES256.ID;
    };
  }
}
