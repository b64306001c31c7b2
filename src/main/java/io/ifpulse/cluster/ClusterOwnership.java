package io.ifpulse.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.poll.DeviceOwnership;
import io.ifpulse.registry.DeviceRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Cluster-wide ownership: every enabled device is polled by exactly one live member that has the
 * poller role, chosen by {@link RendezvousAssignment} over the current members. Each node computes
 * it from Hazelcast's membership view, so there is nothing to agree on and nothing to lock; during
 * a split brain both halves poll, which is the safe side for a monitor.
 *
 * <p>Recomputed when a member joins or leaves (Hazelcast declares a killed member dead after the
 * heartbeat timeout of conf/cluster.xml) and when the registry changes.
 */
public final class ClusterOwnership implements DeviceOwnership {
  private static final Logger LOG = Logger.getLogger(ClusterOwnership.class.getName());
  /** Member attribute telling whether a member polls. */
  public static final String POLLER_ATTRIBUTE = "ifpulse.poller";
  /**
   * The largest share a member takes, relative to the mean. The busiest poller sets how many
   * devices a cluster can take, so the cap is tight: with 1.05 the largest share of 180 devices on
   * 3 members averaged 1.047 × the mean (1.101 with 1.2), for about 1 % of the devices moving
   * beyond the necessary ones at a membership change (0.1 % with 1.2; 1-2 % with an exact 1.0).
   */
  static final double LOAD_FACTOR = 1.05;

  /** Members whose poller is running: a member joins the share-out only once it can poll. */
  public static final String READY_MAP = "ifpulse.pollers";

  private final HazelcastInstance hz;
  private final DeviceRegistry registry;
  private final IMap<String, String> ready;
  private volatile boolean announced;
  /** Hazelcast gives a member a new id when it rejoins after being cut off: always ask. */
  private String localId() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, String> owners = Map.of();
  private volatile List<Member> members = List.of();

  public ClusterOwnership(HazelcastInstance hz, DeviceRegistry registry) {
    this.hz = hz;
    this.registry = registry;
    this.ready = hz.getMap(READY_MAP);
    recompute("start");
    ready.addEntryListener(new ReadyListener(), false);
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        recompute("member joined: " + e.getMember().getAddress());
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        ready.delete(e.getMember().getUuid().toString()); // idempotent; any node may tidy up
        recompute("member left: " + e.getMember().getAddress());
      }
    });
    registry.onChange(id -> recompute(null));
  }

  private final class ReadyListener implements EntryAddedListener<String, String>, EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      recompute("poller ready: " + e.getKey());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> e) {
      recompute("poller withdrawn: " + e.getKey());
    }
  }

  /** This node's poller is running: from now on it takes its share. */
  public void announceReady() {
    announced = true;
    ready.set(localId(), "ready");
  }

  /**
   * Before a graceful stop: hands this node's devices to the others while it still polls them, so
   * they are taken over without waiting for the member to leave.
   */
  public void withdraw() {
    announced = false;
    ready.delete(localId());
    recompute("withdrawing");
  }

  @Override
  public boolean owns(String deviceId) {
    return localId().equals(owners.get(deviceId));
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private synchronized void recompute(String why) {
    String localId = localId();
    if (announced && !ready.containsKey(localId)) {
      // Rejoined under a new id (after being cut off): announce again.
      ready.set(localId, "ready");
    }
    List<Member> now = new ArrayList<>(hz.getCluster().getMembers());
    java.util.Set<String> readyIds = ready.keySet();
    List<String> pollers = new ArrayList<>();
    for (Member m : now) {
      String id = m.getUuid().toString();
      if ("true".equals(m.getAttribute(POLLER_ATTRIBUTE)) && readyIds.contains(id)) pollers.add(id);
    }
    List<String> devices = new ArrayList<>();
    for (DeviceConfig d : registry.devices()) if (d.enabled()) devices.add(d.id());
    Map<String, String> next = RendezvousAssignment.assign(devices, pollers, LOAD_FACTOR);
    int moved = 0;
    for (Map.Entry<String, String> e : next.entrySet()) {
      if (!e.getValue().equals(owners.get(e.getKey()))) moved++;
    }
    members = List.copyOf(now);
    owners = Map.copyOf(next);
    if (why != null) {
      long mine = next.values().stream().filter(localId::equals).count();
      LOG.info("ownership (" + why + "): " + pollers.size() + " pollers, " + moved + " devices moved, " + mine + " polled here");
    }
    listeners.forEach(Runnable::run);
  }

  /** What /api/cluster shows. */
  public JsonObject describe() {
    JsonArray ms = new JsonArray();
    for (Member m : members) {
      ms.add(new JsonObject()
          .put("id", m.getUuid().toString())
          .put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
          .put("poller", "true".equals(m.getAttribute(POLLER_ATTRIBUTE)) && ready.containsKey(m.getUuid().toString()))
          .put("local", m.localMember()));
    }
    JsonObject o = new JsonObject();
    owners.forEach(o::put);
    return new JsonObject().put("node", localId()).put("members", ms).put("owners", o);
  }
}
