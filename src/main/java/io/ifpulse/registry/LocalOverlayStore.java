package io.ifpulse.registry;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/** The overlay of a single hub: in memory, written to its file on every change. */
public final class LocalOverlayStore implements OverlayStore {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LocalOverlayStore.class.getName());
  private final Map<String, JsonObject> overlay;
  private final RegistryFile file;
  private final List<BiConsumer<String, JsonObject>> listeners = new CopyOnWriteArrayList<>();
  // File writes leave the event loop; one thread keeps them in order.
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ifpulse-registry-writer");
    t.setDaemon(true);
    return t;
  });

  public LocalOverlayStore(Path file) {
    this.file = new RegistryFile(file);
    this.overlay = new LinkedHashMap<>(this.file.read());
    if (scrubSecrets(overlay)) this.file.write(new LinkedHashMap<>(overlay));
  }

  /**
   * Entries written before credentials were named carried the community or v3 passphrases of
   * devices added over the API. Secrets no longer live in the registry: such an entry loses them
   * (and the file is rewritten at once); the device stays, without credentials, until an operator
   * names one. True when anything was removed.
   */
  static boolean scrubSecrets(Map<String, JsonObject> overlay) {
    boolean changed = false;
    for (Map.Entry<String, JsonObject> e : overlay.entrySet()) {
      JsonObject entry = e.getValue();
      if (entry == null || !(entry.containsKey("community") || entry.containsKey("v3"))) continue;
      JsonObject clean = entry.copy();
      clean.remove("community");
      clean.remove("v3");
      clean.remove("version");
      e.setValue(clean);
      changed = true;
      LOG.warning("registry entry " + e.getKey() + " carried a community or v3 passphrases: removed from the registry file;"
          + " the device has no credentials until it names one (PUT /api/devices/" + e.getKey() + " with \"credentials\": NAME)");
    }
    return changed;
  }

  @Override
  public synchronized Map<String, JsonObject> snapshot() {
    return new LinkedHashMap<>(overlay);
  }

  @Override
  public Future<Void> put(String id, JsonObject entryOrDeleted) {
    Map<String, JsonObject> copy;
    synchronized (this) {
      overlay.put(id, entryOrDeleted);
      copy = new LinkedHashMap<>(overlay);
    }
    writer.execute(() -> file.write(copy));
    listeners.forEach(l -> l.accept(id, entryOrDeleted));
    return Future.succeededFuture();
  }

  @Override
  public void onChange(BiConsumer<String, JsonObject> listener) {
    listeners.add(listener);
  }
}
