package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.summary.DeviceEntry;
import io.ifpulse.summary.DeviceState;
import io.ifpulse.summary.Fleet;
import io.ifpulse.summary.ScopedSummary;
import io.ifpulse.summary.SummaryTick;
import io.ifpulse.summary.TopInterface;
import io.ifpulse.summary.TopLists;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard spells the bus contract in one module, {@code webroot/js/api.js}; this holds it
 * to {@link Addresses}, {@link Interest} and what the encoder writes, so a change on one side
 * fails here rather than in a browser.
 *
 * <p>Why a test rather than generating api.js from Java: the dashboard has no build step (plain
 * modules served as they are), and a generated file would be one more thing to keep current by
 * hand or by a build plugin; a reader of api.js sees the addresses written out, and a change that
 * forgets the other side is named here.
 */
@Unit
class DashboardContractTest {
  private static final Path WEBROOT = Path.of("webroot");
  private static final Path API = WEBROOT.resolve("js/api.js");

  private static String api() throws IOException {
    return Files.readString(API);
  }

  /** The body of {@code const|export const NAME = [Object.freeze(]{ ... }}. */
  private static String block(String js, String name) {
    Matcher m = Pattern.compile("const " + name + " = (?:Object\\.freeze\\()?\\{(.*?)\\}\\)?;", Pattern.DOTALL).matcher(js);
    assertTrue(m.find(), name + " in " + API);
    return m.group(1);
  }

  /** key → the string (or template) it maps to, for entries {@code key: 'x'} and {@code key: (id) => `x${id}`}. */
  private static Map<String, String> entries(String block) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(\\w+):\\s*(?:\\(\\w+\\)\\s*=>\\s*)?(['`])(.*?)\\2").matcher(block);
    while (m.find()) out.put(m.group(1), m.group(3));
    return out;
  }

  @Test
  void theAddressesAreTheHubs() throws IOException {
    Map<String, String> a = entries(block(api(), "addresses"));
    assertEquals(Map.of(
            "traffic", Addresses.TRAFFIC_PREFIX + "${id}",
            "status", Addresses.STATUS_PREFIX + "${id}",
            "traps", Addresses.TRAPS_PREFIX + "${id}",
            "alerts", Addresses.ALERTS,
            "interest", Addresses.INTEREST,
            "summary", Addresses.SUMMARY,
            "group", Addresses.GROUP_PREFIX + "${name}"),
        a);
    // And the bridge lets a browser do with them what the dashboard does.
    assertTrue(Addresses.browserReceives(a.get("traffic").replace("${id}", "core-sw1")));
    assertTrue(Addresses.browserReceives(a.get("status").replace("${id}", "core-sw1")));
    assertTrue(Addresses.browserReceives(a.get("traps").replace("${id}", "core-sw1")));
    assertTrue(Addresses.browserReceives(a.get("alerts")));
    assertTrue(Addresses.browserReceives(a.get("summary")));
    assertTrue(Addresses.browserReceives(a.get("group").replace("${name}", "transit")));
    assertEquals(Addresses.BROWSER_SENDS, a.get("interest"));
  }

  @Test
  void theWatchMessageIsTheOneTheBridgeAccepts() throws IOException {
    Matcher m = Pattern.compile("watchMessage = \\(id\\) => \\(\\{ (\\w+): '(\\w+)', (\\w+): id \\}\\)").matcher(api());
    assertTrue(m.find(), "watchMessage in " + API);
    assertEquals(List.of(Interest.TYPE_FIELD, Interest.WATCH, Interest.DEVICE_FIELD), List.of(m.group(1), m.group(2), m.group(3)));
  }

  @Test
  void theGroupWatchAndFieldsAreTheHubs() throws IOException {
    String js = api();
    Matcher m = Pattern.compile("groupWatchMessage = \\(name\\) => \\(\\{ (\\w+): '(\\w+)', (\\w+): name \\}\\)").matcher(js);
    assertTrue(m.find(), "groupWatchMessage in " + API);
    assertEquals(List.of(Interest.TYPE_FIELD, Interest.WATCH, io.ifpulse.groups.GroupsVerticle.GROUP_FIELD),
        List.of(m.group(1), m.group(2), m.group(3)));
    Set<String> sampleKeys = new TreeSet<>();
    Set<String> memberKeys = new TreeSet<>();
    for (String line : GroupSampleJsonTest.golden()) {
      JsonObject s = new JsonObject(line);
      sampleKeys.addAll(s.fieldNames());
      for (Object o : s.getJsonArray("stack")) memberKeys.addAll(((JsonObject) o).fieldNames());
    }
    for (String wire : entries(block(js, "GROUP_FIELDS")).values()) assertTrue(sampleKeys.contains(wire), wire + " of a group sample");
    for (String wire : entries(block(js, "GROUP_MEMBER_FIELDS")).values()) assertTrue(memberKeys.contains(wire), wire + " of a member");
    Matcher stack = Pattern.compile("const GROUP_STACK = '(\\w+)';").matcher(js);
    assertTrue(stack.find());
    assertTrue(sampleKeys.contains(stack.group(1)));
  }

  @Test
  void theStatesAreTheSamples() throws IOException {
    Map<String, String> states = entries(block(api(), "states"));
    Map<String, String> expected = new LinkedHashMap<>();
    for (InterfaceSample.State s : InterfaceSample.State.values()) expected.put(s.label, s.label);
    assertEquals(expected, states);
  }

  @Test
  void everyFieldItReadsIsOneTheEncoderWrites() throws IOException {
    String js = api();
    Set<String> sampleKeys = new TreeSet<>();
    Set<String> interfaceKeys = new TreeSet<>();
    for (String line : TrafficSampleJsonTest.golden()) {
      JsonObject s = new JsonObject(line);
      sampleKeys.addAll(s.fieldNames());
      for (Object i : s.getJsonArray("interfaces")) interfaceKeys.addAll(((JsonObject) i).fieldNames());
    }
    for (String wire : entries(block(js, "SAMPLE_FIELDS")).values()) assertTrue(sampleKeys.contains(wire), wire + " of a sample");
    for (String wire : entries(block(js, "INTERFACE_FIELDS")).values()) {
      assertTrue(interfaceKeys.contains(wire), wire + " of an interface");
    }
    Matcher m = Pattern.compile("const INTERFACES = '(\\w+)';").matcher(js);
    assertTrue(m.find());
    assertTrue(sampleKeys.contains(m.group(1)));
  }

  @Test
  void theNotificationAndLinkFieldsItReadsAreTheHubs() throws IOException {
    String js = api();
    Notification n = new Notification("sw1", 1L, "10.0.0.1:1", "v2c", "trap", "linkDown", "1.3.6.1.6.3.1.1.5.3", 2, "down", List.of(),
        false);
    Set<String> keys = n.toJson().fieldNames();
    for (String wire : entries(block(js, "NOTIFICATION_FIELDS")).values()) assertTrue(keys.contains(wire), wire + " of a notification");
    assertEquals(Map.of("down", StatusEvent.Event.LINK_DOWN.label, "up", StatusEvent.Event.LINK_UP.label),
        entries(block(js, "linkEvents")));
    StatusEvent link = StatusEvent.of("sw1", 1L, StatusEvent.Event.LINK_DOWN, true, "h", 161, "v2c", "c").withLink(2, "eth1", "down");
    Set<String> statusKeys = EventJson.toJson(link).fieldNames();
    Matcher m = Pattern.compile("readLinkChange\\(status\\) \\{\\s*return \\{(.*?)\\};", Pattern.DOTALL).matcher(js);
    assertTrue(m.find(), "readLinkChange in " + API);
    Matcher f = Pattern.compile("status\\.(\\w+)").matcher(m.group(1));
    int read = 0;
    while (f.find()) {
      assertTrue(statusKeys.contains(f.group(1)), f.group(1) + " of a link status event");
      read++;
    }
    assertEquals(3, read);
  }

  /** A summary of two devices after a tick in which one changed and one left: every field and key there is. */
  private static List<JsonObject> summaryJson() {
    DeviceEntry a = new DeviceEntry("r1", "10.0.0.1", List.of("core"), DeviceState.UP, 1e6, 2e6, 37.5, "ge-0/0/1", 4, 1, 2, 1,
        1_700_000_000_000L, List.of(new TopInterface("r1", 3, "ge-0/0/1", 37.5, 1e6, 2e6)),
        List.of(new TopInterface("r1", 3, "ge-0/0/1", 37.5, 1e6, 2e6)), "r1");
    DeviceEntry before = new DeviceEntry("r1", "10.0.0.1", List.of("core"), DeviceState.UNREACHABLE, Double.NaN, Double.NaN,
        Double.NaN, null, 4, 1, 2, 1, 1_699_999_999_000L, List.of(), List.of(), "r1");
    DeviceEntry gone = new DeviceEntry("r2", "10.0.0.2", List.of(), DeviceState.NO_DATA, Double.NaN, Double.NaN, Double.NaN, null,
        0, 0, 0, 0, -1, List.of(), List.of(), "r2");
    List<DeviceEntry> all = List.of(a);
    SummaryTick tick = new SummaryTick("e", 2, 1_700_000_000_500L, all,
        List.of(new SummaryTick.Change(a, a.changedSince(before), before)), List.of(gone), Fleet.of(all, null), TopLists.of(all, null));
    return List.of(ScopedSummary.snapshot(tick, null), new ScopedSummary(null).message(tick));
  }

  @Test
  void everySummaryFieldItReadsIsOneTheHubWrites() throws IOException {
    String js = api();
    List<JsonObject> both = summaryJson();
    JsonObject snapshot = both.get(0);
    JsonObject message = both.get(1);
    Set<String> top = new TreeSet<>(snapshot.fieldNames());
    top.addAll(message.fieldNames());
    assertEquals(top, new TreeSet<>(entries(block(js, "SUMMARY_FIELDS")).values()), "snapshot and message keys");
    JsonObject fleet = snapshot.getJsonObject("fleet");
    assertEquals(new TreeSet<>(fleet.fieldNames()), new TreeSet<>(entries(block(js, "FLEET_FIELDS")).values()), "fleet keys");
    assertEquals(new TreeSet<>(fleet.getJsonObject("alerts").fieldNames()), new TreeSet<>(entries(block(js, "severities")).values()),
        "alert severities");
    Set<String> labels = new TreeSet<>();
    for (DeviceState st : DeviceState.values()) labels.add(st.label);
    assertEquals(labels, new TreeSet<>(entries(block(js, "deviceStates")).values()), "device states");
    assertEquals(labels, new TreeSet<>(fleet.getJsonObject("states").fieldNames()), "the fleet counts every state");
    // The page shows every field of a device entry: the sets are equal, not merely included.
    JsonObject entry = snapshot.getJsonArray("devices").getJsonObject(0);
    assertEquals(new TreeSet<>(entry.fieldNames()), new TreeSet<>(entries(block(js, "DEVICE_ENTRY_FIELDS")).values()), "device entry keys");
    JsonObject tops = snapshot.getJsonObject("top");
    assertEquals(new TreeSet<>(tops.fieldNames()), new TreeSet<>(entries(block(js, "TOP_FIELDS")).values()), "top lists");
    assertEquals(new TreeSet<>(tops.getJsonArray("util").getJsonObject(0).fieldNames()),
        new TreeSet<>(entries(block(js, "TOP_ENTRY_FIELDS")).values()), "top entry keys");
  }

  @Test
  void noOtherFileOfTheDashboardSpellsAnAddress() throws IOException {
    Pattern address = Pattern.compile("['\"`]ifpulse\\.(traffic|status|traps|alerts|interest|poller|history|summary)");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(WEBROOT)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(API)).toList()) {
        Matcher m = address.matcher(Files.readString(f));
        while (m.find()) found.add(WEBROOT.relativize(f) + ": " + m.group());
      }
    }
    assertEquals(List.of(), found);
  }
}
