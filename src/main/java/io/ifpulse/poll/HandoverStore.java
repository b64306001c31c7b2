package io.ifpulse.poll;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where the node that polls a device leaves what the next owner needs to go on without a gap: for
 * the poller the last counter readings, the discovered interfaces and the sample sequence number;
 * for the alerts the state of their rules. A single hub needs none of this; a cluster keeps each
 * kind in a shared map of its own.
 */
public interface HandoverStore {
  /** Stores the state after a poll; fire and forget. */
  void save(String deviceId, JsonObject state);

  /** The last state saved for the device, or null. Completes on the caller's context. */
  Future<JsonObject> load(String deviceId);

  /** Forgets the device's state (the device was removed); fire and forget. */
  default void remove(String deviceId) {}

  /** Every device's last state, by device id (for a node that starts late). Completes on the caller's context. */
  default Future<java.util.Map<String, JsonObject>> all() {
    return Future.succeededFuture(java.util.Map.of());
  }

  /** A single hub: nothing to hand over (callers skip building the state at all). */
  HandoverStore NONE = new HandoverStore() {
    @Override
    public void save(String deviceId, JsonObject state) {}

    @Override
    public Future<JsonObject> load(String deviceId) {
      return Future.succeededFuture(null);
    }
  };

  static HandoverStore none() {
    return NONE;
  }
}
