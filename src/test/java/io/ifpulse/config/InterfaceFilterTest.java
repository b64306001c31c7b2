package io.ifpulse.config;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Map;
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
}
