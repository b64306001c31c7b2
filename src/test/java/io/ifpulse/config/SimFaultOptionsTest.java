package io.ifpulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The JSON form of a simulated agent's hostile modes and network faults: read, defaulted, bounded. */
@Unit
class SimFaultOptionsTest {
  private static SimDeviceSpec parse(String sim) {
    return SimDeviceSpec.fromJson("d", "public", new JsonObject(sim), "devices[0].sim");
  }

  @Test
  void everyModeAndFaultIsRead() {
    SimDeviceSpec s = parse("""
        {"model": "steady", "hostile": {"wrongTypes": true, "reorder": true, "getAsNext": true, "duplicate": true,
          "lateMs": 1500, "bulkStuck": true, "tooBig": true, "jumpEverySeconds": 3, "flipWidths": true},
         "network": {"loss": 0.3, "jitterMs": 40, "duplicate": 0.2, "reorder": 0.1, "seed": 7}}""");
    SimDeviceSpec.Hostile h = s.hostile();
    assertTrue(h.wrongTypes() && h.reorder() && h.getAsNext() && h.duplicate() && h.bulkStuck() && h.tooBig() && h.flipWidths());
    assertEquals(1500, h.lateMs());
    assertEquals(3, h.jumpEverySeconds());
    assertEquals(new SimDeviceSpec.Network(0.3, 40, 0.2, 0.1, 7), s.network());
    assertTrue(s.network().any());
  }

  @Test
  void offByDefault() {
    SimDeviceSpec s = parse("{\"model\": \"steady\"}");
    assertEquals(SimDeviceSpec.Hostile.NONE, s.hostile());
    assertEquals(SimDeviceSpec.Network.NONE, s.network());
    assertFalse(s.hostile().any() || s.network().any());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("{\"model\": \"steady\", \"network\": {\"loss\": 0.95}}", "devices[0].sim.network.loss"),
        Arguments.of("{\"model\": \"steady\", \"network\": {\"jitterMs\": -1}}", "devices[0].sim.network.jitterMs"),
        Arguments.of("{\"model\": \"steady\", \"network\": {\"lost\": 0.1}}", "devices[0].sim.network.lost"),
        Arguments.of("{\"model\": \"steady\", \"network\": 5}", "devices[0].sim.network"),
        Arguments.of("{\"model\": \"steady\", \"hostile\": {\"jumpEverySeconds\": 0.5}}", "devices[0].sim.hostile.jumpEverySeconds"),
        Arguments.of("{\"model\": \"steady\", \"hostile\": {\"lateMs\": 100000}}", "devices[0].sim.hostile.lateMs"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void outOfRangeIsRefusedNamingTheField(String sim, String field) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(sim));
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
