package io.ifpulse.cluster;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every node of a cluster shares, and that nothing else has: each entry a node writes
 * to a shared map carries an HMAC-SHA-256 under it ({@link SignedMap}). Hazelcast's open-source
 * edition lets any process that reaches the cluster port join as a member and write to every map;
 * with the key, what it writes is ignored.
 *
 * <p>From {@code IFPULSE_CLUSTER_KEY} (at least 32 characters, e.g. {@code openssl rand -base64 32})
 * or the file {@code IFPULSE_CLUSTER_KEY_FILE} names. Required for a cluster on anything but
 * loopback; on loopback alone (one machine, tests, the demo) a missing key is derived from the
 * cluster name, which protects nothing and is said so in the log.
 */
public final class ClusterKey {
  public static final String ENV = "IFPULSE_CLUSTER_KEY";
  public static final String FILE_ENV = "IFPULSE_CLUSTER_KEY_FILE";
  static final int MIN_LENGTH = 32;

  private final byte[] key;
  private final boolean secret;

  private ClusterKey(byte[] key, boolean secret) {
    this.key = key;
    this.secret = secret;
  }

  /**
   * The key of this node, checked before anything starts.
   *
   * @param loopbackOnly whether the cluster interface is a loopback address
   */
  public static ClusterKey fromEnv(Map<String, String> env, boolean loopbackOnly) {
    String text = env.get(ENV);
    String file = env.get(FILE_ENV);
    if (text != null && file != null) {
      throw new ConfigException(FILE_ENV, file, "is set together with " + ENV + ": give the key one way");
    }
    if (file != null) {
      try {
        text = Files.readString(Path.of(file)).trim();
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(FILE_ENV, file, "cannot be read (" + e.getMessage() + ")");
      }
    }
    if (text == null) {
      if (!loopbackOnly) {
        throw new ConfigException(ENV, null, "is required for a cluster beyond loopback: every node needs the same secret of at least "
            + MIN_LENGTH + " characters (e.g. openssl rand -base64 32), in " + ENV + " or a file named by " + FILE_ENV);
      }
      String name = env.getOrDefault("IFPULSE_CLUSTER_NAME", "ifpulse");
      return new ClusterKey(derive("ifpulse-cluster-name\0" + name), false);
    }
    if (text.length() < MIN_LENGTH) {
      throw new ConfigException(file != null ? FILE_ENV : ENV, new Secret(text), "must hold at least " + MIN_LENGTH + " characters");
    }
    return new ClusterKey(derive("ifpulse-cluster-key\0" + text), true);
  }

  /** For tests: a key from this text as if it were the variable. */
  static ClusterKey of(String text) {
    return new ClusterKey(derive("ifpulse-cluster-key\0" + text), true);
  }

  /** False when derived from the cluster name (loopback without a key): signatures prove nothing. */
  public boolean secret() {
    return secret;
  }

  private static byte[] derive(String material) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** HMAC-SHA-256 of the parts, each followed by a zero byte (so parts cannot slide into each other). */
  byte[] mac(String... parts) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      for (String p : parts) {
        m.update(p.getBytes(StandardCharsets.UTF_8));
        m.update((byte) 0);
      }
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "<secret>";
  }
}
