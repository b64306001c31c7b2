package io.ifpulse.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.Credentials;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Any body of {@code POST /api/devices} or {@code PUT /api/devices/{id}}: the REST API reads it
 * as a JSON object (else 400) and the device parser answers with a device or a
 * {@link ConfigException} naming the field (400), never another exception (500). A device it
 * accepts must also survive the registry's second reading, without its credentials check.
 */
@Unit
class DeviceBodyFuzzTest {
  private static final HubConfig HUB = ConfigLoader.parse(new JsonObject("""
      {"defaults": {"intervalMs": 1000}, "credentials": {"lab": {"community": "public"}}, "devices": []}"""), Map.of());
  private static final JsonObject DEFAULTS = HUB.defaults();
  private static final Credentials CREDENTIALS = HUB.credentials();

  public static void fuzzerTestOneInput(byte[] input) {
    JsonObject body;
    try {
      body = new JsonObject(new String(input, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException notAnObject) {
      return; // 400 "the body must be a JSON object"
    }
    DeviceConfig d;
    try {
      d = ConfigLoader.runtimeDevice(body, DEFAULTS, CREDENTIALS);
    } catch (ConfigException e) {
      Fields.requireNamed(e);
      return;
    }
    if (d.id() == null || !d.id().matches(DeviceConfig.ID_PATTERN)) throw new AssertionError("accepted id " + d.id());
    String.valueOf(d);
    ConfigLoader.runtimeDevice(body, DEFAULTS, CREDENTIALS, false); // as the registry reads it back
  }

  @FuzzTest
  void parsesOrNamesTheField(byte[] input) {
    fuzzerTestOneInput(input);
  }
}
