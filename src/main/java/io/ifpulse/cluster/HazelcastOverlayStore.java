package io.ifpulse.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.ifpulse.registry.LocalOverlayStore;
import io.ifpulse.registry.OverlayStore;
import io.ifpulse.registry.RegistryUnavailable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * An overlay of a cluster: the Hazelcast map {@code ifpulse.registry} for the devices
 * ({@link #devices}), {@code ifpulse.groups} for the groups ({@link #groups}), mirrored by every
 * node into its own file. The files are what lets the registry survive a restart of the whole
 * cluster (Hazelcast keeps nothing on disk): every node, when it joins, offers each entry of its
 * file to the map, where it replaces the map's entry only if it is a newer change
 * ({@link RegistryMerge}: entries carry the time of their change). So the registry after a restart
 * is the newest of all the files that come back, whichever node starts first; and a node that was
 * away brings back nothing older than what the others have.
 *
 * <p>Every entry is sealed under the cluster key ({@link SignedMap}): an entry or tombstone
 * written by a member without the key, or an old one written back over a newer one, is ignored
 * and counted. It reaches neither the device list nor the file.
 */
public final class HazelcastOverlayStore implements OverlayStore {
  public static final String MAP = "ifpulse.registry";
  /** The groups' map: sealed and merged by the same rules (conf/cluster.xml: {@link GroupsMergePolicy}). */
  public static final String GROUPS_MAP = "ifpulse.groups";
  private static final Logger LOG = Logger.getLogger(HazelcastOverlayStore.class.getName());
  /** A mark earlier versions put in the map (the first node seeded it alone): not a device. */
  private static final String SEEDED = "#seeded";
  /** Tries of a conditional write of one file entry that another joining node keeps beating. */
  private static final int OFFER_TRIES = 5;

  private final IMap<String, String> map;
  private final SignedMap signed;
  private final LocalOverlayStore file;
  /** For the log: "registry" or "groups". */
  private final String what;
  private final List<BiConsumer<String, JsonObject>> listeners = new CopyOnWriteArrayList<>();

  public HazelcastOverlayStore(HazelcastInstance hz, LocalOverlayStore file, ClusterKey key, ClusterRejections rejections) {
    this(hz, file, key, rejections, MAP, RegistryMergePolicy.CONTEXT);
  }

  /** The device registry's overlay: the map {@value #MAP} over the node's registry file. */
  public static HazelcastOverlayStore devices(HazelcastInstance hz, LocalOverlayStore file, ClusterKey key, ClusterRejections rejections) {
    return new HazelcastOverlayStore(hz, file, key, rejections);
  }

  /** The groups' overlay: the map {@value #GROUPS_MAP} over the node's groups file. */
  public static HazelcastOverlayStore groups(HazelcastInstance hz, LocalOverlayStore file, ClusterKey key, ClusterRejections rejections) {
    return new HazelcastOverlayStore(hz, file, key, rejections, GROUPS_MAP, GroupsMergePolicy.CONTEXT);
  }

  /**
   * @param mapName the shared map; sealed under its own name, so no entry moves between maps
   * @param mergeContext where the map's merge policy (conf/cluster.xml) finds this map's rule
   */
  private HazelcastOverlayStore(HazelcastInstance hz, LocalOverlayStore file, ClusterKey key, ClusterRejections rejections,
      String mapName, String mergeContext) {
    this.map = hz.getMap(mapName);
    this.signed = new SignedMap(mapName, key, () -> hz.getCluster().getLocalMember().getUuid().toString(), rejections);
    this.file = file;
    this.what = MAP.equals(mapName) ? "registry" : file.kind();
    // The merge policy of the map (conf/cluster.xml) finds its rule here: it checks the seals.
    hz.getUserContext().put(mergeContext, new RegistryMerge(signed));
    int offered = 0;
    int taken = 0;
    for (Map.Entry<String, JsonObject> e : file.snapshot().entrySet()) {
      offered++;
      if (offer(e.getKey(), e.getValue())) taken++;
    }
    if (offered > 0) LOG.info(what + ": " + taken + " of the " + offered + " entries of " + file.path() + " were newer than the cluster's");
    map.addEntryListener(new Listener(), true);
    // Mirror what the cluster has now into this node's file.
    snapshot().forEach(file::put);
    // This node was on the smaller side of a split and has just joined the larger one: its map is
    // now the merged one, which no entry event described to it. Re-read it whole.
    hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGED) resync();
    });
  }

  /**
   * Puts this node's file entry in the map if the map has none, or an older change, or one that is
   * not sealed under the cluster key; true when it did. Conditional, so that of two nodes joining
   * at once with different entries the newer still wins.
   */
  private boolean offer(String id, JsonObject entry) {
    if (SEEDED.equals(id)) return false;
    for (int i = 0; i < OFFER_TRIES; i++) {
      String current = map.get(id);
      SignedMap.Opened there = current == null ? null : signed.open(id, current, false);
      // Strictly newer by change time: the file's copy of the map's own entry is sealed anew, and
      // must not win by its newer seal alone.
      if (there != null && RegistryMerge.changedAt(entry) <= RegistryMerge.changedAt(there.value())) return false;
      String sealed = signed.seal(id, entry);
      if (current == null ? map.putIfAbsent(id, sealed) == null : map.replace(id, current, sealed)) return true;
    }
    LOG.warning(what + ": entry " + id + " of " + file.path() + " kept changing in the cluster while offered; left to the cluster's");
    return false;
  }

  private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryMergedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      changed(e, true);
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      changed(e, true);
    }

    /**
     * An entry the merge policy took from the other side of a healed split. The policy has judged
     * its order already (newest change wins), so the replay check, which knows only this side's
     * history, does not apply; the seal still does.
     */
    @Override
    public void entryMerged(EntryEvent<String, String> e) {
      changed(e, false);
    }
  }

  private void changed(EntryEvent<String, String> e, boolean replayCheck) {
    if (SEEDED.equals(e.getKey())) return;
    SignedMap.Opened entry = signed.open(e.getKey(), e.getValue(), replayCheck);
    if (entry == null) return;
    apply(e.getKey(), entry.value());
  }

  private void apply(String id, JsonObject entry) {
    file.put(id, entry);
    listeners.forEach(l -> l.accept(id, entry));
  }

  /**
   * Brings this node's file and device list to the map as it is now: every entry that differs from
   * the file's is applied as a change. Called after a merge, on a Hazelcast thread (never an event
   * loop): the map is read whole, a few hundred bytes per device.
   */
  void resync() {
    int changed = 0;
    try {
      for (Map.Entry<String, JsonObject> e : snapshot().entrySet()) {
        if (e.getValue().equals(file.entry(e.getKey()))) continue;
        apply(e.getKey(), e.getValue());
        changed++;
      }
    } catch (RuntimeException e) {
      LOG.warning(what + ": cannot re-read the merged map (" + e + "); this node's list follows the next change");
      return;
    }
    LOG.info(what + ": merged with the other side of a split; " + changed + " entries changed here");
  }

  @Override
  public Map<String, JsonObject> snapshot() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (SEEDED.equals(k)) return;
      SignedMap.Opened entry = signed.open(k, v, false);
      if (entry != null) out.put(k, entry.value());
    });
    return out;
  }

  /**
   * This node's file first, then the cluster's map: a change this node's disk cannot keep is
   * refused before any node sees it. A change the map does not take is taken back out of the file.
   * Either failure is a {@link RegistryUnavailable}, with the map, the device lists and the file as
   * before. (Other nodes mirror the change into their own files; a node whose disk fails then logs
   * it, and its file catches up with the map at its next change or start.)
   */
  @Override
  public Future<Void> put(String id, JsonObject entryOrDeleted) {
    JsonObject before = file.entry(id);
    String sealed;
    try {
      sealed = signed.seal(id, entryOrDeleted);
    } catch (RuntimeException notActive) {
      // Sealing names this member: one that has left the cluster cannot, and writes nothing.
      return Future.failedFuture(refused(notActive));
    }
    return file.put(id, entryOrDeleted).compose(written -> {
      Future<Void> set;
      try {
        set = Future.fromCompletionStage(map.setAsync(id, sealed));
      } catch (RuntimeException notActive) {
        // A member that is leaving or has left throws at once instead of failing the future.
        set = Future.failedFuture(notActive);
      }
      return set.recover(e -> {
        file.restore(id, before);
        return Future.failedFuture(refused(e));
      });
    });
  }

  private static RegistryUnavailable refused(Throwable cause) {
    return new RegistryUnavailable("the cluster did not take the change (" + cause.getMessage() + "); nothing was changed", cause);
  }

  @Override
  public void onChange(BiConsumer<String, JsonObject> listener) {
    listeners.add(listener);
  }
}
