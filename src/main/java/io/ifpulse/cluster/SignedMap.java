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
 * The entries of one shared map, written sealed and read checked. An entry is the JSON text
 *
 * <pre>{"v": "&lt;the value, as JSON text&gt;", "by": "&lt;writer's member id&gt;", "n": &lt;version&gt;, "mac": "&lt;base64&gt;"}</pre>
 *
 * where the MAC (HMAC-SHA-256 under the {@link ClusterKey}) covers the map's name, the entry's key,
 * the writer, the version and the value: an entry cannot be made without the key, moved to another
 * key or map, or altered. The version is the writer's clock in microseconds, kept strictly
 * increasing: of two entries of one key, the higher version is the newer change, so an old entry
 * written back over a newer one (a replay) is recognised and ignored.
 *
 * <p>Whatever fails the check is ignored and counted ({@link ClusterRejections}); the value of a
 * refused entry is never used.
 */
public final class SignedMap {
  private static final AtomicLong LAST_VERSION = new AtomicLong();

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
    return new JsonObject().put("v", v).put("by", by).put("n", n).put("mac", mac(entryKey, by, n, v)).encode();
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
    JsonObject e;
    try {
      e = new JsonObject(text);
    } catch (DecodeException | ClassCastException bad) {
      return refuse(ClusterRejections.Reason.MALFORMED);
    }
    if (!(e.getValue("v") instanceof String v) || !(e.getValue("by") instanceof String by) || !(e.getValue("n") instanceof Number num)
        || !(e.getValue("mac") instanceof String mac) || text.length() > 4 << 20) {
      return refuse(ClusterRejections.Reason.MALFORMED);
    }
    long n = num.longValue();
    byte[] given;
    try {
      given = Base64.getDecoder().decode(mac);
    } catch (IllegalArgumentException bad) {
      return refuse(ClusterRejections.Reason.MALFORMED);
    }
    if (!MessageDigest.isEqual(given, key.mac("ifpulse-entry", map, entryKey, by, Long.toString(n), v))) {
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

  /** Microseconds of the wall clock, strictly increasing within this process. */
  static long nextVersion() {
    long now = System.currentTimeMillis() * 1000;
    return LAST_VERSION.updateAndGet(prev -> Math.max(prev + 1, now));
  }
}
