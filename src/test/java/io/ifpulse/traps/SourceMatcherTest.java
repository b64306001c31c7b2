package io.ifpulse.traps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which device a source is, or why none: by trapSource (port first), then host; v1's agent-addr last; never a guess. */
@Unit
class SourceMatcherTest {
  private static final List<DeviceConfig> DEVICES = ConfigLoader.parse(new JsonObject("""
      {"defaults": {"community": "public"}, "devices": [
        {"id": "solo", "host": "10.0.0.1"},
        {"id": "nat-a", "host": "10.0.0.2"},
        {"id": "nat-b", "host": "10.0.0.2"},
        {"id": "behind-1", "host": "10.0.0.3", "trapSource": "10.0.0.3:1001"},
        {"id": "behind-2", "host": "10.0.0.3", "trapSource": "10.0.0.3:1002"},
        {"id": "loop", "host": "127.0.0.1", "trapSource": "127.0.0.5"},
        {"id": "loop-port", "host": "127.0.0.1", "trapSource": "127.0.0.5:2000"},
        {"id": "twin-1", "host": "127.0.0.1", "trapSource": "127.0.0.6"},
        {"id": "twin-2", "host": "127.0.0.1", "trapSource": "127.0.0.6"},
        {"id": "named", "host": "switch.example"},
        {"id": "v6", "host": "::1", "trapSource": "[0:0:0:0:0:0:0:1]:3000"}
      ]}"""), Map.of()).devices();
  private static final SourceMatcher MATCHER = new SourceMatcher(DEVICES);

  private static String match(String ip, int port, String agentAddr) {
    SourceMatcher.Match m = MATCHER.match(ip, port, agentAddr);
    return m.outcome() == SourceMatcher.Outcome.MATCHED ? m.device().id() : m.outcome().name();
  }

  @Test
  void table() {
    assertEquals("solo", match("10.0.0.1", 5555, null), "its own host");
    assertEquals("AMBIGUOUS", match("10.0.0.2", 5555, null), "two devices polled at one address: never guessed");
    assertEquals("behind-1", match("10.0.0.3", 1001, null), "trapSource with its port");
    assertEquals("behind-2", match("10.0.0.3", 1002, null));
    assertEquals("UNKNOWN", match("10.0.0.3", 1003, null), "a device naming its trap source is not matched by host");
    assertEquals("loop", match("127.0.0.5", 40000, null), "trapSource without a port: any port");
    assertEquals("loop-port", match("127.0.0.5", 2000, null), "a port named beats one that is not");
    assertEquals("AMBIGUOUS", match("127.0.0.6", 1, null), "two devices naming one source");
    assertEquals("UNKNOWN", match("127.0.0.1", 1, null), "hosts named by trapSource elsewhere are not candidates");
    assertEquals("UNKNOWN", match("192.0.2.1", 1, null));
    assertEquals("solo", match("192.0.2.1", 1, "10.0.0.1"), "a v1 trap relayed: its agent-addr");
    assertEquals("UNKNOWN", match("192.0.2.1", 1, "0.0.0.0"), "agent-addr 0.0.0.0 names nobody");
    assertEquals("AMBIGUOUS", match("10.0.0.2", 1, "10.0.0.1"), "the source decides when it matches anything");
    assertEquals("v6", match("0:0:0:0:0:0:0:1", 3000, null), "IPv6, canonical text");
    assertEquals("UNKNOWN", match("switch.example", 1, null), "host names are never compared");
  }

  @Test
  void aHostNameMatchesByTheAddressItResolvedTo() {
    List<DeviceConfig> devices = ConfigLoader.parse(new JsonObject("""
        {"defaults": {"community": "public"}, "devices": [
          {"id": "named", "host": "switch.example"},
          {"id": "named-with-source", "host": "router.example", "trapSource": "10.9.9.9"},
          {"id": "literal", "host": "10.0.0.7"},
          {"id": "same-as-literal", "host": "alias.example"},
          {"id": "gone", "host": "gone.example"}
        ]}"""), Map.of()).devices();
    SourceMatcher m = new SourceMatcher(devices,
        Map.of("switch.example", "10.0.0.5", "router.example", "10.0.0.6", "alias.example", "10.0.0.7"));
    assertEquals("named", m.match("10.0.0.5", 1, null).device().id(), "the address its name resolved to");
    assertEquals(SourceMatcher.Outcome.UNKNOWN, m.match("10.0.0.6", 1, null).outcome(), "trapSource alone finds a device that names one");
    assertEquals("named-with-source", m.match("10.9.9.9", 1, null).device().id());
    assertEquals(SourceMatcher.Outcome.AMBIGUOUS, m.match("10.0.0.7", 1, null).outcome(),
        "a name resolving to another device's address: two candidates, never a guess");
    assertEquals(SourceMatcher.Outcome.UNKNOWN, m.match("10.0.0.8", 1, null).outcome(), "a name not resolved matches nothing");
    assertEquals("named", m.match("192.0.2.1", 1, "10.0.0.5").device().id(), "a v1 agent-addr, the same way");
  }
}
