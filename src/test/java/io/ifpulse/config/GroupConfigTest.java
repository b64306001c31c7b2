package io.ifpulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class GroupConfigTest {

  private static HubConfig parse(String groups) {
    return ConfigLoader.parse(new JsonObject("{\"devices\": [], \"groups\": " + groups + "}"), Map.of());
  }

  @Test
  void readsTheIssuesExample() {
    HubConfig c = parse("""
        {"transit": {"members": [{"device": "core-*", "interfaces": {"includeAlias": "^TRANSIT"}}]},
         "lag1": {"members": [{"device": "sw1", "interfaces": {"includeName": ["^ge-0/0/1$", "^ge-0/0/2$"]}},
                              {"device": "sw2"}]}}""");
    assertEquals(List.of("transit", "lag1"), c.groups().stream().map(GroupConfig::name).toList());
    GroupConfig.Member m = c.groups().get(0).members().get(0);
    assertEquals("core-*", m.device());
    assertTrue(m.interfaces().accepts("x", "TRANSIT a", "", 6, "up", "up"));
    assertFalse(m.interfaces().accepts("x", "customer", "", 6, "up", "up"));
    assertEquals(InterfaceFilter.ALL, c.groups().get(1).members().get(1).interfaces());
  }

  @Test
  void aGroupsUtilisationThresholdsDefaultToTheGlobalOnes() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"devices": [], "alerts": {"utilisationPct": 70, "utilisationClearPct": 60, "forSeconds": 5},
         "groups": {"own": {"members": [{"device": "a"}], "alerts": {"utilisation": {"utilisationPct": 50, "utilisationClearPct": 40}}},
                    "global": {"members": [{"device": "a"}]}}}"""), Map.of());
    AlertConfig own = c.groups().get(0).alertsOr(c.alerts());
    assertEquals(50, own.utilisationPct());
    assertEquals(40, own.utilisationClearPct());
    assertEquals(5, own.forSeconds(), "not set for the group: the global value");
    assertEquals(c.alerts().clearForSeconds(), own.clearForSeconds());
    assertEquals(c.alerts(), c.groups().get(1).alertsOr(c.alerts()));
  }

  @Test
  void noGroupsIsAnEmptyList() {
    assertEquals(List.of(), ConfigLoader.parse(new JsonObject("{\"devices\": []}"), Map.of()).groups());
  }

  /** groups JSON | field named in the error | value shown */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"t": {"members": [{"device": "a"}], "colour": "red"}}              | groups.t.colour                        | "red"
      {"t": {}}                                                         | groups.t.members                       | (missing)
      {"t": {"members": []}}                                            | groups.t.members                       | [...]
      {"t": {"members": "core-*"}}                                      | groups.t.members                       | "core-*"
      {"t": 5}                                                          | groups.t                               | 5
      {"bad name": {"members": [{"device": "a"}]}}                      | groups.bad name                        | "bad name"
      {"t": {"members": [{"device": "a b"}]}}                           | groups.t.members[0].device             | "a b"
      {"t": {"members": [{"device": 7}]}}                               | groups.t.members[0].device             | 7
      {"t": {"members": [{"interfaces": {}}]}}                          | groups.t.members[0].device             | (missing)
      {"t": {"members": [{"device": "a", "iface": {}}]}}                | groups.t.members[0].iface              | {...}
      {"t": {"members": [{"device": "a", "interfaces": {"includeAlias": "(a"}}]}}      | groups.t.members[0].interfaces.includeAlias | "(a"
      {"t": {"members": [{"device": "a", "interfaces": {"includeAlias": "(a)\\\\1"}}]}} | groups.t.members[0].interfaces.includeAlias | "(a)\\1"
      {"t": {"members": [{"device": "a", "interfaces": {"includeAlia": "x"}}]}}        | groups.t.members[0].interfaces.includeAlia  | "x"
      {"t": {"members": [{"device": "a"}], "alerts": 5}}                                | groups.t.alerts                           | 5
      {"t": {"members": [{"device": "a"}], "alerts": {"errors": {}}}}                   | groups.t.alerts.errors                    | {...}
      {"t": {"members": [{"device": "a"}], "alerts": {"utilisation": 90}}}              | groups.t.alerts.utilisation               | 90
      {"t": {"members": [{"device": "a"}], "alerts": {"utilisation": {"utilisationPct": 2000}}}}   | groups.t.alerts.utilisation.utilisationPct      | 2000
      {"t": {"members": [{"device": "a"}], "alerts": {"utilisation": {"errorsPerSecond": 1}}}}     | groups.t.alerts.utilisation.errorsPerSecond     | 1
      {"t": {"members": [{"device": "a"}], "alerts": {"utilisation": {"utilisationClearPct": 95}}}} | groups.t.alerts.utilisation.utilisationClearPct | 95
      {"t": {"members": [{"device": "a"}], "alerts": {"utilisation": {"forSeconds": -1}}}}         | groups.t.alerts.utilisation.forSeconds          | -1
      """)
  void badFieldsNameTheFieldAndTheValue(String json, String field, String shown) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(json));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(field + " = " + shown + ": "), e.getMessage());
  }

  @Test
  void boundsTheMembersOfOneGroup() {
    StringBuilder members = new StringBuilder("[");
    for (int i = 0; i <= GroupConfig.MAX_MEMBERS; i++) members.append(i == 0 ? "" : ",").append("{\"device\": \"d").append(i).append("\"}");
    ConfigException e = assertThrows(ConfigException.class, () -> parse("{\"t\": {\"members\": " + members + "]}}"));
    assertEquals("groups.t.members", e.field());
  }

  /** glob | device id | matches */
  @ParameterizedTest(name = "{0} ~ {1}")
  @CsvSource(delimiter = '|', textBlock = """
      core-*      | core-1        | true
      core-*      | core-         | true
      core-*      | edge-1        | false
      *-1         | core-1        | true
      c?re-1      | core-1        | true
      c?re-1      | cre-1         | false
      *           | anything      | true
      sw1         | sw1           | true
      sw1         | sw10          | false
      *a*a*a*a*b  | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | false
      """)
  void deviceGlobs(String glob, String id, boolean matches) {
    assertEquals(matches, new GroupConfig.Member(glob, InterfaceFilter.ALL).matchesDevice(id));
  }
}
