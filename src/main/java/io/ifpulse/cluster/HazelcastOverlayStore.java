package io.ifpulse.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.ifpulse.registry.LocalOverlayStore;
import io.ifpulse.registry.OverlayStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The registry overlay of a cluster: the Hazelcast map {@code ifpulse.registry}, mirrored by every
 * node into its own file. The first node of a cluster seeds the map from its file; the files are
 * what lets the registry survive a restart of the whole cluster (Hazelcast keeps nothing on disk).
 */
public final class HazelcastOverlayStore implements OverlayStore {
  public static final String MAP = "ifpulse.registry";
  private static final String SEEDED = "#seeded";

  private final IMap<String, String> map;
  private final LocalOverlayStore file;
  private final List<BiConsumer<String, JsonObject>> listeners = new CopyOnWriteArrayList<>();

  public HazelcastOverlayStore(HazelcastInstance hz, LocalOverlayStore file) {
    this.map = hz.getMap(MAP);
    this.file = file;
    // Whoever marks the map first seeds it from its file; later nodes adopt the cluster's view.
    if (map.putIfAbsent(SEEDED, "1") == null) {
      file.snapshot().forEach((id, entry) -> map.set(id, entry.encode()));
    }
    map.addEntryListener(new Listener(), true);
    // Mirror what the cluster has now into this node's file.
    snapshot().forEach(file::put);
  }

  private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      changed(e);
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      changed(e);
    }
  }

  private void changed(EntryEvent<String, String> e) {
    if (SEEDED.equals(e.getKey())) return;
    JsonObject entry = new JsonObject(e.getValue());
    file.put(e.getKey(), entry);
    listeners.forEach(l -> l.accept(e.getKey(), entry));
  }

  @Override
  public Map<String, JsonObject> snapshot() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (!SEEDED.equals(k)) out.put(k, new JsonObject(v));
    });
    return out;
  }

  @Override
  public Future<Void> put(String id, JsonObject entryOrDeleted) {
    return Future.fromCompletionStage(map.setAsync(id, entryOrDeleted.encode()));
  }

  @Override
  public void onChange(BiConsumer<String, JsonObject> listener) {
    listeners.add(listener);
  }
}
