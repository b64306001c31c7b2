package io.ifpulse.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OctetString;

/** The bounds a discovery keeps whatever the agent sends, and their settings. */
@Unit
class DiscoveryBoundsTest {
  @Test
  void stringsAreCutTo255BytesWithoutSplittingACharacter() {
    assertEquals(255, TableWalker.cut(new OctetString("x".repeat(60_000))).length());
    // 254 ASCII bytes, then a 3-byte character across the limit: it goes whole.
    OctetString split = TableWalker.cut(new OctetString(("y".repeat(254) + "€€").getBytes(StandardCharsets.UTF_8)));
    assertEquals(254, split.length());
    assertEquals("y".repeat(254), new String(split.getValue(), StandardCharsets.UTF_8));
    // A character that ends exactly at the limit stays.
    OctetString whole = TableWalker.cut(new OctetString(("z".repeat(252) + "€" + "tail").getBytes(StandardCharsets.UTF_8)));
    assertEquals(255, whole.length());
    assertTrue(new String(whole.getValue(), StandardCharsets.UTF_8).endsWith("€"));
  }

  @Test
  void maxInterfacesDefaultsTo10000AndIsValidated() {
    String device = "{\"credentials\":{\"lab\":{\"community\":\"public\"}},\"devices\":[{\"id\":\"d\",\"host\":\"127.0.0.1\",\"credentials\":\"lab\"%s}]}";
    DeviceConfig d = ConfigLoader.parse(new JsonObject(device.formatted("")), Map.of()).devices().get(0);
    assertEquals(10_000, d.maxInterfaces());
    assertEquals(50, ConfigLoader.parse(new JsonObject(device.formatted(",\"maxInterfaces\":50")), Map.of()).devices().get(0).maxInterfaces());
    for (String bad : new String[] {"0", "100001", "\"many\""}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ConfigLoader.parse(new JsonObject(device.formatted(",\"maxInterfaces\":" + bad)), Map.of()));
      assertTrue(e.getMessage().contains("devices[0].maxInterfaces"), e.getMessage());
    }
  }
}
