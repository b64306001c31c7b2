package io.ifpulse.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What signing a shared-map entry costs per sample: the owner of a device saves its hand-over state
 * after every poll, sealed ({@link SignedMap#seal}: the JSON text plus HMAC-SHA-256 under the
 * cluster key). Measures, on a state of the size a 50-interface device saves, the encoding alone
 * (what an unsigned save cost) and the sealed save, each best of several rounds.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.ifpulse.cluster.SealCost [interfaces]</pre>
 */
public final class SealCost {
  private SealCost() {}

  public static void main(String[] args) {
    int interfaces = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    JsonObject state = state(interfaces);
    SignedMap signed = new SignedMap("ifpulse.handover", ClusterKey.of("seal-cost-key-0123456789-abcdefghijkl"),
        () -> "4f9c7a52-1b6e-4a8e-9d43-2c7e5f0a8b11", new ClusterRejections());
    int n = 20_000;
    long sink = 0;
    double encodeUs = Double.MAX_VALUE;
    double sealUs = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) sink += state.encode().length();
      encodeUs = Math.min(encodeUs, (System.nanoTime() - t0) / 1e3 / n);
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) sink += signed.seal("dev-" + (i & 63), state).length();
      sealUs = Math.min(sealUs, (System.nanoTime() - t0) / 1e3 / n);
    }
    System.out.printf("hand-over state of %d interfaces: %d bytes; encode %.1f us, sealed save %.1f us, signing adds %.1f us per save (%d)%n",
        interfaces, state.encode().length(), encodeUs, sealUs, sealUs - encodeUs, sink % 7);
  }

  /** A state shaped like HandoverState.toJson for a device of this many interfaces. */
  static JsonObject state(int interfaces) {
    JsonArray ifs = new JsonArray();
    JsonObject anchors = new JsonObject();
    for (int k = 1; k <= interfaces; k++) {
      ifs.add(new JsonObject().put("ifIndex", k).put("name", "Gi1/0/" + k).put("descr", "GigabitEthernet1/0/" + k).put("alias", "uplink " + k)
          .put("type", 6).put("speedBps", 1_000_000_000L).put("admin", "up").put("oper", "up").put("hc", true).put("disc", true).put("ifx", true));
      JsonArray values = new JsonArray();
      JsonArray widths = new JsonArray();
      for (int c = 0; c < 14; c++) {
        values.add(Long.toUnsignedString(123_456_789_012L * (c + 1) + k));
        widths.add(c < 6 ? 64 : 32);
      }
      anchors.put(String.valueOf(k), new JsonObject().put("values", values).put("widths", widths).put("epochMs", 1.7956772579123E12)
          .put("sysUpTime", 987_654_321L).put("discontinuity", 0L).put("speedBps", 1_000_000_000L));
    }
    return new JsonObject().put("seq", 12345).put("endpoint", "10.0.0.1:161").put("savedAt", 1_795_677_257_912L).put("interfaces", ifs)
        .put("anchors", anchors);
  }
}
