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
 * heartbeat timeout of conf/cluster.xml), when a poller announces itself or withdraws, when the
 * registry changes, and when a re-check every {@value #RECHECK_MS} ms finds, twice running, other
 * pollers than the last computation used.
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

  /**
   * How often the pollers are read again. The events alone are not enough: the set of ready
   * pollers is read from a partitioned map, and a read during the partition migration that follows
   * a join once missed the member whose announcement had triggered it; one node then kept the old
   * share-out while the others used the new one, and nothing recomputed for a minute (two nodes
   * polled the same devices). The re-check bounds such a disagreement to a few seconds; it acts
   * only on a difference seen twice running, so a read that is stale for a moment does not undo
   * what an event just told.
   */
  static final long RECHECK_MS = 3000;

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
  private volatile java.util.Set<String> lastPollers = java.util.Set.of();
  /** What the previous re-check read where it differed from lastPollers (re-check thread only). */
  private java.util.Set<String> differentBefore;
  private final java.util.concurrent.ScheduledExecutorService recheck =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ifpulse-ownership-recheck");
        t.setDaemon(true);
        return t;
      });

  public ClusterOwnership(HazelcastInstance hz, DeviceRegistry registry) {
    this.hz = hz;
    this.registry = registry;
    this.ready = hz.getMap(READY_MAP);
    recompute("start", null, null);
    ready.addEntryListener(new ReadyListener(), false);
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        recompute("member joined: " + e.getMember().getAddress(), null, null);
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        ready.delete(e.getMember().getUuid().toString()); // idempotent; any node may tidy up
        recompute("member left: " + e.getMember().getAddress(), null, null);
      }
    });
    registry.onChange(id -> recompute(null, null, null));
    recheck.scheduleWithFixedDelay(this::recheck, RECHECK_MS, RECHECK_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void recheck() {
    try {
      java.util.Set<String> now = pollers(hz.getCluster().getMembers(), null, null);
      if (now.equals(lastPollers)) {
        differentBefore = null;
      } else if (now.equals(differentBefore)) {
        differentBefore = null;
        recompute("re-check: the pollers changed without an event seen", null, null);
      } else {
        differentBefore = now;
      }
    } catch (com.hazelcast.core.HazelcastInstanceNotActiveException stopped) {
      recheck.shutdown();
    } catch (RuntimeException e) {
      LOG.warning("ownership re-check failed (will retry): " + e);
    }
  }

  private final class ReadyListener implements EntryAddedListener<String, String>, EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      // The event is proof of the entry, whatever a read of the map returns just now.
      recompute("poller ready: " + e.getKey(), e.getKey(), null);
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> e) {
      recompute("poller withdrawn: " + e.getKey(), null, e.getKey());
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
    recompute("withdrawing", null, localId());
  }

  @Override
  public boolean owns(String deviceId) {
    return localId().equals(owners.get(deviceId));
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Those of {@code members} that poll: poller role and announced in the ready map. {@code added}
   * and {@code removed} are the key of the event being handled, which counts whatever the read
   * returns.
   */
  private java.util.Set<String> pollers(java.util.Collection<Member> members, String added, String removed) {
    java.util.Set<String> readyIds = new java.util.HashSet<>(ready.keySet());
    if (added != null) readyIds.add(added);
    if (removed != null) readyIds.remove(removed);
    java.util.Set<String> pollers = new java.util.LinkedHashSet<>();
    for (Member m : members) {
      String id = m.getUuid().toString();
      if ("true".equals(m.getAttribute(POLLER_ATTRIBUTE)) && readyIds.contains(id)) pollers.add(id);
    }
    return pollers;
  }

  private synchronized void recompute(String why, String added, String removed) {
    String localId = localId();
    if (announced && !ready.containsKey(localId)) {
      // Rejoined under a new id (after being cut off): announce again.
      ready.set(localId, "ready");
    }
    List<Member> now = new ArrayList<>(hz.getCluster().getMembers());
    // One view of the members for both: what describe() shows is what the owners came from.
    java.util.Set<String> pollers = pollers(now, added, removed);
    List<String> devices = new ArrayList<>();
    for (DeviceConfig d : registry.devices()) if (d.enabled()) devices.add(d.id());
    Map<String, String> next = RendezvousAssignment.assign(devices, new ArrayList<>(pollers), LOAD_FACTOR);
    int moved = 0;
    for (Map.Entry<String, String> e : next.entrySet()) {
      if (!e.getValue().equals(owners.get(e.getKey()))) moved++;
    }
    members = List.copyOf(now);
    owners = Map.copyOf(next);
    lastPollers = pollers;
    if (why != null) {
      long mine = next.values().stream().filter(localId::equals).count();
      LOG.info("ownership (" + why + "): " + pollers.size() + " pollers, " + moved + " devices moved, " + mine + " polled here");
    }
    listeners.forEach(Runnable::run);
  }

  /**
   * What /api/cluster shows: the members and pollers the current owners were computed from. Called
   * on the web event loop, so it reads no map: a read of a partition whose owner hangs blocks
   * until Hazelcast gives up on that member, and the REST API stopped answering meanwhile.
   */
  public JsonObject describe() {
    JsonArray ms = new JsonArray();
    java.util.Set<String> pollers = lastPollers;
    for (Member m : members) {
      ms.add(new JsonObject()
          .put("id", m.getUuid().toString())
          .put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
          .put("poller", pollers.contains(m.getUuid().toString()))
          .put("local", m.localMember()));
    }
    JsonObject o = new JsonObject();
    owners.forEach(o::put);
    return new JsonObject().put("node", localId()).put("members", ms).put("owners", o);
  }
}
