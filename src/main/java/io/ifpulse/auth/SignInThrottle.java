package io.ifpulse.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: a token bucket per source address and one per user name. A
 * sign-in attempt takes a token from both before its password is checked; a correct password
 * gives them back, so only failures count. While either bucket is empty the attempt is refused
 * at once, without a password check, so a flood costs no hashing.
 *
 * <p>The per-source bucket is the tight one: one address hammering a user gets a handful of
 * guesses and then a few a minute. The per-user bucket is looser, against guesses spread over
 * many addresses, and a single source cannot empty it alone (its own bucket refills slower), so
 * the real user signing in from elsewhere is not locked out by one attacker.
 *
 * <p>Both maps are bounded (least recently used first out): an attacker cycling through
 * addresses or names costs memory in proportion to the bound, not to the attack. IPv6 sources
 * are keyed by their /64, since one host holds a whole /64.
 *
 * <p>Thread-safe; the clock is injected so the arithmetic is table-tested.
 */
public final class SignInThrottle {
  /** A bucket of {@code burst} attempts refilled at {@code perMinute}. */
  public record Limits(int burst, double perMinute) {
    public Limits {
      if (burst < 1 || !(perMinute > 0)) throw new IllegalArgumentException("burst >= 1 and perMinute > 0");
    }
  }

  /** What {@link #acquire} decided. */
  public record Decision(boolean allowed, long retryAfterMillis, String limitedBy) {
    static final Decision ALLOWED = new Decision(true, 0, null);
  }

  private final Limits perSource;
  private final Limits perUser;
  private final LongSupplier nanos;
  private final Map<String, Bucket> sources;
  private final Map<String, Bucket> users;

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  public SignInThrottle(Limits perSource, Limits perUser, int maxKeys, LongSupplier nanos) {
    this.perSource = perSource;
    this.perUser = perUser;
    this.nanos = nanos;
    this.sources = lru(maxKeys);
    this.users = lru(maxKeys);
  }

  private static Map<String, Bucket> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > max;
      }
    };
  }

  /** Takes one attempt for this source and user name, or says how long until one is allowed. */
  public synchronized Decision acquire(String source, String user) {
    long now = nanos.getAsLong();
    Bucket s = refill(sources, sourceKey(source), perSource, now);
    // Refused for its source, an attempt must not touch the user map: a flood of made-up names
    // would push the attacked user's bucket out of it and reset that user's limit for free.
    if (s.tokens < 1) return new Decision(false, waitMillis(s, perSource), "source");
    Bucket u = refill(users, userKey(user), perUser, now);
    if (u.tokens < 1) return new Decision(false, waitMillis(u, perUser), "user");
    s.tokens -= 1;
    u.tokens -= 1;
    return Decision.ALLOWED;
  }

  /** Gives back the tokens of an attempt that turned out to be the right password. */
  public synchronized void refund(String source, String user) {
    Bucket s = sources.get(sourceKey(source));
    if (s != null) s.tokens = Math.min(perSource.burst(), s.tokens + 1);
    Bucket u = users.get(userKey(user));
    if (u != null) u.tokens = Math.min(perUser.burst(), u.tokens + 1);
  }

  /** Keys held now (for tests of the bound). */
  synchronized int keys() {
    return sources.size() + users.size();
  }

  private static Bucket refill(Map<String, Bucket> map, String key, Limits limits, long now) {
    Bucket b = map.get(key);
    if (b == null) {
      b = new Bucket(limits.burst(), now);
      map.put(key, b);
      return b;
    }
    double add = (now - b.at) / 60e9 * limits.perMinute();
    b.tokens = Math.min(limits.burst(), b.tokens + Math.max(0, add));
    b.at = now;
    return b;
  }

  private static long waitMillis(Bucket b, Limits limits) {
    return (long) Math.ceil((1 - b.tokens) / limits.perMinute() * 60_000);
  }

  private static String userKey(String user) {
    return user == null ? "" : user;
  }

  /** An IPv6 source by its first four groups (its /64); anything else as it is. */
  static String sourceKey(String address) {
    if (address == null) return "";
    if (address.indexOf(':') < 0 || !address.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}")) return address;
    try {
      // A literal (checked above): no name lookup.
      byte[] b = java.net.InetAddress.getByName(address).getAddress();
      if (b.length != 16) return address;
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i += 2) sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      return sb.append(":/64").toString();
    } catch (java.net.UnknownHostException e) {
      return address;
    }
  }
}
