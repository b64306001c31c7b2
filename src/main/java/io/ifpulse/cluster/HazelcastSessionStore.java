package io.ifpulse.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The web sessions of a cluster, in the Hazelcast map {@value #MAP}, so a browser that fails over
 * to another web node stays signed in.
 *
 * <p>A session id is a bearer secret: whoever holds it is signed in. Hazelcast's open-source edition
 * lets any process that reaches the cluster port read its maps, so the map never holds an id: an
 * entry is keyed by SHA-256 of the id and its value is the session sealed with AES-GCM under a key
 * derived from the id. A member that reads the map learns neither ids nor who is signed in, and
 * cannot make an entry any browser would accept (it would need the id). It can still delete
 * entries, which signs people out: the cluster network is trusted against denial of service only.
 *
 * <p>Entries expire with the session's idle timeout (a Hazelcast TTL renewed by every write; the
 * session handler writes on each request, and the bridge for each open dashboard). Results complete
 * on the calling web verticle's context, never on a Hazelcast thread.
 */
public final class HazelcastSessionStore implements SessionStore {
  public static final String MAP = "ifpulse.sessions";
  private static final Logger LOG = Logger.getLogger(HazelcastSessionStore.class.getName());
  private static final int NONCE_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final IMap<String, byte[]> map;
  private Vertx vertx;
  private VertxContextPRNG random;

  public HazelcastSessionStore(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(MAP);
  }

  /** The store for a web Vert.x (its sessions' ids come from that Vert.x's random source). */
  public HazelcastSessionStore on(Vertx web) {
    return (HazelcastSessionStore) init(web, new JsonObject());
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    this.vertx = vertx;
    this.random = VertxContextPRNG.current(vertx);
    return this;
  }

  @Override
  public long retryTimeout() {
    return 0; // written before the answer that sets the cookie: no propagation delay to wait for
  }

  @Override
  public Session createSession(long timeout) {
    return new SharedDataSessionImpl(random, timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new SharedDataSessionImpl(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    Context ctx = vertx.getOrCreateContext();
    return Future.fromCompletionStage(map.getAsync(key(id)), ctx).map(sealed -> {
      if (sealed == null) return null;
      byte[] plain = open(id, sealed);
      if (plain == null) {
        LOG.warning("a session entry in " + MAP + " does not open with its id: ignored (written by something without the id)");
        return null;
      }
      SharedDataSessionImpl s = new SharedDataSessionImpl(random);
      s.readFromBuffer(0, Buffer.buffer(plain));
      if (!id.equals(s.id()) || System.currentTimeMillis() - s.lastAccessed() > s.timeout()) return null;
      return s;
    });
  }

  @Override
  public Future<Void> delete(String id) {
    return Future.fromCompletionStage(map.removeAsync(key(id)), vertx.getOrCreateContext()).mapEmpty();
  }

  @Override
  public Future<Void> put(Session session) {
    Buffer b = Buffer.buffer();
    ((SharedDataSessionImpl) session).writeToBuffer(b);
    byte[] sealed = seal(session.id(), b.getBytes());
    return Future.fromCompletionStage(map.setAsync(key(session.id()), sealed, session.timeout(), TimeUnit.MILLISECONDS),
        vertx.getOrCreateContext());
  }

  @Override
  public Future<Void> clear() {
    // Blocking calls without an async twin in Hazelcast; nothing in ifpulse calls them per request.
    return vertx.executeBlocking(() -> {
      map.clear();
      return null;
    });
  }

  @Override
  public Future<Integer> size() {
    return vertx.executeBlocking(map::size);
  }

  @Override
  public void close() {
    // The map belongs to the cluster; nothing of this node's to release.
  }

  // ---- sealing

  /** The map key of a session: a digest, so the id itself never reaches the cluster. */
  static String key(String id) {
    return HexFormat.of().formatHex(digest("ifpulse-session-key\0", id));
  }

  private static byte[] digest(String purpose, String id) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(purpose.getBytes(StandardCharsets.UTF_8));
      return d.digest(id.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Cipher cipher(int mode, String id, byte[] nonce) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(digest("ifpulse-session-seal\0", id), "AES"), new GCMParameterSpec(128, nonce));
    return c;
  }

  static byte[] seal(String id, byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, id, nonce).doFinal(plain);
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
      System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is in every JDK", e);
    }
  }

  /** The plain session, or null when the entry was not sealed with this id (or was changed). */
  static byte[] open(String id, byte[] sealed) {
    if (sealed.length <= NONCE_BYTES + 16) return null;
    try {
      return cipher(Cipher.DECRYPT_MODE, id, Arrays.copyOf(sealed, NONCE_BYTES))
          .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      return null;
    }
  }
}
