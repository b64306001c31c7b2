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
