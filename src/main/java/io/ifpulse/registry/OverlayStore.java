package io.ifpulse.registry;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where the run-time changes to the device list (or the group list) live: entries added or changed
 * through the REST API, and tombstones for those removed. A single hub keeps them in memory and in its file; a
 * cluster keeps them in a Hazelcast map that every node mirrors into its own file.
 */
public interface OverlayStore {
  /** A new marker for a removed device (a tombstone): {@code {"deleted": true}}. */
  static JsonObject deleted() {
    return new JsonObject().put("deleted", true);
  }

  static boolean isDeleted(JsonObject entry) {
    return entry != null && Boolean.TRUE.equals(entry.getValue("deleted"));
  }

  /** The overlay as it is now: id → entry, or a tombstone. */
  Map<String, JsonObject> snapshot();

  /** Stores an entry (or a tombstone); the change listener sees it on every node. */
  Future<Void> put(String id, JsonObject entryOrDeleted);

  /** Registers the listener of changes (id, entry or tombstone), from any node. */
  void onChange(BiConsumer<String, JsonObject> listener);

  /** An overlay in memory only (tests, tools): every change is kept at once. */
  static OverlayStore inMemory() {
    return new OverlayStore() {
      private final Map<String, JsonObject> overlay = new java.util.concurrent.ConcurrentHashMap<>();
      private final java.util.List<BiConsumer<String, JsonObject>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

      @Override
      public Map<String, JsonObject> snapshot() {
        return new java.util.LinkedHashMap<>(overlay);
      }

      @Override
      public Future<Void> put(String id, JsonObject entry) {
        overlay.put(id, entry);
        listeners.forEach(l -> l.accept(id, entry));
        return Future.succeededFuture();
      }

      @Override
      public void onChange(BiConsumer<String, JsonObject> listener) {
        listeners.add(listener);
      }
    };
  }
}
