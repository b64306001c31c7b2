package io.ifpulse.registry;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where the run-time changes to the device list live: entries added or changed through the REST
 * API, and tombstones for devices removed. A single hub keeps them in memory and in its file; a
 * cluster keeps them in a Hazelcast map that every node mirrors into its own file.
 */
public interface OverlayStore {
  /** Marker stored for a removed device. */
  JsonObject DELETED = new JsonObject().put("deleted", true);

  /** The overlay as it is now: id → entry, or {@link #DELETED}. */
  Map<String, JsonObject> snapshot();

  /** Stores an entry (or {@link #DELETED}); the change listener sees it on every node. */
  Future<Void> put(String id, JsonObject entryOrDeleted);

  /** Registers the listener of changes (id, entry or DELETED), from any node. */
  void onChange(BiConsumer<String, JsonObject> listener);
}
