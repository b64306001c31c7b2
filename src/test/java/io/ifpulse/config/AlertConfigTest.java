package io.ifpulse.config;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class AlertConfigTest {

  @Test
  void absentOrEmptyGivesTheDefaults() {
    AlertConfig d = new AlertConfig(90, 80, 30, 10, 1.0, 10.0, true);
    assertEquals(d, AlertConfig.fromJson(null, "alerts"));
    assertEquals(d, AlertConfig.fromJson(new JsonObject(), "alerts"));
    assertEquals(d, AlertConfig.defaults());
  }

  @Test
  void readsEveryKey() {
    AlertConfig c = AlertConfig.fromJson(new JsonObject("""
        {"utilisationPct": 75.5, "utilisationClearPct": 60, "forSeconds": 2, "clearForSeconds": 0,
         "errorsPerSecond": 0.5, "discardsPerSecond": 0, "operStatus": false}"""), "alerts");
    assertEquals(new AlertConfig(75.5, 60, 2, 0, 0.5, 0, false), c);
  }

  /** alerts JSON | field named in the error | value shown in the error */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"utilisationPCT": 90}                              | alerts.utilisationPCT      | 90
      {"utilisationPct": "95"}                            | alerts.utilisationPct      | "95"
      {"utilisationPct": 0}                               | alerts.utilisationPct      | 0
      {"utilisationPct": 1001}                            | alerts.utilisationPct      | 1001
      {"utilisationPct": 70}                              | alerts.utilisationPct      | 70
      {"utilisationClearPct": 90}                         | alerts.utilisationClearPct | 90
      {"utilisationPct": 95, "utilisationClearPct": 96}   | alerts.utilisationClearPct | 96
      {"utilisationClearPct": 0.5}                        | alerts.utilisationClearPct | 0.5
      {"forSeconds": -1}                                  | alerts.forSeconds          | -1
      {"forSeconds": 1.5}                                 | alerts.forSeconds          | 1.5
      {"clearForSeconds": 86401}                          | alerts.clearForSeconds     | 86401
      {"errorsPerSecond": -0.1}                           | alerts.errorsPerSecond     | -0.1
      {"discardsPerSecond": "lots"}                       | alerts.discardsPerSecond   | "lots"
      {"operStatus": "yes"}                               | alerts.operStatus          | "yes"
      """)
  void badValuesNameTheFieldAndTheValue(String json, String field, String shown) {
    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.fromJson(new JsonObject(json), "alerts"));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().startsWith(field + " = " + shown + ": "), e.getMessage());
  }
}
