package io.ifpulse.cluster;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a node's cluster key comes from, and each way an operator can get it wrong. A refusal
 * names the variable to fix and never shows the key. Whether two keys are the same is judged by
 * what matters: an entry sealed under one opens under the other.
 */
@Unit
class ClusterKeyTest {
  /** 32 characters: the shortest key accepted. */
  private static final String KEY = "k3y-of-exactly-thirty-two-chars!";

  @TempDir Path dir;

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return env;
  }

  /** Whether an entry sealed under {@code a} opens under {@code b}. */
  private static boolean sameKey(ClusterKey a, ClusterKey b) {
    ClusterRejections rejections = new ClusterRejections();
    String sealed = new SignedMap("m", a, () -> "w", rejections).seal("k", new JsonObject().put("x", 1));
    return new SignedMap("m", b, () -> "r", rejections).open("k", sealed, false) != null;
  }

  @Test
  void aKeyOfThirtyTwoCharactersFromTheVariableIsASecret() {
    ClusterKey k = ClusterKey.fromEnv(env(ClusterKey.ENV, KEY), false);
    assertTrue(k.secret());
    assertTrue(sameKey(k, ClusterKey.of(KEY)));
    assertFalse(sameKey(k, ClusterKey.of(KEY.replace('!', '?'))), "one character differs: another key");
    assertEquals("<secret>", k.toString(), "never printed");
  }

  @Test
  void aShortKeyIsRefusedNamingTheVariableWithoutEchoingTheKey() {
    String shortKey = KEY.substring(1); // 31
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterKey.fromEnv(env(ClusterKey.ENV, shortKey), false));
    assertEquals(ClusterKey.ENV, e.field());
    assertTrue(e.getMessage().contains("at least 32"), e.getMessage());
    assertFalse(e.getMessage().contains(shortKey), e.getMessage());
    assertFalse(e.getMessage().contains(shortKey.substring(0, 12)), "not even part of it: " + e.getMessage());
  }

  @Test
  void anEmptyVariableIsRefusedRatherThanTakenForNoKey() {
    // Set but empty (an unexpanded secret in a deployment): a mistake, not "derive one".
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterKey.fromEnv(env(ClusterKey.ENV, ""), true));
    assertEquals(ClusterKey.ENV, e.field());
  }

  @Test
  void theVariableAndTheFileTogetherAreRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), KEY);
    ConfigException e = assertThrows(ConfigException.class,
        () -> ClusterKey.fromEnv(env(ClusterKey.ENV, KEY, ClusterKey.FILE_ENV, file.toString()), false));
    assertTrue(e.getMessage().contains(ClusterKey.ENV) && e.getMessage().contains(ClusterKey.FILE_ENV), e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
  }

  @Test
  void anUnreadableFileIsRefusedNamingIt() {
    Path missing = dir.resolve("no-such-key-file");
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterKey.fromEnv(env(ClusterKey.FILE_ENV, missing.toString()), true));
    assertEquals(ClusterKey.FILE_ENV, e.field());
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("cannot be read"), e.getMessage());
  }

  @Test
  void aShortKeyInTheFileIsRefusedNamingTheFileVariable() throws Exception {
    String shortKey = "short-key-in-a-file";
    Path file = Files.writeString(dir.resolve("key"), shortKey + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterKey.fromEnv(env(ClusterKey.FILE_ENV, file.toString()), false));
    assertEquals(ClusterKey.FILE_ENV, e.field());
    assertFalse(e.getMessage().contains(shortKey), e.getMessage());
  }

  @Test
  void theFilesTrailingNewlineIsNotPartOfTheKey() throws Exception {
    // `openssl rand -base64 32 > key` and editors end the file with a newline; the variable has none.
    Path file = Files.writeString(dir.resolve("key"), KEY + "\n");
    ClusterKey fromFile = ClusterKey.fromEnv(env(ClusterKey.FILE_ENV, file.toString()), false);
    assertTrue(fromFile.secret());
    assertTrue(sameKey(fromFile, ClusterKey.fromEnv(env(ClusterKey.ENV, KEY), false)), "the same key as the variable without the newline");
  }

  @Test
  void noKeyBeyondLoopbackIsRefusedSayingHowToMakeOne() {
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterKey.fromEnv(env(), false));
    assertEquals(ClusterKey.ENV, e.field());
    String m = e.getMessage();
    assertTrue(m.contains("openssl rand") && m.contains(ClusterKey.FILE_ENV) && m.contains("32"), m);
  }

  @Test
  void noKeyOnLoopbackIsDerivedFromTheClusterNameAndSaysItIsNoSecret() {
    ClusterKey a = ClusterKey.fromEnv(env(), true);
    assertNotNull(a);
    assertFalse(a.secret());
    assertTrue(sameKey(a, ClusterKey.fromEnv(env("IFPULSE_CLUSTER_NAME", "ifpulse"), true)), "the default name is ifpulse");
    assertFalse(sameKey(a, ClusterKey.fromEnv(env("IFPULSE_CLUSTER_NAME", "other"), true)), "another cluster, another key");
    // A derived key is not the key of a variable that happens to hold the cluster name's text.
    assertFalse(sameKey(a, ClusterKey.of("ifpulse")));
  }

  @Test
  void aKeyThatFailsTheCheckOpensNothing() {
    ClusterRejections rejections = new ClusterRejections();
    String sealed = new SignedMap("m", ClusterKey.of(KEY), () -> "w", rejections).seal("k", new JsonObject());
    assertNull(new SignedMap("m", ClusterKey.fromEnv(env(), true), () -> "r", rejections).open("k", sealed, false));
    assertEquals(1, rejections.get("m", ClusterRejections.Reason.BAD_MAC));
  }
}
