package io.ifpulse.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.ifpulse.poll.HandoverStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The last counters of every device in the Hazelcast map {@code ifpulse.handover} (one backup),
 * written asynchronously after each poll by the owner and read by the next owner.
 */
public final class HazelcastHandoverStore implements HandoverStore {
  private static final Logger LOG = Logger.getLogger(HazelcastHandoverStore.class.getName());
  public static final String MAP = "ifpulse.handover";

  private final IMap<String, String> map;
  private final Vertx vertx;
  private final AtomicBoolean warned = new AtomicBoolean();

  public HazelcastHandoverStore(HazelcastInstance hz, Vertx vertx) {
    this.map = hz.getMap(MAP);
    this.vertx = vertx;
  }

  @Override
  public void save(String deviceId, JsonObject state) {
    map.setAsync(deviceId, state.encode()).whenComplete((v, e) -> {
      if (e != null && warned.compareAndSet(false, true)) LOG.warning("hand-over state not saved: " + e);
    });
  }

  @Override
  public Future<JsonObject> load(String deviceId) {
    return Future.fromCompletionStage(map.getAsync(deviceId), vertx.getOrCreateContext())
        .map(s -> s == null ? null : new JsonObject(s));
  }
}
