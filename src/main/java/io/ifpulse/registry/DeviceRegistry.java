package io.ifpulse.registry;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.Credentials;
import io.ifpulse.config.DeviceConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The devices the hub (or the cluster) polls: those of the config file, overlaid with what was
 * added, changed or removed at run time. The config seeds it; the overlay wins for the ids it
 * names. Thread-safe: read from any verticle, changed through the REST API of any node.
 *
 * <p>An overlay entry is a device entry as the REST API takes it (a credential by name, never a
 * secret) plus {@value #CHANGE}: who made the change, from where and when, for the audit. A
 * tombstone is {@code {"deleted": true, "_change": ...}}.
 */
public final class DeviceRegistry {
  private static final Logger LOG = Logger.getLogger(DeviceRegistry.class.getName());
  /** The key of an overlay entry that says who made it; not part of the device. */
  public static final String CHANGE = "_change";

  private final List<DeviceConfig> configured;
  private final JsonObject defaults;
  private final Credentials credentials;
  private final OverlayStore store;
  private final DeviceAudit audit = new DeviceAudit();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile List<DeviceConfig> effective;
  /** Credentials other nodes of the cluster have (names only); a single hub has none. */
  private volatile Predicate<String> credentialsElsewhere = name -> false;
  /** The overlay entries as last seen, for the audit's "what changed". */
  private final Map<String, JsonObject> lastEntries = new java.util.concurrent.ConcurrentHashMap<>();

  /** A registry of exactly these devices, changed only in memory (tests, tools). */
  public static DeviceRegistry fixed(List<DeviceConfig> devices) {
    return new DeviceRegistry(devices, new JsonObject(), Credentials.NONE, new InMemoryOverlay());
  }

  private static final class InMemoryOverlay implements OverlayStore {
    private final Map<String, JsonObject> overlay = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<String, JsonObject>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, JsonObject> snapshot() {
      return new LinkedHashMap<>(overlay);
    }

    @Override
    public Future<Void> put(String id, JsonObject entry) {
      overlay.put(id, entry);
      listeners.forEach(l -> l.accept(id, entry));
      return Future.succeededFuture();
    }

    @Override
    public void onChange(java.util.function.BiConsumer<String, JsonObject> listener) {
      listeners.add(listener);
    }
  }

  public DeviceRegistry(List<DeviceConfig> configured, JsonObject defaults, Credentials credentials, OverlayStore store) {
    this.configured = List.copyOf(configured);
    this.defaults = defaults;
    this.credentials = credentials;
    this.store = store;
    store.snapshot().forEach(lastEntries::put);
    this.effective = compute();
    store.onChange((id, entry) -> {
      JsonObject before = lastEntries.get(id);
      DeviceConfig existed = device(id);
      lastEntries.put(id, entry);
      effective = compute();
      boolean deleted = OverlayStore.isDeleted(entry);
      audit.record(id, existed == null ? null : withoutChange(before == null || OverlayStore.isDeleted(before) ? null : before),
          deleted ? null : withoutChange(entry), entry.getJsonObject(CHANGE));
      listeners.forEach(l -> l.accept(id));
    });
  }

  /** In a cluster: whether another node has a credential of this name (from its announcement). */
  public void credentialsElsewhere(Predicate<String> known) {
    this.credentialsElsewhere = known;
  }

  public List<DeviceConfig> devices() {
    return effective;
  }

  public DeviceConfig device(String id) {
    for (DeviceConfig d : effective) if (d.id().equals(id)) return d;
    return null;
  }

  /** Who changed which device, newest first (see {@link DeviceAudit}). */
  public DeviceAudit audit() {
    return audit;
  }

  /** The credentials of this node's config file (names only are ever shown). */
  public Credentials credentials() {
    return credentials;
  }

  /** Called (on any thread) with the id of a device added, changed or removed. */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
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
    return store.put(parsed.id(), entry.copy().put(CHANGE, stamped(change))).map(parsed);
  }

  /** Removes a device; false when there is no such device. */
  public Future<Boolean> remove(String id, JsonObject change) {
    if (device(id) == null) return Future.succeededFuture(false);
    return store.put(id, OverlayStore.deleted().put(CHANGE, stamped(change))).map(true);
  }

  private static JsonObject stamped(JsonObject change) {
    JsonObject c = change == null ? new JsonObject() : change.copy();
    if (!c.containsKey("at")) c.put("at", System.currentTimeMillis());
    return c;
  }

  private static JsonObject withoutChange(JsonObject entry) {
    if (entry == null) return null;
    JsonObject e = entry.copy();
    e.remove(CHANGE);
    return e;
  }

  private List<DeviceConfig> compute() {
    Map<String, DeviceConfig> out = new LinkedHashMap<>();
    for (DeviceConfig d : configured) out.put(d.id(), d);
    for (Map.Entry<String, JsonObject> e : store.snapshot().entrySet()) {
      if (OverlayStore.isDeleted(e.getValue())) {
        out.remove(e.getKey());
        continue;
      }
      try {
        out.put(e.getKey(), ConfigLoader.runtimeDevice(withoutChange(e.getValue()), defaults, credentials, false));
      } catch (ConfigException bad) {
        // An entry that no longer validates (the defaults changed, or it predates named
        // credentials) is skipped, loudly.
        LOG.warning("registry entry " + e.getKey() + " ignored: " + bad.getMessage());
      }
    }
    return List.copyOf(new ArrayList<>(out.values()));
  }
}
