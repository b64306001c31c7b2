package io.ifpulse.testing;

import io.ifpulse.poll.HandoverStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A hand-over store in this JVM, standing in for the cluster's map where one process plays every node. */
public final class MemoryHandoverStore implements HandoverStore {
  private final Map<String, String> saved = new ConcurrentHashMap<>();

  @Override
  public void save(String deviceId, JsonObject state) {
    saved.put(deviceId, state.encode()); // encoded, as the cluster's map holds it
  }

  @Override
  public Future<JsonObject> load(String deviceId) {
    String s = saved.get(deviceId);
    return Future.succeededFuture(s == null ? null : new JsonObject(s));
  }

  @Override
  public void remove(String deviceId) {
    saved.remove(deviceId);
  }

  public boolean has(String deviceId) {
    return saved.containsKey(deviceId);
  }
}
