package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.SnmpVersion;
import io.ifpulse.discovery.InterfaceDiscovery;
import io.ifpulse.snmp.SnmpClient;
import io.ifpulse.snmp.TableWalker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Finds out what there is to poll on one device: registers its agent with the client, walks its
 * interface tables, and says when to look again (on schedule, after the agent restarted, when an
 * interface stopped answering). Confined to the poller's event loop.
 */
final class DeviceDiscovery {
  private final Vertx vertx;
  private final SnmpClient client;
  private final DeviceConfig config;
  private final DeviceStatus status;
  /** Null until registered (a v3 agent's engine ID learned, a host name resolved), and after a v3 agent stops answering. */
  private SnmpClient.Agent agent;
  private boolean busy;
  private boolean wanted;
  private long lastNanos;

  DeviceDiscovery(Vertx vertx, SnmpClient client, DeviceConfig config, DeviceStatus status) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.status = status;
  }

  SnmpClient.Agent agent() {
    return agent;
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
        .onFailure(e -> status.reachable(false, "cannot register: " + e.getMessage()))
        .eventually(this::done);
  }

  /** Walks the interface tables, hands what it found to {@code found}, and reports a failure as the device unreachable. */
  Future<Void> discover(Consumer<InterfaceDiscovery.Result> found) {
    busy = true;
    wanted = false;
    TableWalker walker = new TableWalker(client, agent, config.maxReplyBytes(), 100_000);
    return InterfaceDiscovery.discover(walker, config.filter())
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
