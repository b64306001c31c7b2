package io.ifpulse.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.testing.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The group registry's checks of a REST body (the config's rules) and its overlay of the config's groups. */
@Unit
class GroupRegistryTest {
  private static final JsonObject CHANGE = new JsonObject().put("by", "op").put("at", 1L);

  private static JsonObject group(String device) {
    return new JsonObject().put("members", new JsonArray().add(new JsonObject().put("device", device)));
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("no members", new JsonObject(), "group.members"),
        Arguments.of("empty members", new JsonObject().put("members", new JsonArray()), "group.members"),
        Arguments.of("members not a list", new JsonObject().put("members", "core-*"), "group.members"),
        Arguments.of("a member not an object", new JsonObject().put("members", new JsonArray().add("core-1")), "group.members[0]"),
        Arguments.of("a bad glob", group("core 1"), "group.members[0].device"),
        Arguments.of("an unknown key", group("core-1").put("colour", "red"), "group.colour"),
        Arguments.of("an unknown member key", new JsonObject().put("members", new JsonArray()
            .add(new JsonObject().put("device", "a").put("ports", 1))), "group.members[0].ports"),
        Arguments.of("a bad regex", new JsonObject().put("members", new JsonArray().add(new JsonObject().put("device", "a")
            .put("interfaces", new JsonObject().put("includeName", "(")))), "group.members[0].interfaces.includeName"),
        Arguments.of("too many members", tooMany(), "group.members"));
  }

  private static JsonObject tooMany() {
    JsonArray members = new JsonArray();
    for (int i = 0; i <= GroupConfig.MAX_MEMBERS; i++) members.add(new JsonObject().put("device", "d-" + i));
    return new JsonObject().put("members", members);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadBodyIsRefusedNamingTheFieldAndNothingIsKept(String what, JsonObject body, String field) {
    GroupRegistry r = GroupRegistry.fixed(List.of());
    Future<GroupConfig> f = r.put("g", body, CHANGE);
    ConfigException e = assertInstanceOf(ConfigException.class, f.cause(), what);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(r.groups().isEmpty());
  }

  @Test
  void aBadNameIsRefusedNamingTheGroup() {
    ConfigException e = assertInstanceOf(ConfigException.class, GroupRegistry.fixed(List.of()).put("a/b", group("x"), CHANGE).cause());
    assertEquals("group", e.field());
  }

  @Test
  void theOverlayCreatesReplacesAndRemovesConfigGroupsToo() {
    GroupConfig configured = ConfigLoader.group("cfg", group("edge-*"), "groups.cfg");
    GroupRegistry r = GroupRegistry.fixed(List.of(configured));
    List<String> heard = new ArrayList<>();
    r.onChange(heard::add);
    assertTrue(r.put("new", group("core-*"), CHANGE).succeeded());
    assertEquals("core-*", r.group("new").members().get(0).device());
    assertTrue(r.put("cfg", group("core-1"), CHANGE).succeeded());
    assertEquals("core-1", r.group("cfg").members().get(0).device(), "the overlay wins over the config");
    assertTrue(r.remove("cfg", CHANGE).result());
    assertNull(r.group("cfg"), "a tombstone hides the config's group");
    assertFalse(r.remove("cfg", CHANGE).result(), "removing it again: no such group");
    assertEquals(List.of("new", "cfg", "cfg"), heard);
    assertEquals(List.of("removed", "changed", "added"),
        r.audit().records(n -> true).stream().map(j -> j.getString("action")).toList());
  }

  @Test
  void theNumberOfGroupsIsBoundedAsInTheConfig() {
    List<GroupConfig> many = new ArrayList<>();
    for (int i = 0; i < GroupConfig.MAX_GROUPS; i++) many.add(ConfigLoader.group("g" + i, group("d"), "groups.g" + i));
    GroupRegistry r = GroupRegistry.fixed(many);
    assertInstanceOf(ConfigException.class, r.put("one-more", group("d"), CHANGE).cause());
    assertTrue(r.put("g1", group("e"), CHANGE).succeeded(), "replacing one is no new group");
  }
}
