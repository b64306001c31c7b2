package io.ifpulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  /** Each broken config must name the field and the value, and never show a secret. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no devices list            | {}                                                                                     | devices = (missing)
      device not an object       | {"devices":[42]}                                                                       | devices[0] = 42
      bad id                     | {"devices":[{"id":"a b","host":"h"}]}                                                  | devices[0].id = "a b"
      duplicate id               | {"devices":[{"id":"a","host":"h"},{"id":"a","host":"h"}]}                              | devices[1].id = "a"
      missing host               | {"devices":[{"id":"a"}]}                                                               | devices[0].host = (missing)
      port out of range          | {"devices":[{"id":"a","host":"h","port":70000}]}                                       | devices[0].port = 70000
      port not a number          | {"devices":[{"id":"a","host":"h","port":"x"}]}                                         | devices[0].port = "x"
      unknown version            | {"devices":[{"id":"a","host":"h","version":"v4"}]}                                     | devices[0].version = "v4"
      typo in a key              | {"devices":[{"id":"a","host":"h","intervalMS":1000}]}                                  | devices[0].intervalMS = 1000
      interval too short         | {"devices":[{"id":"a","host":"h","intervalMs":5}]}                                     | devices[0].intervalMs = 5
      bad default                | {"defaults":{"timeoutMs":-1},"devices":[{"id":"a","host":"h"}]}                        | defaults.timeoutMs = -1
      unknown top-level key      | {"devicez":[],"devices":[]}                                                            | devicez = [...]
      v3 without v3 block        | {"devices":[{"id":"a","host":"h","version":"v3"}]}                                     | devices[0].v3 = (missing)
      v3 unknown auth            | {"devices":[{"id":"a","host":"h","version":"v3","v3":{"user":"u","authProtocol":"SHA-999","authPassphrase":"12345678"}}]} | devices[0].v3.authProtocol = "SHA-999"
      v3 short passphrase        | {"devices":[{"id":"a","host":"h","version":"v3","v3":{"user":"u","authProtocol":"SHA-256","authPassphrase":"short"}}]} | devices[0].v3.authPassphrase = <secret>
      v3 priv without auth       | {"devices":[{"id":"a","host":"h","version":"v3","v3":{"user":"u","privProtocol":"AES-128","privPassphrase":"12345678"}}]} | devices[0].v3.privProtocol = "AES-128"
      bad regex                  | {"devices":[{"id":"a","host":"h","interfaces":{"includeName":"(eth"}}]}                | devices[0].interfaces.includeName = "(eth"
      bad oper status            | {"devices":[{"id":"a","host":"h","interfaces":{"operStatus":["upp"]}}]}                | devices[0].interfaces.operStatus = "upp"
      bad ifType                 | {"devices":[{"id":"a","host":"h","interfaces":{"types":["eth"]}}]}                     | devices[0].interfaces.types = "eth"
      empty community            | {"devices":[{"id":"a","host":"h","community":""}]}                                     | devices[0].community = <secret>
      unset environment variable | {"devices":[{"id":"a","host":"h","community":"${IFPULSE_TEST_UNSET_VAR}"}]}            | devices[0].community = "${IFPULSE_TEST_UNSET_VAR}"
      enabled not boolean        | {"devices":[{"id":"a","host":"h","enabled":"yes"}]}                                    | devices[0].enabled = "yes"
      bad simulator model        | {"devices":[{"id":"a","sim":{"model":"flat"}}]}                                        | devices[0].sim.model = "flat"
      v3 user with other keys    | {"devices":[{"id":"a","host":"h","version":"v3","v3":{"user":"mon","authProtocol":"SHA-256","authPassphrase":"12345678"}},{"id":"b","host":"h","version":"v3","v3":{"user":"mon","authProtocol":"SHA-256","authPassphrase":"87654321"}}]} | devices[1].v3.user = "mon"
      simulated with host        | {"devices":[{"id":"a","host":"h","sim":{"model":"steady"}}]}                           | devices[0].host = "h"
      unknown read group         | {"devices":[{"id":"a","host":"h","read":["octets","bytes"]}]}                          | devices[0].read = "bytes"
      read not a list            | {"defaults":{"read":"octets"},"devices":[{"id":"a","host":"h"}]}                       | defaults.read = "octets"
      read status only           | {"devices":[{"id":"a","host":"h","read":["status"]}]}                                  | devices[0].read = [...]
      poll slot of zero          | {"poller":{"slotMs":0},"devices":[]}                                                   | poller.slotMs = 0
      poll slot not a number     | {"poller":{"slotMs":"fine"},"devices":[]}                                              | poller.slotMs = "fine"
      """)
  void brokenConfigNamesFieldAndValue(String name, String json, String expectedStart) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(new JsonObject(json), Map.of()), name);
    assertTrue(e.getMessage().startsWith(expectedStart), name + ": got \"" + e.getMessage() + "\"");
    assertFalse(e.getMessage().contains("12345678") || e.getMessage().contains("short\""), "no secret in: " + e.getMessage());
  }

  @Test
  void defaultsApplyAndDevicesOverride() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"defaults":{"intervalMs":2000,"community":"c1"},
         "devices":[{"id":"a","host":"h"},{"id":"b","host":"h","intervalMs":500,"community":"c2"}]}"""), Map.of());
    assertEquals(2000, c.devices().get(0).intervalMs());
    assertEquals(500, c.devices().get(1).intervalMs());
    assertEquals("c1", c.devices().get(0).community().reveal());
    assertEquals("c2", c.devices().get(1).community().reveal());
    assertEquals(161, c.devices().get(0).port());
    assertEquals(ReadGroup.ALL, c.devices().get(0).read());
    assertEquals(PollerConfig.defaults(), c.poller());
  }

  @Test
  void pollerSettingsAreRead() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"poller":{"maxInFlight":64,"slotMs":250},"devices":[]}"""), Map.of());
    assertEquals(new PollerConfig(64, 250), c.poller());
  }

  @Test
  void readGroupsComeFromDefaultsOrDevice() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"defaults":{"read":["octets","status"]},
         "devices":[{"id":"a","host":"h"},{"id":"b","host":"h","read":["octets"]}]}"""), Map.of());
    assertEquals(java.util.Set.of(ReadGroup.OCTETS, ReadGroup.STATUS), c.devices().get(0).read());
    assertEquals(java.util.Set.of(ReadGroup.OCTETS), c.devices().get(1).read());
  }

  @Test
  void environmentFillsSecretsAndOverridesFields() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"devices":[{"id":"a","host":"h","community":"${COMM}"},{"id":"b","host":"${HOST_B:-fallback}"}]}"""),
        Map.of("COMM", "from-env", "IFPULSE__devices__0__port", "1161", "IFPULSE__defaults__intervalMs", "250"));
    assertEquals("from-env", c.devices().get(0).community().reveal());
    assertEquals("fallback", c.devices().get(1).host());
    assertEquals(1161, c.devices().get(0).port());
    assertEquals(250, c.devices().get(1).intervalMs());
  }

  @Test
  void secretsNeverPrint() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"devices":[{"id":"a","host":"h","community":"topsecret"},
          {"id":"b","host":"h","version":"v3","v3":{"user":"u","authProtocol":"SHA-512","authPassphrase":"authsecret1",
            "privProtocol":"AES-256","privPassphrase":"privsecret1"}}]}"""), Map.of());
    String printed = c.toString() + c.devices();
    assertFalse(printed.contains("topsecret") || printed.contains("authsecret1") || printed.contains("privsecret1"), printed);
    assertTrue(c.devices().get(1).v3().toString().contains("<secret>"));
    assertEquals("authPriv", c.devices().get(1).v3().level());
    assertNotNull(c.devices().get(1).v3().privPassphrase());
  }
}
