package io.ifpulse.auth;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.Secret;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The users and tokens of a hub, as kept in {@code web.auth.usersFile}:
 *
 * <pre>
 * {"users":  {"alice": {"role": "operator", "passwordHash": "$2a$12$...", "devices": ["cust-a-*"], "tags": []}},
 *  "tokens": {"prometheus": {"role": "viewer", "tokenHash": "sha256:...", "devices": []}}}
 * </pre>
 *
 * Only hashes are stored; the file is written whole, readable by its owner only. Every field is
 * validated the way the config is, with the same wording; hashes never appear in a message.
 */
public record UsersFile(Map<String, Entry> users, Map<String, Entry> tokens) {
  /** A user (hash: bcrypt) or a token (hash: sha256 of the token). */
  public record Entry(String name, Role role, String hash, DeviceScope scope) {
    @Override
    public String toString() {
      return name + " (" + role.word() + ", " + scope.describe() + ")";
    }
  }

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
  private static final Set<String> TOP_KEYS = Set.of("users", "tokens");
  private static final Set<String> USER_KEYS = Set.of("role", "passwordHash", "devices", "tags");
  private static final Set<String> TOKEN_KEYS = Set.of("role", "tokenHash", "devices", "tags");

  public UsersFile {
    users = Map.copyOf(users);
    tokens = Map.copyOf(tokens);
  }

  public static final UsersFile EMPTY = new UsersFile(Map.of(), Map.of());

  /** Reads and validates the file; a missing file is {@code null}. */
  public static UsersFile read(Path path) {
    if (!Files.exists(path)) return null;
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException("users file", path.toString(), "cannot be read (" + e.getMessage() + ")");
    }
    try {
      return parse(new JsonObject(text));
    } catch (DecodeException e) {
      throw new ConfigException("users file", path.toString(), "is not valid JSON");
    } catch (ConfigException e) {
      throw e.within("users file " + path);
    }
  }

  public static UsersFile parse(JsonObject j) {
    keys(j, TOP_KEYS, "");
    return new UsersFile(entries(j, "users", USER_KEYS, "passwordHash"), entries(j, "tokens", TOKEN_KEYS, "tokenHash"));
  }

  private static Map<String, Entry> entries(JsonObject j, String section, Set<String> known, String hashKey) {
    Object v = j.getValue(section);
    if (v == null) return Map.of();
    // The value is not shown: a misplaced section may hold hashes.
    if (!(v instanceof JsonObject o)) throw new ConfigException(section, "(not an object)", "must be an object of name → entry");
    Map<String, Entry> out = new LinkedHashMap<>();
    for (String name : o.fieldNames()) {
      String path = section + "." + name;
      if (!NAME.matcher(name).matches()) {
        throw new ConfigException(section, name, "is not a valid name: 1-64 letters, digits, '_', '.', '@' or '-'");
      }
      if (!(o.getValue(name) instanceof JsonObject e)) throw new ConfigException(path, "(not an object)", "must be an object");
      keys(e, known, path + ".");
      Role role = e.getValue("role") instanceof String r ? Role.parse(r) : null;
      if (role == null) throw new ConfigException(path + ".role", e.getValue("role"), "must be viewer or operator");
      Object hash = e.getValue(hashKey);
      boolean ok = hash instanceof String h && ("passwordHash".equals(hashKey) ? Passwords.isBcrypt(h) : Passwords.isTokenHash(h));
      if (!ok) {
        throw new ConfigException(path + "." + hashKey, hash == null ? null : new Secret(String.valueOf(hash)),
            "passwordHash".equals(hashKey) ? "must be a bcrypt hash of cost 10-20 (made by scripts/run.sh --add-user)"
                : "must be sha256:<64 hex digits> (made by scripts/run.sh --add-token)");
      }
      out.put(name, new Entry(name, role, (String) hash, scope(e, path)));
    }
    return out;
  }

  static DeviceScope scope(JsonObject e, String path) {
    return new DeviceScope(words(e.getValue("devices"), path + ".devices", DeviceScope.PATTERN, "device-id patterns like cust-a-*"),
        words(e.getValue("tags"), path + ".tags", DeviceScope.TAG, "tags (letters, digits, '_', '.', ':', '-')"));
  }

  private static List<String> words(Object v, String path, Pattern shape, String what) {
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw new ConfigException(path, v instanceof JsonObject ? "{...}" : v, "must be a list of " + what);
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s) || !shape.matcher(s).matches()) throw new ConfigException(path, o, "must be a list of " + what);
      out.add(s);
    }
    if (out.size() > 256) throw new ConfigException(path, "[...]", "must hold at most 256 entries");
    return out;
  }

  private static void keys(JsonObject j, Set<String> known, String prefix) {
    for (String k : j.fieldNames()) {
      if (!known.contains(k)) {
        throw new ConfigException(prefix + k, "(value)", "is not a known setting (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("users", section(users, "passwordHash")).put("tokens", section(tokens, "tokenHash"));
  }

  private static JsonObject section(Map<String, Entry> entries, String hashKey) {
    JsonObject o = new JsonObject();
    new TreeMap<>(entries).forEach((name, e) -> {
      JsonObject j = new JsonObject().put("role", e.role().word()).put(hashKey, e.hash());
      if (!e.scope().patterns().isEmpty()) j.put("devices", new JsonArray(e.scope().patterns()));
      if (!e.scope().tags().isEmpty()) j.put("tags", new JsonArray(e.scope().tags()));
      o.put(name, j);
    });
    return o;
  }

  public UsersFile withUser(Entry e) {
    Map<String, Entry> u = new LinkedHashMap<>(users);
    u.put(e.name(), e);
    return new UsersFile(u, tokens);
  }

  public UsersFile withToken(Entry e) {
    Map<String, Entry> t = new LinkedHashMap<>(tokens);
    t.put(e.name(), e);
    return new UsersFile(users, t);
  }

  public UsersFile withoutUser(String name) {
    Map<String, Entry> u = new LinkedHashMap<>(users);
    u.remove(name);
    return new UsersFile(u, tokens);
  }

  public UsersFile withoutToken(String name) {
    Map<String, Entry> t = new LinkedHashMap<>(tokens);
    t.remove(name);
    return new UsersFile(users, t);
  }

  /** Writes the whole file: a temporary file of mode 0600, flushed to disk, renamed over the old one. */
  public void write(Path path) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".users", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // other file systems: their own permissions apply
      }
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(toJson().encodePrettily().concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ch.force(true);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
