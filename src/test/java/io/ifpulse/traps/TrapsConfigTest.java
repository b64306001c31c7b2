package io.ifpulse.traps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.HubConfig;
import io.ifpulse.config.TrapsConfig;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "traps" block and a device's "trapSource": defaults, and every bad value named with its field. */
@Unit
class TrapsConfigTest {
  private static HubConfig parse(String json) {
    return ConfigLoader.parse(new JsonObject(json), Map.of());
  }

  @Test
  void offUnlessAsked() {
    HubConfig c = parse("{\"devices\": []}");
    assertFalse(c.traps().enabled());
    assertEquals(TrapsConfig.DEFAULT_PORT, c.traps().port());
    TrapsConfig on = parse("{\"devices\": [], \"traps\": {\"port\": 0, \"host\": \"0.0.0.0\"}}").traps();
    assertTrue(on.enabled());
    assertEquals(0, on.port());
    assertEquals("0.0.0.0", on.host());
  }

  @Test
  void badValuesNameTheirField() {
    String[][] rows = {
        {"{\"devices\": [], \"traps\": {\"port\": 70000}}", "traps.port"},
        {"{\"devices\": [], \"traps\": {\"host\": \"example.com\"}}", "traps.host"},
        {"{\"devices\": [], \"traps\": {\"perSourcePerSecond\": 0}}", "traps.perSourcePerSecond"},
        {"{\"devices\": [], \"traps\": {\"colour\": 1}}", "traps.colour"},
        {"{\"devices\": [{\"id\": \"a\", \"host\": \"10.0.0.1\", \"community\": \"c\", \"trapSource\": \"switch.example\"}]}",
            "devices[0].trapSource"},
        {"{\"devices\": [{\"id\": \"a\", \"host\": \"10.0.0.1\", \"community\": \"c\", \"trapSource\": \"10.0.0.1:0\"}]}",
            "devices[0].trapSource"},
        {"{\"devices\": [{\"id\": \"a\", \"host\": \"10.0.0.1\", \"community\": \"c\", \"trapSource\": 5}]}", "devices[0].trapSource"}};
    for (String[] row : rows) {
      ConfigException e = assertThrows(ConfigException.class, () -> parse(row[0]), row[0]);
      assertTrue(e.getMessage().startsWith(row[1]), e.getMessage());
    }
  }

  @Test
  void trapSourceIsKeptCanonical() {
    HubConfig c = parse("{\"devices\": [{\"id\": \"a\", \"host\": \"10.0.0.1\", \"community\": \"c\", \"trapSource\": \"[::1]:162\"},"
        + "{\"id\": \"b\", \"host\": \"10.0.0.2\", \"community\": \"c\"}]}");
    assertEquals("0:0:0:0:0:0:0:1", c.devices().get(0).trapSource().ip());
    assertEquals(162, c.devices().get(0).trapSource().port());
    assertNull(c.devices().get(1).trapSource());
  }
}
