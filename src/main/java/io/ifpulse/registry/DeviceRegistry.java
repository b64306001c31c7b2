package io.ifpulse.registry;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.Credentials;
import io.ifpulse.config.DeviceConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The devices the hub (or the cluster) polls: those of the config file, overlaid with what was
 * added, changed or removed at run time ({@link Overlaid}). The config seeds it; the overlay wins
 * for the ids it names. Thread-safe: read from any verticle, changed through the REST API of any
 * node.
 *
 * <p>An overlay entry is a device entry as the REST API takes it (a credential by name, never a
 * secret) plus {@value #CHANGE}: who made the change, from where and when, for the audit. A
 * tombstone is {@code {"deleted": true, "_change": ...}}.
 */
public final class DeviceRegistry {
  /** The key of an overlay entry that says who made it; not part of the device. */
  public static final String CHANGE = "_change";

  private final JsonObject defaults;
  private final Credentials credentials;
  private final Overlaid<DeviceConfig> devices;
  /** Credentials other nodes of the cluster have (names only); a single hub has none. */
  private volatile Predicate<String> credentialsElsewhere = name -> false;

  /** A registry of exactly these devices, changed only in memory (tests, tools). */
  public static DeviceRegistry fixed(List<DeviceConfig> devices) {
    return new DeviceRegistry(devices, new JsonObject(), Credentials.NONE, OverlayStore.inMemory());
  }

  public DeviceRegistry(List<DeviceConfig> configured, JsonObject defaults, Credentials credentials, OverlayStore store) {
    this.defaults = defaults;
    this.credentials = credentials;
    this.devices = new Overlaid<>("device", configured, DeviceConfig::id,
        (id, entry) -> ConfigLoader.runtimeDevice(entry, defaults, credentials, false), store);
  }

  /** In a cluster: whether another node has a credential of this name (from its announcement). */
  public void credentialsElsewhere(Predicate<String> known) {
    this.credentialsElsewhere = known;
  }

  public List<DeviceConfig> devices() {
    return devices.all();
  }

  public DeviceConfig device(String id) {
    return devices.get(id);
  }

  /** Who changed which device, newest first (see {@link ChangeAudit}). */
  public ChangeAudit audit() {
    return devices.audit();
  }

  /** The credentials of this node's config file (names only are ever shown). */
  public Credentials credentials() {
    return credentials;
  }

  /** Called (on any thread) with the id of a device added, changed or removed. */
  public void onChange(Consumer<String> listener) {
    devices.onChange(listener);
  }

  /**
   * Validates and stores an entry; fails with the ConfigException naming field and value. The
   * entry must name a credential that this node or another node of the cluster has.
   *
   * @param change who makes it: {@code {"by", "from"}}, stored with the entry for the audit
   */
  public Future<DeviceConfig> put(JsonObject entry, JsonObject change) {
    DeviceConfig parsed;
    try {
      parsed = ConfigLoader.runtimeDevice(entry, defaults, credentials);
      String name = parsed.credentials();
      if (credentials.get(name) == null && !credentialsElsewhere.test(name)) {
        throw new ConfigException("device.credentials", name, "names no credential of any node"
            + (credentials.names().isEmpty() ? "" : " (here: " + String.join(", ", credentials.names()) + ")"));
      }
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return devices.put(parsed.id(), entry, change).map(parsed);
  }

  /** Removes a device; false when there is no such device. */
  public Future<Boolean> remove(String id, JsonObject change) {
    return devices.remove(id, change);
  }
}
