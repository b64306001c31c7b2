package io.ifpulse.testing;

import io.ifpulse.poll.HandoverStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-over store in this JVM, standing in for the cluster's map where one process plays every
 * node: states are kept encoded, as the cluster's map holds them, and {@link #all()} lists them as a
 * node that starts late reads them.
 */
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

  @Override
  public Future<Map<String, JsonObject>> all() {
    Map<String, JsonObject> out = new HashMap<>();
    saved.forEach((k, v) -> out.put(k, new JsonObject(v)));
    return Future.succeededFuture(out);
  }

  public boolean has(String deviceId) {
    return saved.containsKey(deviceId);
  }

  /** The state saved under the key as the next node would read it, or null. */
  public JsonObject get(String key) {
    String s = saved.get(key);
    return s == null ? null : new JsonObject(s);
  }
}
