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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
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
 * <p>A device is only given to a member that has its credential: each poller announces, in the
 * map of ready pollers, the names of the credentials of its config file (never the secrets), and
 * an announcement counts only when it is sealed under the cluster key ({@link SignedMap}): a
 * member without the key can neither claim devices nor hide real pollers' credentials. A device
 * that no poller can poll is reported once ("no-credentials") by the member rendezvous would
 * have picked among all pollers.
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
  private final SignedMap signed;
  private final Set<String> ownCredentials;
  private volatile boolean announced;
  /** Hazelcast gives a member a new id when it rejoins after being cut off: always ask. */
  private String localId() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, String> owners = Map.of();
  private volatile List<Member> members = List.of();
  private volatile java.util.Set<String> lastPollers = java.util.Set.of();
  /** The credential names each of lastPollers announced. */
  private volatile Map<String, Set<String>> lastCredentials = Map.of();
  /** What the previous re-check read where it differed from lastPollers (re-check thread only). */
  private java.util.Set<String> differentBefore;
  private final java.util.concurrent.ScheduledExecutorService recheck =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ifpulse-ownership-recheck");
        t.setDaemon(true);
        return t;
      });

  /**
   * @param ownCredentials the names of this node's credentials, announced with its readiness
   */
  public ClusterOwnership(HazelcastInstance hz, DeviceRegistry registry, ClusterKey key, ClusterRejections rejections,
      Set<String> ownCredentials) {
    this.hz = hz;
    this.registry = registry;
    this.ready = hz.getMap(READY_MAP);
    this.signed = new SignedMap(READY_MAP, key, this::localId, rejections);
    this.ownCredentials = Set.copyOf(ownCredentials);
    recompute("start", null, null);
    // With values: an announcement counts only if it is sealed, which the event must show.
    ready.addEntryListener(new ReadyListener(), true);
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        recompute("member joined: " + e.getMember().getAddress(), null, null);
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        String gone = e.getMember().getUuid().toString();
        // First the new owners (the member list no longer holds it), then the tidying: a map
        // call right after a member died can wait seconds on the partition migration, and it did,
        // adding that wait to every device's failover.
        recompute("member left: " + e.getMember().getAddress(), null, gone);
        ready.removeAsync(gone); // idempotent; any node may tidy up
      }
    });
    registry.onChange(id -> recompute(null, null, null));
    // After a split heals, the members of the smaller side rejoin under new ids and no membership
    // event tells them of the others: recompute (and announce again under the new id) at once
    // rather than at the re-check, so that every device has one poller again within seconds.
    hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) recompute("merged after a split", null, null);
    });
    recheck.scheduleWithFixedDelay(this::recheck, RECHECK_MS, RECHECK_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void recheck() {
    try {
      java.util.Set<String> now = pollers(hz.getCluster().getMembers(), null, null).keySet();
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
      // The event is proof of the entry, whatever a read of the map returns just now: if sealed.
      SignedMap.Opened a = signed.open(e.getKey(), e.getValue(), true);
      if (a == null) return;
      recompute("poller ready: " + e.getKey(), new Announcement(e.getKey(), credentialsOf(a)), null);
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> e) {
      recompute("poller withdrawn: " + e.getKey(), null, e.getKey());
    }
  }

  /** A poller's announcement as read: who, with which credentials. */
  private record Announcement(String member, Set<String> credentials) {}

  private static Set<String> credentialsOf(SignedMap.Opened a) {
    Set<String> out = new TreeSet<>();
    if (a.value().getValue("credentials") instanceof JsonArray names) {
      for (Object o : names) if (o instanceof String n && n.length() <= 64) out.add(n);
    }
    return out;
  }

  private String announcement() {
    return signed.seal(localId(), new JsonObject().put("credentials", new JsonArray(new ArrayList<>(new TreeSet<>(ownCredentials)))));
  }

  /** This node's poller is running: from now on it takes its share. */
  public void announceReady() {
    announced = true;
    ready.set(localId(), announcement());
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
  public boolean reportsUnpollable(String deviceId) {
    if (owners.containsKey(deviceId)) return false;
    String best = null;
    long bestWeight = 0;
    for (String m : lastPollers) {
      long w = RendezvousAssignment.weight(deviceId, m);
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0) {
        best = m;
        bestWeight = w;
      }
    }
    return localId().equals(best);
  }

  /**
   * Whether this node computes the interface group {@code name}: the poller of highest rendezvous
   * weight for it among the current pollers, so every node names the same one without agreeing,
   * and a group moves, like a device, when its node leaves. Groups are few and light (one sum a
   * second each): no load cap, unlike devices.
   */
  public boolean ownsGroup(String name) {
    return localId().equals(groupOwner(name, lastPollers));
  }

  /**
   * The member that computes group {@code name} among {@code pollers} (member ids), or null when
   * none polls: one rule for this node's choice and for what /api/cluster says of it.
   */
  public static String groupOwner(String name, java.util.Collection<String> pollers) {
    String key = "group:" + name; // a group and a device may share a name; their owners need not
    String best = null;
    long bestWeight = 0;
    for (String m : pollers) {
      long w = RendezvousAssignment.weight(key, m);
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0 || (w == bestWeight && m.compareTo(best) < 0)) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  /** Whether some poller of the cluster has a credential of this name (by its announcement). */
  public boolean anyPollerHas(String credential) {
    if (ownCredentials.contains(credential)) return true;
    for (Set<String> c : lastCredentials.values()) if (c.contains(credential)) return true;
    return false;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Those of {@code members} that poll (poller role and a sealed announcement in the ready map),
   * with their credentials. {@code added} and {@code removed} are the member of the event being
   * handled, which counts whatever the read returns.
   */
  private Map<String, Set<String>> pollers(java.util.Collection<Member> members, Announcement added, String removed) {
    Map<String, Set<String>> announced = new HashMap<>();
    for (Map.Entry<String, String> e : ready.entrySet()) {
      SignedMap.Opened a = signed.open(e.getKey(), e.getValue(), false);
      if (a != null) announced.put(e.getKey(), credentialsOf(a));
    }
    if (added != null) announced.put(added.member(), added.credentials());
    if (removed != null) announced.remove(removed);
    Map<String, Set<String>> pollers = new java.util.LinkedHashMap<>();
    for (Member m : members) {
      String id = m.getUuid().toString();
      if ("true".equals(m.getAttribute(POLLER_ATTRIBUTE)) && announced.containsKey(id)) pollers.put(id, announced.get(id));
    }
    return pollers;
  }

  private synchronized void recompute(String why, Announcement added, String removed) {
    String localId = localId();
    if (announced && signed.open(localId, ready.get(localId), false) == null) {
      // Rejoined under a new id (after being cut off), or the entry was removed or overwritten by
      // something without the key: announce again.
      ready.set(localId, announcement());
    }
    List<Member> now = new ArrayList<>(hz.getCluster().getMembers());
    // One view of the members for both: what describe() shows is what the owners came from.
    Map<String, Set<String>> pollers = pollers(now, added, removed);
    List<String> devices = new ArrayList<>();
    Map<String, String> credentialOf = new HashMap<>();
    for (DeviceConfig d : registry.devices()) {
      if (!d.enabled()) continue;
      devices.add(d.id());
      if (d.credentials() != null) credentialOf.put(d.id(), d.credentials());
    }
    // A credential written inline in the config file is every node's (they share that file).
    Map<String, String> next = RendezvousAssignment.assign(devices, new ArrayList<>(pollers.keySet()), LOAD_FACTOR,
        (device, member) -> {
          String c = credentialOf.get(device);
          return c == null || pollers.get(member).contains(c);
        });
    int moved = 0;
    for (Map.Entry<String, String> e : next.entrySet()) {
      if (!e.getValue().equals(owners.get(e.getKey()))) moved++;
    }
    members = List.copyOf(now);
    owners = Map.copyOf(next);
    lastPollers = Set.copyOf(pollers.keySet());
    lastCredentials = Map.copyOf(pollers);
    if (why != null) {
      long mine = next.values().stream().filter(localId::equals).count();
      int orphans = devices.size() - next.size();
      LOG.info("ownership (" + why + "): " + pollers.size() + " pollers, " + moved + " devices moved, " + mine + " polled here"
          + (orphans > 0 ? ", " + orphans + " that no poller has the credential of" : ""));
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
          .put("credentials", new JsonArray(new ArrayList<>(lastCredentials.getOrDefault(m.getUuid().toString(), Set.of()))))
          .put("local", m.localMember()));
    }
    JsonObject o = new JsonObject();
    owners.forEach(o::put);
    return new JsonObject().put("node", localId()).put("members", ms).put("owners", o);
  }
}
