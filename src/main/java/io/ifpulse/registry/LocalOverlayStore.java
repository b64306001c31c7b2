package io.ifpulse.registry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The overlay of a single hub: in memory and in its file. A change counts once the file holds it:
 * {@link #put} completes after the file is on the disk, and a change the file could not take
 * fails with {@link RegistryUnavailable} and is not made in memory either.
 *
 * <p>File I/O runs on one writer thread of its own (never an event loop), which also keeps the
 * changes in order. Changes that arrive while a write is under way are written together by the
 * next one, so a burst costs a few writes, not one each. {@link #close} lets the writer finish
 * what it was given, so a stopping hub loses no change it has acknowledged.
 */
public final class LocalOverlayStore implements OverlayStore, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalOverlayStore.class.getName());
  /** How long a stopping hub waits for the writer: far more than any sane disk takes for one file. */
  private static final long DRAIN_SECONDS = 30;

  private record Pending(String id, JsonObject entry, Promise<Void> done) {}

  private final Map<String, JsonObject> overlay;
  private final RegistryFile file;
  /** What the overlay changes, for messages: "device list" or "group list". */
  private final String list;
  private final List<BiConsumer<String, JsonObject>> listeners = new CopyOnWriteArrayList<>();
  /** Changes given to the writer and not yet written; guarded by {@code this}. */
  private final List<Pending> pending = new ArrayList<>();
  private final ExecutorService writer;

  /**
   * Reads the file (none yet: an empty overlay).
   *
   * @throws RegistryFile.Corrupt the file is there but is not a registry (a copy is kept)
   * @throws IOException the scrubbed file could not be written back
   */
  public LocalOverlayStore(Path file) throws RegistryFile.Corrupt, IOException {
    this(file, RegistryFile.DEVICES);
  }

  /**
   * The overlay of the devices ({@link RegistryFile#DEVICES}) or of the groups
   * ({@link RegistryFile#GROUPS}): the same file discipline, in a file of its own.
   */
  public LocalOverlayStore(Path file, String kind) throws RegistryFile.Corrupt, IOException {
    this.file = new RegistryFile(file, kind);
    this.list = kind.replaceFirst("s$", "") + " list";
    this.overlay = new LinkedHashMap<>(this.file.read());
    // Only device entries ever carried secrets.
    if (RegistryFile.DEVICES.equals(kind) && scrubSecrets(overlay)) this.file.write(new LinkedHashMap<>(overlay));
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ifpulse-" + kind + "-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** What this overlay holds: {@link RegistryFile#DEVICES} or {@link RegistryFile#GROUPS}. */
  public String kind() {
    return file.kind();
  }

  /** Where the file is, for messages. */
  public Path path() {
    return file.path();
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

  /** This node's entry for an id (null: none), as written in its file. */
  public synchronized JsonObject entry(String id) {
    return overlay.get(id);
  }

  @Override
  public Future<Void> put(String id, JsonObject entryOrDeleted) {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      pending.add(new Pending(id, entryOrDeleted, done));
      // One writer task per batch: the first change of a batch schedules it, later ones join it.
      if (pending.size() > 1) return done.future();
    }
    try {
      writer.execute(this::writePending);
    } catch (RejectedExecutionException stopping) {
      List<Pending> refused;
      synchronized (this) {
        refused = new ArrayList<>(pending);
        pending.clear();
      }
      RegistryUnavailable failure = new RegistryUnavailable("the hub is stopping: the " + list + " is no longer changed", stopping);
      refused.forEach(p -> p.done().fail(failure));
    }
    return done.future();
  }

  /**
   * Puts back what this node had for an id before a change the cluster did not take (null: no
   * entry), so that its file says what the cluster says. No listener hears it: nothing changed.
   */
  public Future<Void> restore(String id, JsonObject previous) {
    return put(id, previous);
  }

  /** On the writer thread: every change given so far, in one write. */
  private void writePending() {
    List<Pending> batch;
    Map<String, JsonObject> next;
    synchronized (this) {
      batch = new ArrayList<>(pending);
      pending.clear();
      next = new LinkedHashMap<>(overlay);
    }
    List<Pending> changes = new ArrayList<>();
    for (Pending p : batch) {
      // A change that changes nothing (a cluster node mirroring its own change) costs no write.
      if (java.util.Objects.equals(p.entry(), next.get(p.id()))) {
        p.done().complete();
        continue;
      }
      if (p.entry() == null) next.remove(p.id());
      else next.put(p.id(), p.entry());
      changes.add(p);
    }
    if (changes.isEmpty()) return;
    try {
      file.write(next);
    } catch (IOException | RuntimeException e) {
      String reason = e instanceof IOException io ? RegistryFile.reason(io) : String.valueOf(e.getMessage());
      LOG.warning("cannot write registry file " + file.path() + ": " + reason + "; " + changes.size()
          + " change(s) refused, the file and the " + list + " are as before");
      RegistryUnavailable failure = new RegistryUnavailable("the " + list + " could not be saved (" + reason
          + "); nothing was changed", e);
      changes.forEach(p -> p.done().fail(failure));
      return;
    }
    synchronized (this) {
      for (Pending p : changes) {
        if (p.entry() == null) overlay.remove(p.id());
        else overlay.put(p.id(), p.entry());
      }
    }
    for (Pending p : changes) {
      if (p.entry() != null) listeners.forEach(l -> l.accept(p.id(), p.entry()));
      p.done().complete();
    }
  }

  @Override
  public void onChange(BiConsumer<String, JsonObject> listener) {
    listeners.add(listener);
  }

  /** Writes what was given before, then stops taking changes (a stopping hub). */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        LOG.warning("registry writer still busy after " + DRAIN_SECONDS + " s; changes not yet acknowledged may be lost");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
