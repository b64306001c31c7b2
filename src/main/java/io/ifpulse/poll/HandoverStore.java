package io.ifpulse.poll;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where a device's poller leaves what the next owner needs to go on without a gap: the last
 * counter readings, the discovered interfaces and the sample sequence number. A single hub needs
 * none of this; a cluster keeps it in a shared map.
 */
public interface HandoverStore {
  /** Stores the state after a poll; fire and forget. */
  void save(String deviceId, JsonObject state);

  /** The last state saved for the device, or null. Completes on the caller's context. */
  Future<JsonObject> load(String deviceId);

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
