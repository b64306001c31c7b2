package io.ifpulse.cluster;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.cluster.ClusterRejections.Reason;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a node accepts from a shared map: only entries sealed under the cluster key, for the map
 * and key they were written to, and not older than what it already saw. Each forgery is one row;
 * every refusal must show up in {@link ClusterRejections} under its reason (that is what
 * /metrics reports to the operator).
 */
@Unit
class SignedMapTest {
  private static final String MAP = "ifpulse.registry";
  private static final ClusterKey KEY = ClusterKey.of("the-cluster-key-of-this-test-0123456789");
  private static final JsonObject VALUE = new JsonObject().put("id", "sw1").put("host", "10.0.0.1").put("credentials", "core-ro");

  private final ClusterRejections rejections = new ClusterRejections();

  private SignedMap writer() {
    return new SignedMap(MAP, KEY, () -> "member-a", rejections);
  }

  /** Another node's view of the same map: it has not seen anything yet. */
  private SignedMap reader() {
    return new SignedMap(MAP, KEY, () -> "member-b", rejections);
  }

  /** The sealed entry with one of its parts (by, n, mac, v) replaced, or left out when null. */
  private static String withField(String sealed, String field, Object value) {
    String[] p = SignedMap.parts(sealed);
    int i = List.of("by", "n", "mac", "v").indexOf(field);
    if (value == null) {
      List<String> kept = new java.util.ArrayList<>(List.of(p));
      kept.remove(i);
      return SignedMap.FORMAT + String.join(" ", kept);
    }
    p[i] = String.valueOf(value);
    return SignedMap.join(p[0], p[1], p[2], p[3]);
  }

  @Test
  void aSealedValueOpensAsWrittenWithItsWriterAndVersion() {
    String sealed = writer().seal("sw1", VALUE);
    SignedMap.Opened o = reader().open("sw1", sealed, true);
    assertNotNull(o);
    assertEquals(VALUE, o.value());
    assertEquals("member-a", o.by());
    assertEquals(Long.parseLong(SignedMap.parts(sealed)[1]), o.version());
    assertEquals(Map.of(), rejections.snapshot(), "nothing refused");
  }

  @Test
  void aMissingEntryIsNoEntryNotARefusal() {
    assertNull(reader().open("sw1", null, true));
    assertEquals(Map.of(), rejections.snapshot());
  }

  record Forgery(String name, Reason reason, Function<String, String> forge, String key, String map, ClusterKey clusterKey) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Forgery row(String name, Reason reason, Function<String, String> forge) {
    return new Forgery(name, reason, forge, "sw1", MAP, KEY);
  }

  static List<Forgery> forgeries() {
    String otherValue = new JsonObject().put("id", "sw1").put("host", "203.0.113.9").put("credentials", "core-ro").encode();
    return List.of(
        row("value changed", Reason.BAD_MAC, s -> withField(s, "v", otherValue)),
        row("writer changed", Reason.BAD_MAC, s -> withField(s, "by", "member-x")),
        row("version raised", Reason.BAD_MAC, s -> withField(s, "n", Long.parseLong(SignedMap.parts(s)[1]) + 1_000_000)),
        row("mac of other bytes", Reason.BAD_MAC, s -> withField(s, "mac", Base64.getEncoder().encodeToString(new byte[32]))),
        new Forgery("moved to another key", Reason.BAD_MAC, s -> s, "sw2", MAP, KEY),
        new Forgery("read from another map", Reason.BAD_MAC, s -> s, "sw1", "ifpulse.handover", KEY),
        new Forgery("another cluster key", Reason.BAD_MAC, s -> s, "sw1", MAP, ClusterKey.of("another-cluster-key-of-32-characters!")),
        row("value missing", Reason.MALFORMED, s -> withField(s, "v", null)),
        row("writer missing", Reason.MALFORMED, s -> withField(s, "by", null)),
        row("version missing", Reason.MALFORMED, s -> withField(s, "n", null)),
        row("mac missing", Reason.MALFORMED, s -> withField(s, "mac", null)),
        row("version not a number", Reason.MALFORMED, s -> withField(s, "n", "twelve")),
        row("writer with a space", Reason.MALFORMED, s -> withField(s, "by", "member a")),
        row("mac not base64", Reason.MALFORMED, s -> withField(s, "mac", "%%%not-base64%%%")),
        row("another format", Reason.MALFORMED, s -> "ifp0" + s.substring(4)),
        row("a JSON object", Reason.MALFORMED, s -> "{\"v\": \"{}\", \"by\": \"member-a\"}"),
        row("empty", Reason.MALFORMED, s -> ""),
        row("over 4 MiB", Reason.MALFORMED, s -> s + "x".repeat(4 << 20)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void aForgedOrDamagedEntryIsRefusedAndCountedByReason(Forgery f) {
    String forged = f.forge().apply(writer().seal("sw1", VALUE));
    SignedMap reader = new SignedMap(f.map(), f.clusterKey(), () -> "member-b", rejections);

    assertNull(reader.open(f.key(), forged, true), f.name());
    assertNull(reader.open(f.key(), forged, false), f.name() + ", also without the order check");

    assertEquals(Map.of(f.map() + "\0" + f.reason().label(), 2L), rejections.snapshot(), "counted under its map and reason only");
  }

  @Test
  void aValueThatIsNotAnObjectIsRefusedEvenWhenSealed() {
    // A node with the key writing garbage (a bug, another version): the MAC holds, the value does not.
    String v = "[1,2,3]";
    long n = SignedMap.nextVersion();
    String mac = Base64.getEncoder().encodeToString(KEY.mac("ifpulse-entry", MAP, "sw1", "member-a", Long.toString(n), v));
    String sealed = SignedMap.join("member-a", Long.toString(n), mac, v);
    assertNull(reader().open("sw1", sealed, false));
    assertEquals(1, rejections.get(MAP, Reason.MALFORMED));
  }

  @Test
  void anOlderEntryAfterANewerOneIsAReplay() {
    SignedMap w = writer();
    String older = w.seal("sw1", VALUE.copy().put("host", "10.0.0.1"));
    String newer = w.seal("sw1", VALUE.copy().put("host", "10.0.0.2"));
    SignedMap r = reader();

    assertNotNull(r.open("sw1", newer, true));
    assertNull(r.open("sw1", older, true), "an old entry written back over a newer one");
    assertEquals(1, rejections.get(MAP, Reason.REPLAY));

    // A plain read of what the map holds now is not a stream of changes: no order to check.
    SignedMap.Opened plain = r.open("sw1", older, false);
    assertNotNull(plain);
    assertEquals("10.0.0.1", plain.value().getString("host"));
    assertEquals(1, rejections.get(MAP, Reason.REPLAY), "not counted again");

    // Order is per key: another device's older entry is not compared with sw1's.
    String otherOld = w.seal("sw2", VALUE);
    String sw1Newest = w.seal("sw1", VALUE);
    assertNotNull(r.open("sw1", sw1Newest, true));
    assertNotNull(r.open("sw2", otherOld, true));
  }

  @Test
  void aNodesOwnWriteHeardBackIsNotAReplayButItsOlderOneIs() {
    // The map's listener hands a node its own writes too: the same version must pass.
    SignedMap w = writer();
    String first = w.seal("sw1", VALUE);
    String second = w.seal("sw1", VALUE.copy().put("port", 1161));
    assertNotNull(w.open("sw1", second, true));
    assertNotNull(w.open("sw1", second, true), "the same entry twice");
    assertNull(w.open("sw1", first, true), "its own older entry, after it wrote a newer one");
    assertEquals(1, rejections.get(MAP, Reason.REPLAY));
  }

  @Test
  void versionsStrictlyIncreaseAcrossMapsAndWriters() {
    SignedMap a = writer();
    SignedMap b = new SignedMap("ifpulse.handover", KEY, () -> "member-a", rejections);
    long last = Long.MIN_VALUE;
    for (int i = 0; i < 5_000; i++) {
      // Thousands within one millisecond: the clock alone would repeat.
      String sealed = (i % 2 == 0 ? a : b).seal("sw1", VALUE);
      long n = Long.parseLong(SignedMap.parts(sealed)[1]);
      assertTrue(n > last, "version " + n + " after " + last);
      last = n;
    }
    assertTrue(last >= System.currentTimeMillis() * 1000 - 60_000_000L, "microseconds of the wall clock: " + last);
  }
}
