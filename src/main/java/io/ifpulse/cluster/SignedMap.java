package io.ifpulse.cluster;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The entries of one shared map, written sealed and read checked. An entry is the text
 *
 * <pre>ifp1 &lt;writer's member id&gt; &lt;version&gt; &lt;base64 MAC&gt; &lt;the value, as JSON text&gt;</pre>
 *
 * where the MAC (HMAC-SHA-256 under the {@link ClusterKey}) covers the map's name, the entry's key,
 * the writer, the version and the value: an entry cannot be made without the key, moved to another
 * key or map, or altered. The version is the writer's clock in microseconds, kept strictly
 * increasing: of two entries of one key, the higher version is the newer change, so an old entry
 * written back over a newer one (a replay) is recognised and ignored.
 *
 * <p>Plain text rather than the value nested in a JSON envelope: the owner of a device saves its
 * hand-over state (about 27 KB for 50 interfaces) after every poll, and escaping it into a second
 * JSON string cost more than the MAC itself (SealCost: 114 us per save nested, 18 us for the MAC).
 *
 * <p>Whatever fails the check is ignored and counted ({@link ClusterRejections}); the value of a
 * refused entry is never used.
 */
public final class SignedMap {
  private static final AtomicLong LAST_VERSION = new AtomicLong();
  static final String FORMAT = "ifp1 ";
  private static final int MAX_CHARS = 4 << 20;
  private static final java.util.regex.Pattern WRITER = java.util.regex.Pattern.compile("[0-9A-Za-z-]{1,64}");
  private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[0-9]{1,18}");

  private final String map;
  private final ClusterKey key;
  private final Supplier<String> writer;
  private final ClusterRejections rejections;
  /** The newest version accepted per key: anything older is a replay. */
  private final Map<String, Long> newest = new ConcurrentHashMap<>();

  /** A value that passed the check, with who wrote it and when. */
  public record Opened(JsonObject value, String by, long version) {}

  /**
   * @param writer this node's member id (Hazelcast gives a new one after a rejoin: asked each time)
   */
  public SignedMap(String map, ClusterKey key, Supplier<String> writer, ClusterRejections rejections) {
    this.map = map;
    this.key = key;
    this.writer = writer;
    this.rejections = rejections;
  }

  public String name() {
    return map;
  }

  /** The sealed text of a value this node writes under {@code entryKey}. */
  public String seal(String entryKey, JsonObject value) {
    String v = value.encode();
    String by = writer.get();
    long n = nextVersion();
    newest.merge(entryKey, n, Math::max);
    return FORMAT + by + ' ' + n + ' ' + mac(entryKey, by, n, v) + ' ' + v;
  }

  /**
   * The value of an entry read from the map, or null when it is missing, malformed, not sealed
   * under the cluster key, or older than one already accepted for its key (each refusal counted).
   *
   * @param replayCheck false for a plain read of the current entry (the check of order applies to
   *     the stream of changes a listener sees)
   */
  public Opened open(String entryKey, String text, boolean replayCheck) {
    if (text == null) return null;
    if (text.length() > MAX_CHARS || !text.startsWith(FORMAT)) return refuse(ClusterRejections.Reason.MALFORMED);
    int a = FORMAT.length();
    int b = text.indexOf(' ', a);
    int c = b < 0 ? -1 : text.indexOf(' ', b + 1);
    int d = c < 0 ? -1 : text.indexOf(' ', c + 1);
    if (d < 0) return refuse(ClusterRejections.Reason.MALFORMED);
    String by = text.substring(a, b);
    String version = text.substring(b + 1, c);
    String mac = text.substring(c + 1, d);
    String v = text.substring(d + 1);
    if (!WRITER.matcher(by).matches() || !VERSION.matcher(version).matches()) return refuse(ClusterRejections.Reason.MALFORMED);
    long n = Long.parseLong(version);
    byte[] given;
    try {
      given = Base64.getDecoder().decode(mac);
    } catch (IllegalArgumentException bad) {
      return refuse(ClusterRejections.Reason.MALFORMED);
    }
    if (!MessageDigest.isEqual(given, key.mac("ifpulse-entry", map, entryKey, by, version, v))) {
      return refuse(ClusterRejections.Reason.BAD_MAC);
    }
    if (replayCheck) {
      Long seen = newest.get(entryKey);
      if (seen != null && n < seen) return refuse(ClusterRejections.Reason.REPLAY);
      newest.merge(entryKey, n, Math::max);
    }
    JsonObject value;
    try {
      value = new JsonObject(v);
    } catch (DecodeException | ClassCastException bad) {
      return refuse(ClusterRejections.Reason.MALFORMED);
    }
    return new Opened(value, by, n);
  }

  /** Forgets what was seen of a key (its entry was removed). */
  public void forget(String entryKey) {
    newest.remove(entryKey);
  }

  private Opened refuse(ClusterRejections.Reason reason) {
    rejections.count(map, reason);
    return null;
  }

  private String mac(String entryKey, String by, long n, String v) {
    return Base64.getEncoder().encodeToString(key.mac("ifpulse-entry", map, entryKey, by, Long.toString(n), v));
  }

  /** The parts of a sealed entry, for tests that forge one: writer, version, MAC, value. */
  static String[] parts(String sealed) {
    String rest = sealed.substring(FORMAT.length());
    return rest.split(" ", 4);
  }

  static String join(String by, String version, String mac, String value) {
    return FORMAT + by + ' ' + version + ' ' + mac + ' ' + value;
  }

  /** Microseconds of the wall clock, strictly increasing within this process. */
  static long nextVersion() {
    long now = System.currentTimeMillis() * 1000;
    return LAST_VERSION.updateAndGet(prev -> Math.max(prev + 1, now));
  }
}
