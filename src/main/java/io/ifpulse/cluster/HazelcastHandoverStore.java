package io.ifpulse.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.ifpulse.poll.HandoverStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Hand-over state in a Hazelcast map (one backup): the poller's last counters of every device in
 * {@value #MAP}, written asynchronously after each poll by the owner and read by the next owner;
 * the alert rules' state in {@value #ALERTS_MAP}, written when it changes. Sealed under the
 * cluster key ({@link SignedMap}): state that a member without the key wrote is not taken over
 * (the new owner discovers the device afresh instead).
 */
public final class HazelcastHandoverStore implements HandoverStore {
  private static final Logger LOG = Logger.getLogger(HazelcastHandoverStore.class.getName());
  public static final String MAP = "ifpulse.handover";
  public static final String ALERTS_MAP = "ifpulse.alerts.handover";

  private final IMap<String, String> map;
  private final SignedMap signed;
  private final Vertx vertx;
  private final AtomicBoolean warned = new AtomicBoolean();

  public HazelcastHandoverStore(HazelcastInstance hz, Vertx vertx, String mapName, ClusterKey key, ClusterRejections rejections) {
    this.map = hz.getMap(mapName);
    this.signed = new SignedMap(mapName, key, () -> hz.getCluster().getLocalMember().getUuid().toString(), rejections);
    this.vertx = vertx;
  }

  @Override
  public void save(String deviceId, JsonObject state) {
    map.setAsync(deviceId, signed.seal(deviceId, state)).whenComplete((v, e) -> {
      if (e != null && warned.compareAndSet(false, true)) LOG.warning("hand-over state not saved: " + e);
    });
  }

  @Override
  public void remove(String deviceId) {
    map.removeAsync(deviceId).whenComplete((v, e) -> {
      if (e != null && warned.compareAndSet(false, true)) LOG.warning("hand-over state not removed: " + e);
    });
  }

  @Override
  public Future<JsonObject> load(String deviceId) {
    return Future.fromCompletionStage(map.getAsync(deviceId), vertx.getOrCreateContext())
        .map(s -> {
          SignedMap.Opened o = signed.open(deviceId, s, false);
          return o == null ? null : o.value();
        });
  }

  @Override
  public Future<Map<String, JsonObject>> all() {
    // IMap has no asynchronous bulk read; a copy of the map is one blocking call off the loop.
    return vertx.executeBlocking(() -> {
      Map<String, JsonObject> out = new HashMap<>();
      for (Map.Entry<String, String> e : map.entrySet()) {
        SignedMap.Opened o = signed.open(e.getKey(), e.getValue(), false);
        if (o != null) out.put(e.getKey(), o.value());
      }
      return out;
    });
  }
}
