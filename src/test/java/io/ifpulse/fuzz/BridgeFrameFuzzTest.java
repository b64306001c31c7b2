package io.ifpulse.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.Interest;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Any frame a browser sends on the bridge ({@code {"type":"register"|"send",...,"address","body"}}),
 * through what the hub makes of it: the address a registration names (which device it is for, and
 * whether browsers may receive there), and the device a watch message names. Nothing throws; an
 * address browsers may receive on is the alerts or names a device id the config would accept; a
 * watched device is a string or nothing; an interest on the bus is read or refused, never thrown on.
 */
@Unit
class BridgeFrameFuzzTest {
  public static void fuzzerTestOneInput(byte[] input) {
    JsonObject frame;
    try {
      frame = new JsonObject(new String(input, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException notAFrame) {
      return; // the bridge closes the socket on a frame that is not a JSON object
    }
    String address = frame.getValue("address") instanceof String s ? s : null;
    if (Addresses.browserReceives(address)) {
      String device = Addresses.deviceOf(address);
      if (device == null ? !Addresses.ALERTS.equals(address) : !device.matches(DeviceConfig.ID_PATTERN)) {
        throw new AssertionError("browsers may receive on " + address + " (device " + device + ")");
      }
    }
    Object body = frame.getValue("body");
    String watched = Interest.watchedBy(body);
    if (watched != null && !(body instanceof JsonObject b && watched.equals(b.getString(Interest.DEVICE_FIELD)))) {
      throw new AssertionError("watch of " + watched + " from " + body);
    }
    Interest i = Interest.fromJson(body);
    if (i != null) Interest.fromJson(i.toJson());
  }

  @FuzzTest
  void framesAreReadOrRefused(byte[] input) {
    fuzzerTestOneInput(input);
  }
}
