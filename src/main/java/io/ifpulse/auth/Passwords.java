package io.ifpulse.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Password and token hashing. Passwords are bcrypt hashes (Spring Security's implementation):
 * salted and slow on purpose, the cost in the hash itself. Tokens are 256 random bits, so a
 * single SHA-256 is enough to store them: no guessing can walk that space, and a scrape of
 * /metrics every few seconds must not cost a bcrypt each.
 *
 * <p>Checking a password costs tens to hundreds of milliseconds of CPU: never on an event loop.
 */
public final class Passwords {
  /** Work factor for new password hashes: 2^12 rounds, about 0.2-0.3 s here. */
  public static final int COST = 12;
  public static final int MIN_LENGTH = 10;
  /** bcrypt reads at most 72 bytes; a longer password would be silently cut. */
  public static final int MAX_BYTES = 72;
  static final String TOKEN_PREFIX = "ifp_";
  static final String TOKEN_HASH_PREFIX = "sha256:";
  private static final SecureRandom RANDOM = new SecureRandom();
  // Compared against when the user does not exist, so a wrong name takes as long as a wrong password.
  private static volatile String dummy;

  private Passwords() {}

  /** Why a new password is not acceptable, or null. */
  public static String problem(String password) {
    if (password == null || password.length() < MIN_LENGTH) return "must be at least " + MIN_LENGTH + " characters";
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) return "must be at most " + MAX_BYTES + " bytes (bcrypt's limit)";
    return null;
  }

  public static String hash(String password, int cost) {
    String p = problem(password);
    if (p != null) throw new IllegalArgumentException("password " + p);
    return BCrypt.hashpw(password, BCrypt.gensalt(cost, RANDOM));
  }

  /** True when {@code password} is the one {@code hash} was made from. Constant work for a null hash. */
  public static boolean check(String password, String hash) {
    if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) password = "";
    try {
      if (hash == null) {
        BCrypt.checkpw(password, dummyHash());
        return false;
      }
      return BCrypt.checkpw(password, hash);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private static String dummyHash() {
    String d = dummy;
    if (d == null) dummy = d = BCrypt.hashpw("not a password of anyone", BCrypt.gensalt(COST, RANDOM));
    return d;
  }

  /** Whether a stored password hash looks like bcrypt with a cost we accept. */
  static boolean isBcrypt(String hash) {
    if (hash == null || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) return false;
    int cost = Integer.parseInt(hash.substring(4, 6));
    return cost >= 10 && cost <= 20;
  }

  /** A new bearer token: shown once to the operator, stored only as {@link #tokenHash}. */
  public static String newToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String tokenHash(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return TOKEN_HASH_PREFIX + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static boolean isTokenHash(String hash) {
    return hash != null && hash.matches("sha256:[0-9a-f]{64}");
  }

  /** A bearer value shaped like our tokens; anything else is refused before hashing. */
  static boolean looksLikeToken(String value) {
    return value != null && value.length() == TOKEN_PREFIX.length() + 43 && value.startsWith(TOKEN_PREFIX);
  }
}
