package io.ifpulse.config;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class InterfaceFilterTest {

  /** filter JSON | name | alias | descr | ifType | admin | oper | polled? */
  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                          | eth0       | ''          | x | 6   | up   | up   | true
      {"includeName":"^Gi"}                       | Gi1/0/1    | ''          | x | 6   | up   | up   | true
      {"includeName":"^Gi"}                       | Te1/0/1    | ''          | x | 6   | up   | up   | false
      {"includeName":["^Gi","^Te"]}               | Te1/0/1    | ''          | x | 6   | up   | up   | true
      {"excludeName":"^lo$"}                      | lo         | ''          | x | 24  | up   | up   | false
      {"includeAlias":"uplink"}                   | eth1       | uplink core | x | 6   | up   | up   | true
      {"includeAlias":"uplink"}                   | eth1       | ''          | x | 6   | up   | up   | false
      {"excludeAlias":"unused"}                   | eth2       | unused port | x | 6   | up   | up   | false
      {"includeDescr":"Ethernet"}                 | e0         | ''          | FastEthernet0/1 | 6 | up | up | true
      {"excludeDescr":"Vlan"}                     | v1         | ''          | Vlan1 | 136 | up | up | false
      {"types":[6,117]}                           | eth0       | ''          | x | 6   | up   | up   | true
      {"types":[6,117]}                           | tun0       | ''          | x | 131 | up   | up   | false
      {"adminStatus":["up"]}                      | eth0       | ''          | x | 6   | down | down | false
      {"operStatus":["up","dormant"]}             | eth0       | ''          | x | 6   | up   | lowerLayerDown | false
      {"includeName":"^eth","operStatus":["up"]}  | eth0       | ''          | x | 6   | up   | up   | true
      """)
  void keepsWhatTheRulesSay(String filter, String name, String alias, String descr, int type, String admin, String oper,
      boolean polled) {
    HubConfig c = ConfigLoader.parse(new JsonObject().put("devices", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("id", "d").put("host", "h").put("interfaces", new JsonObject(filter)))), Map.of());
    assertEquals(polled, c.devices().get(0).filter().accepts(name, alias, descr, type, admin, oper));
  }

  /**
   * {@code ^(a|aa)+$} against a's ending in '!' backtracks through Fibonacci-many splits in
   * java.util.regex (30 a's already take seconds); RE2/J answers in time linear in the text. The
   * timeout only stops a run that would never end.
   */
  @Test
  void aCatastrophicPatternRunsInLinearTime() {
    InterfaceFilter f = ConfigLoader.parse(new JsonObject("""
        {"devices": [{"id": "d", "host": "127.0.0.1", "interfaces": {"includeDescr": "^(a|aa)+$", "excludeName": "(x+x+)+y"}}]}"""),
        Map.of()).devices().get(0).filter();
    String hostile = "a".repeat(100_000) + "!";
    Boolean polled = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> f.accepts("x".repeat(10_000), "", hostile, 6, "up", "up"));
    assertEquals(false, polled);
    assertEquals(true, f.accepts("eth0", "", "a".repeat(1000), 6, "up", "up"));
  }

  @Test
  void whatRe2CannotMatchInLinearTimeIsRefusedNamingTheField() {
    for (String p : new String[] {"(a)\\1", "foo(?=bar)", "(?<!x)y"}) {
      JsonObject cfg = new JsonObject().put("devices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "d")
          .put("host", "127.0.0.1").put("interfaces", new JsonObject().put("includeName", p))));
      ConfigException e = Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.parse(cfg, Map.of()));
      Assertions.assertTrue(e.getMessage().startsWith("devices[0].interfaces.includeName"), e.getMessage());
      Assertions.assertTrue(e.getMessage().contains("linear time"), e.getMessage());
    }
  }
}
