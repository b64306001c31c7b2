package io.ifpulse.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The notification receiver, the {@code "traps"} object of the config file (docs/TRAPS.md).
 *
 * <p>Off unless enabled, like anything else that listens: a hub that nobody told to expect traps
 * opens no UDP port. 1162 rather than 162 so that no root is needed; README.md says how to map 162
 * to it.
 *
 * @param host the address to bind (loopback by default, as for the web side: devices on a network
 *     need {@code 0.0.0.0} or the hub's address)
 * @param port the UDP port; 0 picks a free one (tests)
 * @param perSourcePerSecond datagrams a second accepted from one source address before the rest
 *     are dropped, unread, and counted
 * @param burst how many datagrams one source may send at once above that rate
 * @param maxSources source addresses whose rate is tracked at once; beyond, the least recently
 *     seen are forgotten (they start again with a full bucket)
 * @param maxVarbinds varbinds of one notification kept; the rest are cut, and it says so
 * @param maxValueBytes bytes of one value kept (DisplayString's 255 by default); longer ones are cut
 */
public record TrapsConfig(boolean enabled, String host, int port, double perSourcePerSecond, int burst, int maxSources,
    int maxVarbinds, int maxValueBytes) {

  public static final int DEFAULT_PORT = 1162;
  static final Set<String> KEYS = Set.of("enabled", "host", "port", "perSourcePerSecond", "burst", "maxSources", "maxVarbinds",
      "maxValueBytes");

  public static TrapsConfig defaults() {
    return new TrapsConfig(false, "127.0.0.1", DEFAULT_PORT, 100, 200, 10_000, 64, 255);
  }

  /** Parses the {@code "traps"} object; null or empty gives the defaults (off). */
  public static TrapsConfig fromJson(JsonObject json, String fieldPath) {
    TrapsConfig d = defaults();
    if (json == null || json.isEmpty()) return d;
    Fields f = Fields.of(json, fieldPath).known(KEYS);
    boolean enabled = f.bool("enabled", true); // a "traps" block is there to be used
    String host = f.string("host", d.host);
    if (!TrapSource.isIpLiteral(host)) throw f.error("host", "must be an IP address to bind (e.g. 0.0.0.0 or 127.0.0.1)");
    int port = f.integer("port", d.port, 0, 65535);
    double perSecond = f.number("perSourcePerSecond", d.perSourcePerSecond, 1, 1_000_000);
    int burst = f.integer("burst", d.burst, 1, 1_000_000);
    int maxSources = f.integer("maxSources", d.maxSources, 1, 1_000_000);
    int maxVarbinds = f.integer("maxVarbinds", d.maxVarbinds, 1, 1000);
    int maxValueBytes = f.integer("maxValueBytes", d.maxValueBytes, 16, 65_535);
    return new TrapsConfig(enabled, host, port, perSecond, burst, maxSources, maxVarbinds, maxValueBytes);
  }
}
