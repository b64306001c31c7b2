package io.ifpulse.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.HubConfig;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Any JSON object as a config file: the loader answers with a {@link HubConfig} or a
 * {@link ConfigException} naming a field, never another exception. Seeds: the project's own
 * config files.
 */
@Unit
class ConfigLoaderFuzzTest {
  private static final Map<String, String> ENV = Map.of("IFPULSE_COMMUNITY", "public", "EMPTY", "");

  public static void fuzzerTestOneInput(byte[] input) {
    JsonObject json;
    try {
      json = new JsonObject(new String(input, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException notAnObject) {
      return; // the loader's own file reading reports these before parse
    }
    try {
      HubConfig c = ConfigLoader.parse(json, ENV);
      if (c == null) throw new AssertionError("no config and no error");
      c.devices().forEach(String::valueOf); // printing a config (--check) must not fail either
    } catch (ConfigException e) {
      Fields.requireNamed(e);
    }
  }

  @FuzzTest
  void loadsOrNamesTheField(byte[] input) {
    fuzzerTestOneInput(input);
  }
}
