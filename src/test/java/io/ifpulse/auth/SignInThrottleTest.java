package io.ifpulse.auth;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.auth.SignInThrottle.Decision;
import io.ifpulse.auth.SignInThrottle.Limits;
import io.ifpulse.testing.NameLookups;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class SignInThrottleTest {
  /** The hub's defaults: 5 at once then 10 a minute per source, 20 then 30 a minute per user. */
  private static final Limits SOURCE = new Limits(5, 10);
  private static final Limits USER = new Limits(20, 30);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private SignInThrottle throttle(Limits perSource, Limits perUser, int maxKeys) {
    return new SignInThrottle(perSource, perUser, maxKeys, nanos::get);
  }

  private void advanceSeconds(double s) {
    nanos.addAndGet((long) (s * 1e9));
  }

  /** Attempts allowed in a row before the first refusal (which is returned), all at one instant. */
  private static Decision refusalAfter(SignInThrottle t, String source, String user, int[] allowed) {
    for (int i = 0; i < 10_000; i++) {
      Decision d = t.acquire(source, user);
      if (!d.allowed()) return d;
      allowed[0]++;
    }
    throw new AssertionError("never refused");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      defaults: the source runs out first  | 5 | 10  | 20 | 30 | 5 | source | 6000
      fast refill per source               | 3 | 60  | 20 | 30 | 3 | source | 1000
      slow refill per source               | 1 | 0.5 | 20 | 30 | 1 | source | 120000
      the user runs out first              | 5 | 10  | 2  | 30 | 2 | user   | 2000
      """)
  void burstThenRefusal(String name, int sourceBurst, double sourcePerMinute, int userBurst, double userPerMinute,
      int expectedAllowed, String expectedLimitedBy, long expectedRetryMillis) {
    SignInThrottle t = throttle(new Limits(sourceBurst, sourcePerMinute), new Limits(userBurst, userPerMinute), 100);
    int[] allowed = {0};
    Decision d = refusalAfter(t, "192.0.2.1", "alice", allowed);
    assertEquals(expectedAllowed, allowed[0], name);
    assertEquals(expectedLimitedBy, d.limitedBy(), name);
    assertEquals(expectedRetryMillis, d.retryAfterMillis(), name);
    // The refusal is not a guess: asking again at once is refused the same way.
    assertEquals(d, t.acquire("192.0.2.1", "alice"), name);
  }

  /** After the burst is spent, waiting refills 10 a minute, never above the burst of 5. */
  @ParameterizedTest(name = "after {0} s: {1} allowed")
  @CsvSource(delimiter = '|', textBlock = """
      0   | 0 | 6000
      3   | 0 | 3000
      4.5 | 0 | 1500
      6   | 1 | 6000
      9   | 1 | 3000
      12  | 2 | 6000
      30  | 5 | 6000
      600 | 5 | 6000
      """)
  void refillOverTime(double waitSeconds, int expectedAllowed, long expectedRetryMillis) {
    SignInThrottle t = throttle(SOURCE, USER, 100);
    refusalAfter(t, "192.0.2.1", "alice", new int[1]);
    advanceSeconds(waitSeconds);
    int[] allowed = {0};
    Decision d = refusalAfter(t, "192.0.2.1", "alice", allowed);
    assertEquals(expectedAllowed, allowed[0]);
    assertEquals("source", d.limitedBy());
    assertEquals(expectedRetryMillis, d.retryAfterMillis());
  }

  @Test
  void aRightPasswordGivesItsTokensBack() {
    SignInThrottle t = throttle(SOURCE, USER, 100);
    for (int i = 0; i < 100; i++) {
      assertTrue(t.acquire("192.0.2.1", "alice").allowed(), "sign-in " + i);
      t.refund("192.0.2.1", "alice");
    }
    // Refunds never raise a bucket above its burst.
    t.refund("192.0.2.1", "alice");
    int[] allowed = {0};
    refusalAfter(t, "192.0.2.1", "alice", allowed);
    assertEquals(5, allowed[0]);
  }

  @Test
  void oneSourceDoesNotLockTheUserOutElsewhere() {
    SignInThrottle t = throttle(SOURCE, USER, 100);
    // An attacker guessing from one address for ten minutes, as fast as allowed.
    for (int s = 0; s < 600; s++) {
      t.acquire("203.0.113.66", "alice");
      advanceSeconds(1);
    }
    assertEquals("source", t.acquire("203.0.113.66", "alice").limitedBy());
    Decision own = t.acquire("192.0.2.10", "alice");
    assertTrue(own.allowed(), "alice from her own address: " + own);
  }

  @Test
  void manySourcesAgainstOneUserHitTheUserBucket() {
    SignInThrottle t = throttle(SOURCE, USER, 1000);
    for (int i = 0; i < 20; i++) assertTrue(t.acquire("198.51.100." + i, "alice").allowed(), "source " + i);
    Decision d = t.acquire("198.51.100.200", "alice");
    assertFalse(d.allowed());
    assertEquals("user", d.limitedBy());
    assertEquals(2000, d.retryAfterMillis());
    assertTrue(t.acquire("198.51.100.200", "bob").allowed(), "another user from that source");
  }

  @Test
  void refusedAttemptsDoNotPushAUsersBucketOut() {
    int maxKeys = 100;
    SignInThrottle t = throttle(SOURCE, USER, maxKeys);
    for (int i = 0; i < 20; i++) t.acquire("198.51.100." + i, "alice");
    assertEquals("user", t.acquire("198.51.100.200", "alice").limitedBy());
    // From one address whose own bucket is empty, a flood of made-up names is refused at once;
    // it must not also make the hub forget that alice is being guessed at.
    for (int i = 0; i < 5; i++) t.acquire("203.0.113.66", "x");
    for (int i = 0; i <= maxKeys; i++) assertEquals("source", t.acquire("203.0.113.66", "name-" + i).limitedBy());
    Decision d = t.acquire("198.51.100.201", "alice");
    assertEquals("user", d.limitedBy(), "alice's bucket after the flood: " + d);
  }

  /** One host holds a whole IPv6 /64: it is one source. IPv4 addresses are each their own. */
  @ParameterizedTest(name = "{0} then {1}: shared {2}")
  @CsvSource(delimiter = '|', textBlock = """
      2001:db8:1:2::1    | 2001:db8:1:2::2                         | true
      2001:db8:1:2::1    | 2001:db8:1:2:ffff:ffff:ffff:ffff        | true
      2001:db8:1:2::1    | 2001:DB8:1:2:0:0:0:77                   | true
      2001:db8:1:2::1    | 2001:db8:1:3::1                         | false
      2001:db8:1:2::1    | 2001:db9:1:2::1                         | false
      192.0.2.1          | 192.0.2.2                               | false
      192.0.2.1          | 192.0.2.1                               | true
      evil.example:80    | evil.example:81                         | false
      """)
  void sourcesSharingABucket(String first, String second, boolean shared) {
    SignInThrottle t = throttle(SOURCE, USER, 100);
    refusalAfter(t, first, "alice", new int[1]);
    Decision d = t.acquire(second, "bob");
    assertEquals(shared, !d.allowed(), second + " after " + first + " ran out: " + d);
    assertEquals(shared, SignInThrottle.sourceKey(first).equals(SignInThrottle.sourceKey(second)));
  }

  @Test
  void memoryStaysBoundedWhateverTheAttackerCycles() {
    int maxKeys = 1000;
    SignInThrottle t = throttle(SOURCE, USER, maxKeys);
    for (int i = 0; i < 100_000; i++) {
      t.acquire("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), "user-" + i);
      assertTrue(t.keys() <= 2 * maxKeys, "keys after " + i + ": " + t.keys());
    }
  }

  /** Prints sourceKey of each argument; run by {@link #sourceKeysNeverLookNamesUp} under a hosts file. */
  static final class SourceKeyProbe {
    public static void main(String[] args) {
      for (String a : args) System.out.println(a + " -> " + SignInThrottle.sourceKey(a));
    }
  }

  @Test
  void sourceKeysNeverLookNamesUp() throws Exception {
    // Text that is not an address is a key as it is; every one of these is answered by the probe's
    // hosts file, so a lookup would turn it into 2001:db8:99::/64.
    List<String> names = List.of("evil.example:80", "evil.example", ".dead:beef", ".1:2", "a.b:c");
    List<String> lines = NameLookups.run(SourceKeyProbe.class, names);
    assertEquals(names.stream().map(n -> n + " -> " + n).toList(), lines);
  }
}
