package io.ifpulse.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.events.StatusEvent;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules against discovered interfaces: one row per case, the rule, the fleet and what the group holds. */
@Unit
class GroupMembersTest {

  private static StatusEvent.Interface i(int ifIndex, String name, String alias) {
    return new StatusEvent.Interface(ifIndex, name, name, alias, 6, 1_000_000_000L, "up", "up", true);
  }

  /** core-1 and core-2 with two transit uplinks between them; edge-1 with one; core-3 not discovered yet. */
  private static final List<String> DEVICES = List.of("core-1", "core-2", "core-3", "edge-1");
  private static final Map<String, List<StatusEvent.Interface>> FLEET = Map.of(
      "core-1", List.of(i(1, "ge-0/0/1", "TRANSIT isp-a"), i(2, "ge-0/0/2", "customer x"), i(3, "ge-0/0/3", "TRANSIT isp-b")),
      "core-2", List.of(i(7, "xe-1/0/0", "TRANSIT isp-c"), i(8, "xe-1/0/1", "")),
      "edge-1", List.of(i(1, "eth0", "TRANSIT isp-d")));
  /** core-1 after a rediscovery: isp-b moved to ifIndex 4 and a new transit appeared. */
  private static final Map<String, List<StatusEvent.Interface>> REDISCOVERED = Map.of(
      "core-1", List.of(i(1, "ge-0/0/1", "TRANSIT isp-a"), i(4, "ge-0/0/3", "TRANSIT isp-b"), i(5, "ge-0/0/5", "TRANSIT isp-e")),
      "core-2", List.of(i(7, "xe-1/0/0", "TRANSIT isp-c"), i(8, "xe-1/0/1", "")),
      "edge-1", List.of(i(1, "eth0", "TRANSIT isp-d")));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("the issue's example", """
            [{"device": "core-*", "interfaces": {"includeAlias": "^TRANSIT"}}]""", FLEET,
            List.of("core-1/1", "core-1/3", "core-2/7"), List.of("core-3")),
        Arguments.of("follows rediscovery", """
            [{"device": "core-*", "interfaces": {"includeAlias": "^TRANSIT"}}]""", REDISCOVERED,
            List.of("core-1/1", "core-1/4", "core-1/5", "core-2/7"), List.of("core-3")),
        Arguments.of("two rules naming one interface count it once", """
            [{"device": "core-1", "interfaces": {"includeAlias": "isp-a"}}, {"device": "core-?", "interfaces": {"includeName": "0/0/1$"}}]""",
            FLEET, List.of("core-1/1"), List.of("core-3")),
        Arguments.of("a whole device", """
            [{"device": "edge-1"}]""", FLEET, List.of("edge-1/1"), List.of()),
        Arguments.of("excludes", """
            [{"device": "*", "interfaces": {"includeAlias": "TRANSIT", "excludeAlias": "isp-[cd]"}}]""", FLEET,
            List.of("core-1/1", "core-1/3"), List.of("core-3")),
        Arguments.of("a device that is gone leaves", """
            [{"device": "nope-*"}]""", FLEET, List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolves(String what, String members, Map<String, List<StatusEvent.Interface>> fleet, List<String> expected,
      List<String> undiscovered) {
    GroupConfig g = ConfigLoader.group("g", new JsonObject("{\"members\": " + members + "}"), "group");
    GroupMembers.Resolved r = GroupMembers.resolve(g, DEVICES, fleet);
    assertEquals(expected, r.members().stream().map(m -> m.device() + "/" + m.ifIndex()).toList());
    assertEquals(undiscovered, r.undiscovered());
    assertEquals(0, r.cut());
  }

  @org.junit.jupiter.api.Test
  void boundsTheInterfacesOfOneGroup() {
    List<StatusEvent.Interface> many = new ArrayList<>();
    for (int n = 1; n <= GroupMembers.MAX_INTERFACES + 5; n++) many.add(i(n, "p" + n, ""));
    GroupConfig g = ConfigLoader.group("g", new JsonObject("{\"members\": [{\"device\": \"big\"}]}"), "group");
    GroupMembers.Resolved r = GroupMembers.resolve(g, List.of("big"), Map.of("big", many));
    assertEquals(GroupMembers.MAX_INTERFACES, r.members().size());
    assertEquals(5, r.cut());
  }
}
