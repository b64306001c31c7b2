package io.ifpulse.registry;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The node's copy of the overlay on disk: {@code {"devices": {id: entry | {"deleted":true}}}}.
 * Written whole, to a temporary file renamed over the old one, so a crash never leaves half a file;
 * readable by its owner only, since entries may carry communities.
 */
final class RegistryFile {
  private static final Logger LOG = Logger.getLogger(RegistryFile.class.getName());

  private final Path path;

  RegistryFile(Path path) {
    this.path = path;
  }

  Map<String, JsonObject> read() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    if (!Files.exists(path)) return out;
    try {
      JsonObject j = new JsonObject(Files.readString(path));
      JsonObject devices = j.getJsonObject("devices", new JsonObject());
      for (String id : devices.fieldNames()) out.put(id, devices.getJsonObject(id));
    } catch (IOException | RuntimeException e) {
      // A damaged file must not stop the hub: the config still describes the devices.
      LOG.warning("registry file " + path + " unreadable, ignoring it: " + e.getMessage());
    }
    return out;
  }

  synchronized void write(Map<String, JsonObject> overlay) {
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".devices", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on other file systems
      }
      JsonObject devices = new JsonObject();
      overlay.forEach(devices::put);
      Files.writeString(tmp, new JsonObject().put("devices", devices).encodePrettily());
      try {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warning("cannot write registry file " + path + ": " + e.getMessage());
    }
  }
}
