package io.ifpulse.auth;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.HubConfig;
import io.ifpulse.config.WebConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The accounts a hub knows now, from its users file, re-read when the file changes (so
 * {@code --add-user} on a running hub takes effect within seconds, and a removed user loses access
 * at their next request).
 *
 * <p>Whether the hub asks anyone at all: with {@code open} allowed (bound to loopback, or the
 * operator's explicit {@code web.auth.mode: none}) and no users file, every request is {@link
 * Account#OPEN}. Once a file exists, it is enforced; a file that disappears later does not open
 * the hub again unless open was allowed in the first place.
 *
 * <p>{@link #reload} and {@link #signIn} touch the disk or hash a password: call them off the event
 * loop. Lookups by name and by token are plain map reads, safe anywhere.
 */
public final class Accounts {
  private static final Logger LOG = Logger.getLogger(Accounts.class.getName());

  private final Path file;
  private final boolean openWithoutFile;
  private final boolean authDisabled;
  private volatile Table table;
  private Object stamp;
  private boolean loaded;

  private record Table(boolean enforced, Map<String, UsersFile.Entry> users, Map<String, UsersFile.Entry> tokensByHash) {}

  /**
   * @param file the users file (may not exist)
   * @param openWithoutFile whether a missing file means an open hub (loopback)
   * @param authDisabled the operator turned sign-in off: always open
   */
  public Accounts(Path file, boolean openWithoutFile, boolean authDisabled) {
    this.file = file;
    this.openWithoutFile = openWithoutFile;
    this.authDisabled = authDisabled;
    this.table = new Table(!authDisabled && !openWithoutFile, Map.of(), Map.of());
  }

  /**
   * The accounts of a hub's web side, checked before anything starts: a hub that would listen
   * beyond loopback with nobody to sign in refuses to start, unless the operator said that
   * something else protects it ({@code web.auth.mode: none}). A users file that exists must be valid.
   */
  public static Accounts forConfig(WebConfig web) {
    Path file = HubConfig.localPath(web.auth().usersFile());
    boolean disabled = web.auth().mode() == WebConfig.AuthConfig.Mode.NONE;
    if (disabled) return new Accounts(file, true, true);
    boolean exists = Files.exists(file);
    if (!exists && !web.loopback()) {
      throw new ConfigException("web.host", web.host(), "the dashboard would be open to the network: there is no users file ("
          + file + "). Add a user with scripts/run.sh --add-user NAME --role operator, or set web.auth.mode to \"none\" if"
          + " something else (a proxy with its own sign-in) protects the hub");
    }
    if (exists) UsersFile.read(file); // a broken file stops the start, naming file, field and value
    return new Accounts(file, web.loopback(), false);
  }

  /** Whether sign-in was turned off by the operator ({@code web.auth.mode: none}). */
  public boolean disabled() {
    return authDisabled;
  }

  public Path file() {
    return file;
  }

  /** True while every request is {@link Account#OPEN}. */
  public boolean open() {
    return !table.enforced();
  }

  /** The signed-in user of this name as the file says now, or null (removed since). */
  public Account user(String name) {
    UsersFile.Entry e = name == null ? null : table.users().get(name);
    return e == null ? null : new Account(e.name(), Account.Kind.USER, e.role(), e.scope());
  }

  /**
   * A short fingerprint of the user's password hash, kept in their session: a new password (or a
   * user removed and added again) changes it, and the old sessions end. "" for no such user.
   */
  public String stamp(String name) {
    UsersFile.Entry e = name == null ? null : table.users().get(name);
    if (e == null) return "";
    return Passwords.tokenHash(e.hash()).substring(7, 23);
  }

  /** The token of this name as the file says now, or null (revoked since). */
  public Account token(String name) {
    for (UsersFile.Entry e : table.tokensByHash().values()) {
      if (e.name().equals(name)) return new Account(e.name(), Account.Kind.TOKEN, e.role(), e.scope());
    }
    return null;
  }

  /** The account of a bearer token, or null. */
  public Account bearer(String token) {
    if (!Passwords.looksLikeToken(token)) return null;
    UsersFile.Entry e = table.tokensByHash().get(Passwords.tokenHash(token));
    return e == null ? null : new Account(e.name(), Account.Kind.TOKEN, e.role(), e.scope());
  }

  /** Checks a password (a bcrypt: blocking); the account, or null for a wrong name or password. */
  public Account signIn(String name, String password) {
    UsersFile.Entry e = name == null ? null : table.users().get(name);
    boolean ok = Passwords.check(password, e == null ? null : e.hash());
    return ok && e != null ? user(name) : null;
  }

  /**
   * Reads the file when it changed since the last read (blocking). A broken file keeps the
   * accounts of the last good one and says why; it never opens the hub.
   *
   * @return true when the accounts changed
   */
  public synchronized boolean reload() {
    if (authDisabled) return false;
    Object now = stampOf(file);
    if (stamp != null && stamp.equals(now)) return false;
    stamp = now;
    UsersFile f;
    try {
      f = UsersFile.read(file);
    } catch (ConfigException e) {
      LOG.warning(e.getMessage() + "; keeping the accounts read before");
      return false;
    }
    boolean reloading = loaded; // false on the first read, at start: nothing "changed" then
    loaded = true;
    boolean wasOpen = open() && reloading;
    if (f == null) {
      table = new Table(!openWithoutFile, Map.of(), Map.of());
      if (!reloading) return true;
      if (!wasOpen && openWithoutFile) LOG.warning("users file " + file + " is gone: the dashboard and API are open again on loopback");
      else if (!openWithoutFile) LOG.warning("users file " + file + " is missing: nobody can sign in");
      return true;
    }
    Map<String, UsersFile.Entry> byHash = new HashMap<>();
    f.tokens().values().forEach(t -> byHash.put(t.hash(), t));
    table = new Table(true, Map.copyOf(f.users()), Map.copyOf(byHash));
    LOG.info("users file " + file + ": " + f.users().size() + " users, " + f.tokens().size() + " tokens"
        + (wasOpen ? "; sign-in is required from now on" : ""));
    return true;
  }

  private static Object stampOf(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
    } catch (IOException missing) {
      return "missing";
    }
  }
}
