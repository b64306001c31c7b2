package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.snmp.SnmpClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
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
  /** Request/reply: answers a JSON object of per-device poll statistics. */
  public static final String STATS_ADDRESS = "ifpulse.poller.stats";

  private final List<DeviceConfig> devices;
  private final DeviceOwnership ownership;
  private final int maxInFlightTotal;
  private final Map<String, DevicePoller> running = new LinkedHashMap<>();
  private SnmpClient client;

  public PollerVerticle(Collection<DeviceConfig> devices, DeviceOwnership ownership, int maxInFlightTotal) {
    this.devices = List.copyOf(devices);
    this.ownership = ownership;
    this.maxInFlightTotal = maxInFlightTotal;
  }

  @Override
  public Future<?> start() {
    client = new SnmpClient(maxInFlightTotal);
    ownership.onChange(() -> context.runOnContext(v -> reconcile()));
    vertx.eventBus().<JsonObject>consumer(STATS_ADDRESS, msg -> {
      JsonObject all = new JsonObject();
      running.forEach((id, p) -> all.put(id, p.stats()));
      msg.reply(all);
    });
    reconcile();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    running.values().forEach(DevicePoller::stop);
    running.clear();
    if (client != null) client.close();
    return Future.succeededFuture();
  }

  private void reconcile() {
    for (DeviceConfig d : devices) {
      boolean want = d.enabled() && ownership.owns(d.id());
      DevicePoller p = running.get(d.id());
      if (want && p == null) {
        p = new DevicePoller(vertx, client, d);
        running.put(d.id(), p);
        p.start();
        LOG.fine("polling " + d);
      } else if (!want && p != null) {
        p.stop();
        running.remove(d.id());
        LOG.fine("no longer polling " + d);
      }
    }
  }
}
