package io.ifpulse.auth;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class PasswordsTest {
  /** Cost 10, the least the users file accepts: a check takes tens of milliseconds. */
  private static final int COST = 10;
  /** 72 bytes: all bcrypt reads. */
  private static final String LONGEST = "p".repeat(72);
  private static final String HASH = Passwords.hash("correct horse battery", COST);
  private static final String LONGEST_HASH = Passwords.hash(LONGEST, COST);

  /** Columns: password (unit × times), which hash it is checked against, expected. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      right password                  | correct horse battery | 1  | good     | true
      wrong password                  | correct horse batterY | 1  | good     | false
      right password, a space more    | correct horse battery | 1  | good+sp  | false
      empty password                  | ''                    | 1  | good     | false
      longest password                | p                     | 72 | longest  | true
      one byte past bcrypt's limit    | p                     | 73 | longest  | false
      a hash that is not bcrypt       | correct horse battery | 1  | sha256   | false
      a cut bcrypt hash               | correct horse battery | 1  | cut      | false
      an empty hash                   | correct horse battery | 1  | empty    | false
      """)
  void check(String name, String unit, int times, String against, boolean expected) {
    String password = unit.repeat(times) + ("good+sp".equals(against) ? " " : "");
    String hash = switch (against) {
      case "good", "good+sp" -> HASH;
      case "longest" -> LONGEST_HASH;
      case "sha256" -> UsersFileTest.TOKEN_HASH;
      case "cut" -> HASH.substring(0, 20);
      case "empty" -> "";
      default -> throw new IllegalArgumentException(against);
    };
    assertEquals(expected, Passwords.check(password, hash), name);
  }

  @Test
  void noPasswordAndNoUserAreFalse() {
    assertFalse(Passwords.check(null, HASH));
    assertFalse(Passwords.check("correct horse battery", null));
  }

  /** Columns: password (unit × times), the problem (empty: none). bcrypt's limit is in bytes. */
  @ParameterizedTest(name = "{0} x {1}")
  @CsvSource(delimiter = '|', textBlock = """
      p  | 9  | must be at least 10 characters
      p  | 10 |
      p  | 72 |
      p  | 73 | must be at most 72 bytes (bcrypt's limit)
      \u00e9  | 36 |
      \u00e9  | 37 | must be at most 72 bytes (bcrypt's limit)
      \uD83D\uDE00 | 18 |
      \uD83D\uDE00 | 19 | must be at most 72 bytes (bcrypt's limit)
      """)
  void problem(String unit, int times, String expected) {
    assertEquals(expected, Passwords.problem(unit.repeat(times)));
  }

  @Test
  void problemOfNoPassword() {
    assertEquals("must be at least 10 characters", Passwords.problem(null));
  }

  @Test
  void hashRefusesWhatProblemRefusesAndIsSalted() {
    assertThrows(IllegalArgumentException.class, () -> Passwords.hash("p".repeat(73), COST));
    assertThrows(IllegalArgumentException.class, () -> Passwords.hash("short", COST));
    assertTrue(HASH.startsWith("$2a$10$"), HASH);
    assertTrue(Passwords.isBcrypt(HASH));
    assertNotEquals(HASH, Passwords.hash("correct horse battery", COST), "each hash has its own salt");
  }

  @Test
  void newTokenLooksLikeATokenAndIsNewEachTime() {
    String token = Passwords.newToken();
    assertTrue(token.matches("ifp_[A-Za-z0-9_-]{43}"), token);
    assertTrue(Passwords.looksLikeToken(token));
    assertNotEquals(token, Passwords.newToken());
  }

  @Test
  void tokenHashIsStableSha256() {
    String token = Passwords.newToken();
    assertEquals(Passwords.tokenHash(token), Passwords.tokenHash(token));
    assertTrue(Passwords.isTokenHash(Passwords.tokenHash(token)));
    assertFalse(Passwords.tokenHash(token).contains(token.substring(4)));
    assertEquals(UsersFileTest.TOKEN_HASH, Passwords.tokenHash("abc"));
  }

  /** Columns: prefix, how many characters follow it, expected. */
  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      ifp_ | 43 | true
      ifp_ | 42 | false
      ifp_ | 44 | false
      xyz_ | 43 | false
      ''   | 0  | false
      """)
  void looksLikeToken(String prefix, int length, boolean expected) {
    assertEquals(expected, Passwords.looksLikeToken(prefix + "a".repeat(length)));
  }
}
