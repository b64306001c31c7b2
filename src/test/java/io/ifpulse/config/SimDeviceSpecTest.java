package io.ifpulse.config;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.SimDeviceSpec.CounterKind;
import io.ifpulse.config.SimDeviceSpec.Model;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

@Unit
class SimDeviceSpecTest {
  private static final String PATH = "devices[3].sim";

  private static SimDeviceSpec parse(String json) {
    return SimDeviceSpec.fromJson("d", "public", new JsonObject(json), PATH);
  }

  private static ConfigException fails(String json) {
    return assertThrows(ConfigException.class, () -> parse(json));
  }

  @Test
  void defaults() {
    SimDeviceSpec s = parse("{\"model\":\"steady\"}");
    assertEquals(Model.STEADY, s.model());
    assertEquals(4, s.interfaces());
    assertEquals(1_000_000_000L, s.speedBps());
    assertEquals(100e6, s.rateBps());
    assertEquals(CounterKind.HC, s.counters());
    assertEquals(0, s.cacheSeconds());
    assertEquals(0, s.delayMs());
    assertFalse(s.silent());
    assertEquals(0, s.restartEverySeconds());
    assertEquals(60, s.periodSeconds());
    assertEquals(0.5, s.amplitude());

    SimDeviceSpec b = parse("{\"model\":\"bursts\"}");
    assertEquals(10, b.periodSeconds());
    assertEquals(0.3, b.amplitude());
  }

  @Test
  void allKeys() {
    SimDeviceSpec s =
        parse(
            "{\"model\":\"SINE\",\"interfaces\":12,\"speedMbps\":10000,\"rateMbps\":8000,\"counters\":\"counter32\","
                + "\"cacheSeconds\":5,\"delayMs\":20.5,\"silent\":true,\"restartEverySeconds\":300,"
                + "\"periodSeconds\":30,\"amplitude\":0.25}");
    assertEquals(Model.SINE, s.model());
    assertEquals(12, s.interfaces());
    assertEquals(10_000_000_000L, s.speedBps());
    assertEquals(8e9, s.rateBps());
    assertEquals(CounterKind.COUNTER32, s.counters());
    assertEquals(5, s.cacheSeconds());
    assertEquals(20.5, s.delayMs());
    assertTrue(s.silent());
    assertEquals(300, s.restartEverySeconds());
    assertEquals(30, s.periodSeconds());
    assertEquals(0.25, s.amplitude());
    assertFalse(s.toString().contains("public"), "community must not be printed");
  }

  private static void assertNames(ConfigException e, String field, String value) {
    assertEquals(PATH + "." + field, e.field());
    assertTrue(e.getMessage().contains(PATH + "." + field), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage() + " should name the value " + value);
  }

  @Test
  void errorsNameFieldAndValue() {
    assertNames(fails("{}"), "model", "(missing)");
    assertNames(fails("{\"model\":\"square\"}"), "model", "\"square\"");
    assertNames(fails("{\"model\":\"steady\",\"colour\":\"red\"}"), "colour", "\"red\"");
    assertNames(fails("{\"model\":\"steady\",\"rateMbps\":-5}"), "rateMbps", "-5");
    assertNames(fails("{\"model\":\"steady\",\"rateMbps\":2000}"), "rateMbps", "2000");
    assertNames(fails("{\"model\":\"steady\",\"interfaces\":10001}"), "interfaces", "10001");
    assertNames(fails("{\"model\":\"steady\",\"interfaces\":0}"), "interfaces", "0");
    assertNames(fails("{\"model\":\"steady\",\"interfaces\":2.5}"), "interfaces", "2.5");
    assertNames(fails("{\"model\":\"steady\",\"interfaces\":\"four\"}"), "interfaces", "\"four\"");
    assertNames(fails("{\"model\":\"steady\",\"speedMbps\":0}"), "speedMbps", "0");
    assertNames(fails("{\"model\":\"steady\",\"counters\":\"c64\"}"), "counters", "\"c64\"");
    assertNames(fails("{\"model\":\"steady\",\"cacheSeconds\":-1}"), "cacheSeconds", "-1");
    assertNames(fails("{\"model\":\"steady\",\"delayMs\":-1}"), "delayMs", "-1");
    assertNames(fails("{\"model\":\"steady\",\"silent\":\"yes\"}"), "silent", "\"yes\"");
    assertNames(fails("{\"model\":\"steady\",\"restartEverySeconds\":-3}"), "restartEverySeconds", "-3");
    assertNames(fails("{\"model\":\"sine\",\"periodSeconds\":0}"), "periodSeconds", "0");
    assertNames(fails("{\"model\":\"sine\",\"amplitude\":1.5}"), "amplitude", "1.5");
    assertNames(fails("{\"model\":\"bursts\",\"amplitude\":0}"), "amplitude", "0");
  }

  @Test
  void nullObjectNamesModel() {
    ConfigException e = assertThrows(ConfigException.class, () -> SimDeviceSpec.fromJson("d", "c", null, PATH));
    assertEquals(PATH + ".model", e.field());
  }


}
