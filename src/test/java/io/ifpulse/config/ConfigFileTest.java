package io.ifpulse.config;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class ConfigFileTest {
  @TempDir Path dir;

  @Test
  void missingFileIsNamed() {
    Path p = dir.resolve("nope.json");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(p, Map.of()));
    assertTrue(e.getMessage().startsWith("config file = \"" + p + "\": cannot be read"), e.getMessage());
  }

  @Test
  void brokenJsonIsNamedWithWhere() throws Exception {
    Path p = dir.resolve("broken.json");
    Files.writeString(p, "{\"devices\": [ {\"id\": \"a\", } ]");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(p, Map.of()));
    assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
  }

  @Test
  void theShippedDefaultIsValid() {
    HubConfig c = ConfigLoader.load(Path.of("conf/ifpulse.json"), Map.of());
    assertTrue(c.devices().size() >= 5);
    assertEquals(c.devices().size(), c.simulatedDevices().size(), "the default needs no hardware");
  }
}
