package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.SnmpVersion;
import io.ifpulse.discovery.InterfaceDiscovery;
import io.ifpulse.snmp.AgentNames;
import io.ifpulse.snmp.SnmpClient;
import io.ifpulse.snmp.TableWalker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Finds out what there is to poll on one device: registers its agent with the client, walks its
 * interface tables, and says when to look again (on schedule, after the agent restarted, when an
 * interface stopped answering). Confined to the poller's event loop.
 */
final class DeviceDiscovery {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DeviceDiscovery.class.getName());
  private final Vertx vertx;
  private final SnmpClient client;
  private final DeviceConfig config;
  private final DeviceStatus status;
  /** Null until registered (a v3 agent's engine ID learned, a host name resolved), and after a v3 agent stops answering. */
  private SnmpClient.Agent agent;
  private boolean busy;
  private boolean wanted;
  private long lastNanos;
  /** Since the poller started: discoveries that met maxInterfaces, or the byte budget; strings cut. */
  private long interfacesCut;
  private long budgetsSpent;
  private long stringsCut;

  DeviceDiscovery(Vertx vertx, SnmpClient client, DeviceConfig config, DeviceStatus status) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.status = status;
  }

  SnmpClient.Agent agent() {
    return agent;
  }

  /** What discoveries cut short so far, for the poll statistics (docs/EVENTS.md). */
  JsonObject limitsJson() {
    return new JsonObject().put("interfaces", interfacesCut).put("bytes", budgetsSpent).put("strings", stringsCut);
  }

  /** Registering or walking: no poll can start meanwhile. */
  boolean busy() {
    return busy;
  }

  /** Look again before the next poll. */
  void want() {
    wanted = true;
  }

  /** Whether to discover instead of polling now. */
  boolean due() {
    return wanted || System.nanoTime() - lastNanos > config.discoveryIntervalMs() * 1_000_000L;
  }

  /** What another node discovered is as good as a discovery of ours: the schedule starts from now. */
  void continued() {
    lastNanos = System.nanoTime();
  }

  /** Registers the agent with the client (a round trip for v3, a name lookup for a host name). */
  Future<Void> register() {
    busy = true;
    // The agent is set inside the chain, not by a listener beside it: when the registration ends
    // on a worker thread while the listeners are being attached, a side listener runs later than
    // the next stage, and the discovery that follows found no agent (a NullPointerException in
    // TableWalker, the device stuck without data; seen with thousands of devices starting at once).
    return client.register(vertx, config)
        .<Void>map(a -> {
          agent = a;
          return null;
        })
        .onFailure(e -> {
          // A name that does not resolve is this device's state, said once; it is looked up again
          // at every tick until it resolves.
          if (e instanceof AgentNames.UnresolvedName) status.unresolvable(e.getMessage());
          else status.reachable(false, "cannot register: " + e.getMessage());
        })
        .eventually(this::done);
  }

  /**
   * Looks the agent's name up again (on the discovery schedule): a name that now points elsewhere
   * (a device renumbered, a DNS change) is registered anew. A lookup that fails keeps the last
   * address: a DNS that hiccups must not stop a device that answers.
   */
  Future<Void> refreshName() {
    if (agent == null || !AgentNames.isName(config.host())) return Future.succeededFuture();
    busy = true;
    SnmpClient.Agent current = agent;
    return AgentNames.resolve(vertx, config.host()).compose(address -> {
      if (address.equals(client.address(current))) return Future.succeededFuture();
      LOG.info(config + ": " + config.host() + " now resolves to " + address.getHostAddress() + "; registering the agent there");
      return client.register(vertx, config).<Void>map(a -> {
        agent = a; // in the chain, as in register(): the discovery that follows sees the new address
        return null;
      });
    }).<Void>mapEmpty().recover(e -> {
      LOG.fine(config + ": looking up " + config.host() + " again failed (" + e.getMessage() + "); keeping the last address");
      return Future.succeededFuture();
    }).eventually(() -> {
      busy = false;
      return Future.succeededFuture();
    });
  }

  /** Walks the interface tables, hands what it found to {@code found}, and reports a failure as the device unreachable. */
  Future<Void> discover(Consumer<InterfaceDiscovery.Result> found) {
    busy = true;
    wanted = false;
    TableWalker walker = new TableWalker(client, agent, config.maxReplyBytes(), config.maxInterfaces(),
        InterfaceDiscovery.byteBudget(config.maxInterfaces()));
    return InterfaceDiscovery.discover(walker, config.filter(), config.maxInterfaces())
        .onSuccess(r -> {
          TableWalker.Limits l = r.limits();
          if (l.rowsCut() > 0) interfacesCut++;
          if (l.budgetSpent()) budgetsSpent++;
          stringsCut += l.stringsCut();
        })
        .onSuccess(found::accept)
        .onFailure(e -> {
          status.reachable(false, "discovery failed: " + e.getMessage());
          // A v3 agent that stopped answering may have a new engine ID (replaced, reinstalled):
          // learn it again before the next discovery.
          if (config.version() == SnmpVersion.V3) agent = null;
        })
        .<Void>mapEmpty()
        .eventually(this::done);
  }

  private Future<Void> done() {
    busy = false;
    lastNanos = System.nanoTime();
    return Future.succeededFuture();
  }
}
