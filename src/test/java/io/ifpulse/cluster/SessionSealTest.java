package io.ifpulse.cluster;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the cluster's session map holds: nothing a reader could use without the session's id. */
@Unit
class SessionSealTest {
  private static final String ID = "3f1c0a7d9b2e4f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718";
  private static final byte[] SESSION = "{\"username\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theKeyIsADigestAndTheValueShowsNeitherIdNorContent() {
    String key = HazelcastSessionStore.key(ID);
    assertNotEquals(ID, key);
    assertFalse(key.contains(ID.substring(0, 16)));
    String sealed = new String(HazelcastSessionStore.seal(ID, SESSION), StandardCharsets.ISO_8859_1);
    assertFalse(sealed.contains("alice"), "the user name is not readable");
    assertFalse(sealed.contains(ID.substring(0, 16)), "the id is not in the value");
  }

  @Test
  void onlyTheSameIdOpensItAndAChangedEntryOpensForNobody() {
    byte[] sealed = HazelcastSessionStore.seal(ID, SESSION);
    assertArrayEquals(SESSION, HazelcastSessionStore.open(ID, sealed));
    assertNull(HazelcastSessionStore.open(ID.replace('3', '4'), sealed), "another id");
    sealed[sealed.length - 1] ^= 1;
    assertNull(HazelcastSessionStore.open(ID, sealed), "a changed entry");
    assertNull(HazelcastSessionStore.open(ID, new byte[10]), "a short one");
  }

  @Test
  void eachSealIsFresh() {
    assertFalse(java.util.Arrays.equals(HazelcastSessionStore.seal(ID, SESSION), HazelcastSessionStore.seal(ID, SESSION)),
        "a new nonce each time: equal sessions do not look equal in the map");
    assertTrue(HazelcastSessionStore.key(ID).matches("[0-9a-f]{64}"));
  }
}
