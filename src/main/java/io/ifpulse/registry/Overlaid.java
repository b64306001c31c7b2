package io.ifpulse.registry;

import io.ifpulse.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What the config file names (devices, groups), overlaid with what was added, changed or removed at
 * run time: the overlay wins for the ids it names, and a tombstone removes one of the config. One
 * rule for both lists, so that a group changed over REST lives exactly as a device does: in the
 * node's file, in the cluster's map, with who changed it in the audit.
 *
 * <p>An overlay entry is the entry as the REST API takes it plus {@value DeviceRegistry#CHANGE}:
 * who made the change, from where and when. Thread-safe: read from any verticle, changed through
 * the REST API of any node.
 *
 * @param <T> the validated record (DeviceConfig, GroupConfig)
 */
final class Overlaid<T> {
  private static final Logger LOG = Logger.getLogger(Overlaid.class.getName());

  /** Makes the record of an overlay entry (without its change stamp); throws ConfigException. */
  interface Parser<T> {
    T parse(String id, JsonObject entry);
  }

  private final List<T> configured;
  private final Function<T, String> idOf;
  private final Parser<T> parser;
  private final OverlayStore store;
  private final ChangeAudit audit;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  /**
   * The overlay entries as last seen, in the order they first came (guarded by itself): what the
   * list is computed from, and the audit's "what changed".
   */
  private final Map<String, JsonObject> lastEntries = new LinkedHashMap<>();
  /** The same entries parsed, in the same order (guarded by {@link #lastEntries}). */
  private final Map<String, Parsed<T>> parsed = new LinkedHashMap<>();
  private volatile List<T> effective;

  /** @param subject what one entry is, for the audit and the log: "device" or "group" */
  Overlaid(String subject, List<T> configured, Function<T, String> idOf, Parser<T> parser, OverlayStore store) {
    this.configured = List.copyOf(configured);
    this.idOf = idOf;
    this.parser = parser;
    this.store = store;
    this.audit = new ChangeAudit(subject);
    // The events of a clustered store come on several threads at once (one per key's partition),
    // and a whole-map read during a migration may not show yet what an event has just said. So
    // the list is computed from the events' own entries, one change at a time: two changes of
    // different entries arriving together both stay (a whole-cluster restart offers every node's
    // newer entries at once). Listening starts before the first read, under the same lock, so no
    // change falls between them; an event waiting for the lock is at least as new as that read.
    synchronized (lastEntries) {
      store.onChange(this::changed);
      store.snapshot().forEach((id, entry) -> {
        lastEntries.put(id, entry);
        parsed.put(id, parse(id, entry));
      });
      this.effective = compute();
    }
  }

  private void changed(String id, JsonObject entry) {
    synchronized (lastEntries) {
      JsonObject before = lastEntries.get(id);
      T existed = get(id);
      lastEntries.put(id, entry);
      parsed.put(id, parse(id, entry));
      effective = compute();
      boolean deleted = OverlayStore.isDeleted(entry);
      // An entry of the config file that the overlay did not hold yet was there too: "changed",
      // with every field it now names (the config's own entry is not kept to compare with).
      JsonObject was = existed == null ? null : before == null ? new JsonObject() : withoutChange(before);
      audit.record(id, was, deleted ? null : withoutChange(entry), entry.getJsonObject(DeviceRegistry.CHANGE));
    }
    listeners.forEach(l -> l.accept(id));
  }

  List<T> all() {
    return effective;
  }

  T get(String id) {
    if (id == null) return null;
    for (T t : effective) if (idOf.apply(t).equals(id)) return t;
    return null;
  }

  ChangeAudit audit() {
    return audit;
  }

  /** Called (on any thread) with the id of an entry added, changed or removed. */
  void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Stores a validated entry, stamped with its change; completes once the store kept it. */
  Future<Void> put(String id, JsonObject entry, JsonObject change) {
    return store.put(id, entry.copy().put(DeviceRegistry.CHANGE, stamped(change)));
  }

  /** Removes an entry (a tombstone, which also hides one of the config); false when there is none. */
  Future<Boolean> remove(String id, JsonObject change) {
    if (get(id) == null) return Future.succeededFuture(false);
    return store.put(id, OverlayStore.deleted().put(DeviceRegistry.CHANGE, stamped(change))).map(true);
  }

  private static JsonObject stamped(JsonObject change) {
    JsonObject c = change == null ? new JsonObject() : change.copy();
    if (!c.containsKey("at")) c.put("at", System.currentTimeMillis());
    return c;
  }

  static JsonObject withoutChange(JsonObject entry) {
    if (entry == null) return null;
    JsonObject e = entry.copy();
    e.remove(DeviceRegistry.CHANGE);
    return e;
  }

  /** An overlay entry as the list takes it: a record, a tombstone, or neither (it did not validate). */
  private record Parsed<T>(T value, boolean deleted) {}

  /** Parses one entry, once per change rather than once per entry at every change. */
  private Parsed<T> parse(String id, JsonObject entry) {
    if (OverlayStore.isDeleted(entry)) return new Parsed<>(null, true);
    try {
      return new Parsed<>(parser.parse(id, withoutChange(entry)), false);
    } catch (ConfigException bad) {
      // An entry that no longer validates (the defaults changed, or it predates named
      // credentials) is skipped, loudly.
      LOG.warning("registry entry " + id + " ignored: " + bad.getMessage());
      return new Parsed<>(null, false);
    }
  }

  private List<T> compute() {
    Map<String, T> out = new LinkedHashMap<>();
    for (T t : configured) out.put(idOf.apply(t), t);
    for (Map.Entry<String, Parsed<T>> e : parsed.entrySet()) {
      if (e.getValue().deleted()) out.remove(e.getKey());
      else if (e.getValue().value() != null) out.put(e.getKey(), e.getValue().value());
    }
    return List.copyOf(new ArrayList<>(out.values()));
  }
}
