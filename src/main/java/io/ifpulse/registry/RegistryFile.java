package io.ifpulse.registry;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The node's copy of an overlay on disk: {@code {"devices": {id: entry | {"deleted":true}}}} for
 * the device registry, {@code {"groups": {name: ...}}} for the groups (the top key says which, so
 * that one file given for the other is refused, not read as empty).
 *
 * <p>Written whole to a temporary file that is flushed to the disk, renamed over the old one, and
 * the directory flushed too: after {@link #write} returns, the change survives a crash or a power
 * cut, and at no moment is there half a file. Readable by its owner only, since entries may carry
 * communities of older versions.
 *
 * <p>A file that cannot be read as such an object is never ignored: it holds tombstones and
 * changes that the config file does not, and the next change would overwrite the only copy.
 * {@link #read} keeps a copy next to it ({@code devices.json.bak}) and throws {@link Corrupt}; the
 * hub stops and names both.
 */
public final class RegistryFile {
  private static final Logger LOG = Logger.getLogger(RegistryFile.class.getName());
  private static final String TMP_SUFFIX = ".tmp";
  /** How many numbered {@code .bak} names to try before giving up keeping another copy. */
  private static final int MAX_BACKUPS = 100;

  /** The registry file exists but is not a registry: the hub must not start over it. */
  public static final class Corrupt extends Exception {
    private final Path file;
    private final Path backup;

    Corrupt(Path file, Path backup, String problem, String kind) {
      super("registry file " + file + " is corrupt (" + problem + "); "
          + (backup == null ? "no copy could be kept" : "a copy is kept as " + backup)
          + ". Repair it, or move it away to start with the config's " + kind + " only (" + kind + " added, changed or removed"
          + " at run time are then forgotten).");
      this.file = file;
      this.backup = backup;
    }

    public Path file() {
      return file;
    }

    /** The copy of the bad file kept for the operator; null when none could be written. */
    public Path backup() {
      return backup;
    }
  }

  /** The top key of the device registry's file. */
  public static final String DEVICES = "devices";
  /** The top key of the groups' file. */
  public static final String GROUPS = "groups";

  private final Path path;
  private final String kind;

  public RegistryFile(Path path) {
    this(path, DEVICES);
  }

  /** @param kind the file's top key: {@link #DEVICES} or {@link #GROUPS} */
  public RegistryFile(Path path, String kind) {
    this.path = path.toAbsolutePath();
    this.kind = kind;
  }

  /** What the file holds: {@link #DEVICES} or {@link #GROUPS}. */
  public String kind() {
    return kind;
  }

  public Path path() {
    return path;
  }

  /** The overlay of the file; empty when there is no file yet. */
  Map<String, JsonObject> read() throws Corrupt {
    removeStaleTemporaries();
    Map<String, JsonObject> out = new LinkedHashMap<>();
    if (!Files.exists(path)) return out;
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new Corrupt(path, null, "unreadable: " + reason(e), kind);
    }
    String problem = problem(bytes, out, kind);
    if (problem != null) throw new Corrupt(path, keepCopy(bytes), problem, kind);
    return out;
  }

  /** Fills {@code out} from the file's bytes; the problem in words, or null when it is a registry. */
  static String problem(byte[] bytes, Map<String, JsonObject> out, String kind) {
    if (bytes.length == 0) return "empty";
    JsonObject j;
    try {
      j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      return "not a JSON object";
    }
    if (!(j.getValue(kind) instanceof JsonObject entries)) return "no \"" + kind + "\" object";
    for (String id : entries.fieldNames()) {
      if (!(entries.getValue(id) instanceof JsonObject entry)) return kind + "." + id + " is not an object";
      out.put(id, entry);
    }
    return null;
  }

  /**
   * The bad bytes next to the file, under the first free (or identical) name of
   * {@code <file>.bak}, {@code <file>.1.bak}, ...; null when none could be written.
   */
  private Path keepCopy(byte[] bytes) {
    for (int i = 0; i < MAX_BACKUPS; i++) {
      Path bak = path.resolveSibling(path.getFileName() + (i == 0 ? "" : "." + i) + ".bak");
      try {
        if (Files.exists(bak)) {
          // The same bad file at a second start: one copy is enough.
          if (Arrays.equals(Files.readAllBytes(bak), bytes)) return bak;
          continue;
        }
        writeDurably(bak, bytes);
        return bak;
      } catch (IOException e) {
        LOG.warning("cannot keep a copy of the corrupt registry file as " + bak + ": " + reason(e));
        return null;
      }
    }
    return null;
  }

  /**
   * Replaces the file with this overlay, durably; on failure the old file is left as it was.
   *
   * @throws IOException the disk is full, read-only, or the directory is gone
   */
  synchronized void write(Map<String, JsonObject> overlay) throws IOException {
    JsonObject entries = new JsonObject();
    overlay.forEach(entries::put);
    writeDurably(path, new JsonObject().put(kind, entries).encodePrettily().getBytes(StandardCharsets.UTF_8));
  }

  private static void writeDurably(Path target, byte[] bytes) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, tmpPrefix(target), TMP_SUFFIX);
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on other file systems
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        // A FileChannel write may be short; bounded, since every round writes at least one byte or throws.
        while (buf.hasRemaining()) ch.write(buf);
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the temporary is removed at the next start
      }
      throw e;
    }
    forceDirectory(dir);
  }

  /** ".devices.json." for devices.json: hidden, and tied to the one file it replaces. */
  private static String tmpPrefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  /** The rename is durable only once the directory's entry is on the disk too. */
  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some systems cannot open a directory; Linux can, and there a failure is a real one.
      if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) throw e;
    }
  }

  /** Temporaries of a writer that was killed mid-write: never read, only in the way. */
  private void removeStaleTemporaries() {
    Path dir = path.getParent();
    if (dir == null || !Files.isDirectory(dir)) return;
    // Only this file's own: another node may keep its file in the same directory and be writing now.
    String prefix = tmpPrefix(path);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      int seen = 0;
      for (Path t : entries) {
        if (seen++ >= 10_000) break; // bounded: a huge directory is cleaned over several starts
        String name = t.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(TMP_SUFFIX)) Files.deleteIfExists(t);
      }
    } catch (IOException e) {
      LOG.fine("cannot clean temporaries in " + dir + ": " + e.getMessage());
    }
  }

  /**
   * An I/O failure in words, without paths (the REST answer carries it): "No space left on
   * device", "Read-only file system", or the kind of failure when the system gave no words.
   */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fs) return fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
