package io.ifpulse.web;

import io.ifpulse.auth.Account;
import io.ifpulse.auth.Accounts;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.WebConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.Interest;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.summary.SummaryCost;
import io.ifpulse.summary.SummaryTick;
import io.ifpulse.web.Refusals.Reason;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The bridge's event handler: what each browser socket may do, and its bookkeeping.
 *
 * <p>Per socket it knows the account (resolved by {@link AccessControl} on the request that
 * opened it), the addresses registered (to hold hub subscriptions through {@link BrowserFanout}),
 * the devices it declared it watches (released when the socket closes, so the device drops back to
 * its base interval at once), and the messages dropped because its write queue was full (or its
 * socket closing): a slow browser loses its own messages and never delays anyone else's.
 *
 * <p>What it refuses, each counted: a socket past the node's or the account's cap; a REGISTER past
 * the socket's cap, or for a device that does not exist or is outside the account's devices; a
 * watch past the socket's rate or for such a device. Alerts of devices outside the account's
 * devices are not delivered. Device access is decided once per REGISTER, not per message: the
 * bridge's own per-message authority check would cost every sample a lookup per browser.
 *
 * <p>Every {@value #CHECK_MS} ms each socket's account and session are checked again: a socket
 * whose user was removed, whose devices changed, whose password changed or whose session ended
 * (signed out on another node, expired) is closed; a live socket keeps its session alive.
 *
 * <p>Runs on the web verticle's event loop only.
 */
final class BridgeSockets implements Handler<BridgeEvent> {
  private static final Logger LOG = Logger.getLogger(BridgeSockets.class.getName());
  static final long INTEREST_TTL_MS = 15_000;
  static final long CHECK_MS = 15_000;

  private final Vertx hub;
  private final WebConfig config;
  private final DeviceRegistry registry;
  private final Accounts accounts;
  private final Refusals refusals;
  private final BrowserFanout fanout;
  private final EnvelopeEncoder envelopes = new EnvelopeEncoder();
  private final SummaryScopes summaries = new SummaryScopes();
  private SummaryCost summaryCost = new SummaryCost();
  private final String nodeTag = UUID.randomUUID().toString().substring(0, 8);
  private final Map<SockJSSocket, Client> clients = new IdentityHashMap<>();
  private final Map<String, Integer> socketsPerAccount = new HashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private SessionStore sessions;
  private long nextClientId;

  private static final class Client {
    final String watcherId;
    final Account account;
    final String accountKey;
    final String stamp;
    final Map<String, Integer> registrations = new HashMap<>();
    final Set<String> watching = new HashSet<>();
    final Set<String> watchingGroups = new HashSet<>();
    // Token bucket of watch declarations.
    double watchTokens;
    long watchAt = System.nanoTime();

    /**
     * Bytes handed to the socket and not yet written to the connection. SockJS's session
     * transports ({@code /eventbus/<server>/<session>/websocket}, the dashboard's; xhr_streaming)
     * keep a queue of their own and pass it on at once, so their {@code writeQueueFull()} stays
     * false while the connection's buffer grows without bound behind a browser that stopped
     * reading: this count, from each write's completion, bounds every transport alike.
     */
    long unwritten;

    Client(String watcherId, Account account, String stamp, double burst) {
      this.watcherId = watcherId;
      this.account = account;
      this.accountKey = account.kind() == Account.Kind.OPEN ? null : account.kind() + ":" + account.name();
      this.stamp = stamp;
      this.watchTokens = burst;
    }
  }

  /**
   * A socket with this much written and not yet on the wire gets no more messages until it drains
   * (each dropped message counted): Netty's default high-water mark, the bound the raw WebSocket
   * endpoint's {@code writeQueueFull()} applies. One message is never cut, however large.
   */
  static final long MAX_UNWRITTEN_BYTES = 64 * 1024;

  BridgeSockets(Vertx hub, WebConfig config, DeviceRegistry registry, Accounts accounts, Refusals refusals, BrowserFanout fanout) {
    this.hub = hub;
    this.config = config;
    this.registry = registry;
    this.accounts = accounts;
    this.refusals = refusals;
    this.fanout = fanout;
  }

  /** Where the CPU of cutting and writing the summary is counted. */
  BridgeSockets withSummaryCost(SummaryCost cost) {
    this.summaryCost = cost;
    return this;
  }

  /** The interface groups, and who may see them. */
  BridgeSockets withGroups(GroupAccess groups) {
    this.groups = groups;
    return this;
  }

  private GroupAccess groups;

  /** The session store to keep sessions of open sockets alive in, and to see ended ones. */
  BridgeSockets withSessions(SessionStore store) {
    this.sessions = store;
    return this;
  }

  @Override
  public void handle(BridgeEvent e) {
    SockJSSocket sock = e.socket();
    Client c = clients.get(sock);
    switch (e.type()) {
      case SOCKET_CREATED -> e.complete(open(sock));
      case REGISTER -> e.complete(register(c, address(e)));
      case UNREGISTER -> {
        String address = address(e);
        if (c != null && c.registrations.remove(address) != null) fanout.release(address);
        e.complete(true);
      }
      case RECEIVE -> {
        JsonObject raw = e.getRawMessage();
        if (c != null && !c.account.scope().unlimited() && Addresses.ALERTS.equals(raw.getString("address"))
            && !seesAlert(c.account, raw)) {
          e.complete(false); // another customer's alert: not for this socket
          return;
        }
        if (!takesWrites(sock) || (c != null && c.unwritten >= MAX_UNWRITTEN_BYTES)) {
          dropped.incrementAndGet();
          e.complete(false);
        } else if (c != null && raw.getValue("body") instanceof SummaryTick tick) {
          long cpu = SummaryCost.now();
          delivered.incrementAndGet();
          // The summary cut to the socket's devices: encoded once per scope, not per socket.
          write(sock, c, summaries.envelope(tick, c.account.scope()));
          summaryCost.delivered(cpu);
          e.complete(false);
        } else if (raw.getValue("body") instanceof SummaryTick || Addresses.SUMMARY.equals(raw.getString("address"))) {
          // A socket the bridge knows and we do not, or something else published on the summary's
          // address: nothing that is not cut to the socket's devices goes out there.
          e.complete(false);
        } else {
          delivered.incrementAndGet();
          // Written here with the encoding every browser of this message shares; false only keeps
          // the bridge from encoding and writing it once more (it then just logs at debug level).
          write(sock, c, envelopes.encode(raw));
          e.complete(false);
        }
      }
      case SEND -> e.complete(send(c, e));
      case PUBLISH -> e.complete(false); // browsers never publish
      case SOCKET_IDLE -> {
        refusals.count(Reason.IDLE);
        e.complete(true); // the bridge closes it
      }
      case SOCKET_CLOSED -> {
        close(sock, c);
        e.complete(true);
      }
      default -> e.complete(true);
    }
  }

  private boolean open(SockJSSocket sock) {
    Account a = sock.routingContext().get(AccessControl.ACCOUNT);
    if (a == null) return false; // the route authenticates first; never reached
    if (clients.size() >= config.maxSockets()) {
      refusals.count(Reason.NODE_SOCKETS);
      return false;
    }
    User u = sock.webUser();
    Client c = new Client("web-" + nodeTag + "-" + (++nextClientId), a, u == null ? null : u.principal().getString(AccessControl.STAMP),
        Math.max(1, config.watchesPerSecond() * 10));
    if (c.accountKey != null) {
      int n = socketsPerAccount.getOrDefault(c.accountKey, 0);
      if (n >= config.maxSocketsPerUser()) {
        refusals.count(Reason.USER_SOCKETS);
        return false;
      }
      socketsPerAccount.put(c.accountKey, n + 1);
    }
    clients.put(sock, c);
    return true;
  }

  private boolean register(Client c, String address) {
    // An address too long, or one this socket has registered already: refused here, and counted,
    // rather than by the bridge, which would write a log line for each such frame.
    if (address != null && address.length() > BridgePolicy.MAX_ADDRESS_LENGTH) {
      refusals.count(Reason.BAD_REGISTER);
      return false;
    }
    if (c == null || address == null || !Addresses.browserReceives(address)) {
      return true; // the bridge answers access_denied for what it does not permit
    }
    if (c.registrations.containsKey(address)) {
      refusals.count(Reason.BAD_REGISTER);
      return false;
    }
    if (c.registrations.size() >= config.maxHandlersPerSocket()) {
      refusals.count(Reason.REGISTRATIONS);
      return false;
    }
    String device = Addresses.deviceOf(address);
    if (device != null && !sees(c.account, device)) {
      refusals.count(Reason.DEVICE);
      return false;
    }
    String group = Addresses.groupOf(address);
    if (group != null && (groups == null || !groups.sees(c.account, group))) {
      refusals.count(Reason.GROUP);
      return false;
    }
    c.registrations.put(address, 1);
    fanout.acquire(address);
    return true;
  }

  private boolean send(Client c, BridgeEvent e) {
    if (!Addresses.BROWSER_SENDS.equals(address(e))) return true; // the bridge applies its inbound permissions
    if (c == null) return false;
    Object body = e.getRawMessage().getValue("body");
    String group = body instanceof JsonObject b && Interest.WATCH.equals(b.getValue(Interest.TYPE_FIELD))
        && b.getValue("group") instanceof String s ? s : null;
    if (group != null) {
      // A group's watch: the node computing it passes it on to every member device.
      if (groups == null || !groups.sees(c.account, group) || !takeWatch(c)) {
        refusals.count(Reason.WATCH);
        return false;
      }
      c.watchingGroups.add(group);
      hub.eventBus().publish(Addresses.INTEREST, new JsonObject().put("group", group).put("watcher", c.watcherId)
          .put("ttlMs", INTEREST_TTL_MS));
      return true;
    }
    String device = Interest.watchedBy(body);
    if (device == null || !sees(c.account, device) || !takeWatch(c)) {
      refusals.count(Reason.WATCH);
      return false;
    }
    c.watching.add(device);
    hub.eventBus().publish(Addresses.INTEREST, Interest.watch(device, c.watcherId, INTEREST_TTL_MS).toJson());
    return true;
  }

  private boolean takeWatch(Client c) {
    long now = System.nanoTime();
    double burst = Math.max(1, config.watchesPerSecond() * 10);
    c.watchTokens = Math.min(burst, c.watchTokens + (now - c.watchAt) / 1e9 * config.watchesPerSecond());
    c.watchAt = now;
    if (c.watchTokens < 1) return false;
    c.watchTokens -= 1;
    return true;
  }

  private void close(SockJSSocket sock, Client c) {
    if (c == null) return;
    clients.remove(sock);
    if (c.accountKey != null) socketsPerAccount.computeIfPresent(c.accountKey, (k, n) -> n <= 1 ? null : n - 1);
    c.registrations.keySet().forEach(fanout::release);
    for (String device : c.watching) hub.eventBus().publish(Addresses.INTEREST, Interest.release(device, c.watcherId).toJson());
    for (String group : c.watchingGroups) {
      hub.eventBus().publish(Addresses.INTEREST, new JsonObject().put("group", group).put("watcher", c.watcherId).put("release", true));
    }
  }

  /** Closes the sockets of a session that just ended on this node (sign-out). */
  void sessionEnded(String sessionId) {
    for (Map.Entry<SockJSSocket, Client> e : new ArrayList<>(clients.entrySet())) {
      Session s = e.getKey().webSession();
      if (s != null && Objects.equals(s.id(), sessionId)) end(e.getKey(), "signed out");
    }
  }

  /** Checks every socket's account and session again (see the class comment). */
  void check() {
    for (Map.Entry<SockJSSocket, Client> e : new ArrayList<>(clients.entrySet())) {
      SockJSSocket sock = e.getKey();
      Client c = e.getValue();
      Account now = switch (c.account.kind()) {
        case OPEN -> accounts.open() ? Account.OPEN : null;
        case TOKEN -> accounts.token(c.account.name());
        case USER -> Objects.equals(accounts.stamp(c.account.name()), c.stamp) ? accounts.user(c.account.name()) : null;
      };
      if (now == null || !now.equals(c.account)) {
        end(sock, now == null ? "its account or session ended" : "its account changed");
        continue;
      }
      Session s = sock.webSession();
      if (sessions != null && s != null && c.account.kind() == Account.Kind.USER) {
        sessions.get(s.id()).onComplete(ar -> {
          if (!clients.containsKey(sock)) return;
          if (ar.succeeded() && ar.result() == null) {
            end(sock, "its session ended");
          } else if (ar.succeeded()) {
            ar.result().setAccessed();
            sessions.put(ar.result()); // an open dashboard keeps its session alive
          }
        });
      }
    }
  }

  private void end(SockJSSocket sock, String why) {
    refusals.count(Reason.SESSION_ENDED);
    Client c = clients.get(sock);
    LOG.fine("closing bridge socket of " + (c == null ? "?" : c.account.label()) + ": " + why);
    sock.close();
  }

  private boolean sees(Account a, String deviceId) {
    DeviceConfig d = deviceId == null ? null : registry.device(deviceId);
    return d != null && a.scope().permits(d.id(), d.tags());
  }

  /**
   * Whether the account may see an alert: its device's, or its group's (GroupAccess: every device
   * the group names). The body is the published record, or the JSON a verticle of another kind
   * published; anything else is delivered to no account limited to some devices.
   */
  private boolean seesAlert(Account a, JsonObject envelope) {
    AlertEvent alert;
    try {
      alert = EventJson.alert(envelope.getValue("body"));
    } catch (DecodeException notAnAlert) {
      return false;
    }
    if (alert.group() != null) return groups != null && groups.sees(a, alert.group());
    return sees(a, alert.device());
  }

  private static String address(BridgeEvent e) {
    JsonObject raw = e.getRawMessage();
    return raw == null || !(raw.getValue("address") instanceof String s) ? null : s;
  }

  int clients() {
    return clients.size();
  }

  /** Distinct device scopes the summary is being cut for. */
  int summaryScopes() {
    return summaries.scopes();
  }

  /**
   * Whether the socket's write queue has room. A socket whose browser has sent its close stays
   * here until its connection is gone (seconds, when the hub's answer waits behind writes the
   * browser never read); Vert.x's WebSocket throws on every question asked of it meanwhile. Its
   * messages are dropped and counted like a slow browser's, never thrown out of this hook.
   */
  private static boolean takesWrites(SockJSSocket sock) {
    try {
      return !sock.writeQueueFull();
    } catch (IllegalStateException closed) {
      return false;
    }
  }

  /** Writes and counts the bytes until the write completes (written to the connection, or failed with it). */
  private static void write(SockJSSocket sock, Client c, Buffer b) {
    if (c == null) {
      sock.write(b);
      return;
    }
    long n = b.length();
    c.unwritten += n;
    sock.write(b).onComplete(ar -> c.unwritten -= n);
  }

  long dropped() {
    return dropped.get();
  }

  long delivered() {
    return delivered.get();
  }
}
