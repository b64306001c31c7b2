package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/EVENTS.md is what users read of the bus: every address of {@link Addresses} and every field
 * the encoder writes is in its tables, and everything in its tables exists. A field or an address
 * added, renamed or dropped on one side only fails here.
 */
@Unit
class EventsDocTest {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  /** The doc's sections by heading ("" for what comes before the first), each as its lines. */
  private static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

  @BeforeAll
  static void read() throws IOException {
    String heading = "";
    SECTIONS.put(heading, new ArrayList<>());
    for (String line : Files.readAllLines(Path.of("docs/EVENTS.md"))) {
      if (line.startsWith("## ")) {
        heading = line.substring(3);
        SECTIONS.put(heading, new ArrayList<>());
      } else {
        SECTIONS.get(heading).add(line);
      }
    }
  }

  private static List<String> section(String headingStart) {
    for (Map.Entry<String, List<String>> e : SECTIONS.entrySet()) if (e.getKey().startsWith(headingStart)) return e.getValue();
    throw new AssertionError("no section " + headingStart + " in docs/EVENTS.md");
  }

  /** The rows of the n-th table (0-based) of a section, each as its cells. */
  private static List<List<String>> table(List<String> lines, int n) {
    List<List<List<String>>> tables = new ArrayList<>();
    List<List<String>> current = null;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        current = null;
        continue;
      }
      if (current == null) {
        current = new ArrayList<>();
        tables.add(current);
        continue; // the header
      }
      if (line.startsWith("|---")) continue;
      List<String> cells = new ArrayList<>();
      for (String c : line.substring(1, line.lastIndexOf('|')).split("\\|")) cells.add(c.trim());
      current.add(cells);
    }
    return tables.get(n);
  }

  private static List<String> code(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** The names in the first column of a table. */
  private static Set<String> names(List<List<String>> rows) {
    Set<String> out = new TreeSet<>();
    for (List<String> row : rows) out.addAll(code(row.get(0)));
    return out;
  }

  private static List<String> row(List<List<String>> rows, String name) {
    for (List<String> row : rows) if (code(row.get(0)).contains(name)) return row;
    throw new AssertionError("no row " + name);
  }

  private static Set<String> keys(Object event) {
    return new TreeSet<>(EventJson.toJson(event).fieldNames());
  }

  @Test
  void everyAddressIsInTheTableAndEveryAddressThereExists() throws Exception {
    Set<String> documented = new TreeSet<>();
    for (List<String> row : table(SECTIONS.get(""), 0)) {
      String last = null;
      for (String a : code(row.get(0))) {
        // "`ifpulse.history.devices`, `.device`, `.series`": the last part replaced.
        String full = a.startsWith(".") && last != null ? last.substring(0, last.lastIndexOf('.')) + a : a;
        documented.add(full);
        last = full;
      }
    }
    Set<String> defined = new TreeSet<>();
    for (Field f : Addresses.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) continue;
      String v = (String) f.get(null);
      if (!v.startsWith("ifpulse.")) continue; // the patterns
      defined.add(v.equals(Addresses.GROUP_PREFIX) ? v + "<name>" : v.endsWith(".") ? v + "<deviceId>" : v);
    }
    assertEquals(defined, documented);
  }

  @Test
  void theSampleTablesAreTheFieldsTheEncoderWrites() {
    Set<String> sample = new TreeSet<>();
    Set<String> iface = new TreeSet<>();
    for (String line : TrafficSampleJsonTest.golden()) {
      JsonObject s = new JsonObject(line);
      sample.addAll(s.fieldNames());
      for (Object i : s.getJsonArray("interfaces")) iface.addAll(((JsonObject) i).fieldNames());
    }
    List<String> doc = section("`ifpulse.traffic.<deviceId>`");
    assertEquals(sample, names(table(doc, 0)), "the sample's table");
    assertEquals(iface, names(table(doc, 1)), "the interface's table");
    String text = String.join("\n", doc);
    for (InterfaceSample.State s : InterfaceSample.State.values()) assertTrue(text.contains("`" + s.label + "`"), s.label);
    for (InterfaceSample.Gap g : InterfaceSample.Gap.values()) assertTrue(text.contains("`" + g.label + "`"), g.label);
  }

  @Test
  void theStatusTableIsTheFieldsTheEncoderWrites() {
    StatusEvent.Interface i = new StatusEvent.Interface(1, "eth0", "Ethernet", "uplink", 6, 1_000_000_000L, "up", "up", true);
    StatusEvent full = StatusEvent.of("sw1", 1L, StatusEvent.Event.INTERFACES_CHANGED, true, "h", 161, "v2c", "c").withError("e")
        .withInterfaces(List.of(i), 1).withChanges(List.of(1), List.of()).withStats(new JsonObject().put("requests", 1))
        .withLink(1, "eth0", "down");
    List<List<String>> rows = table(section("`ifpulse.status.<deviceId>`"), 0);
    assertEquals(keys(full), names(rows));
    // The interfaces' fields, listed in their row.
    String interfaces = row(rows, "interfaces").get(2);
    assertEquals(keys(i), new TreeSet<>(code(interfaces.substring(interfaces.indexOf('('), interfaces.indexOf(')')))));
    Set<String> events = new TreeSet<>();
    for (StatusEvent.Event e : StatusEvent.Event.values()) events.add(e.label);
    assertEquals(events, new TreeSet<>(code(row(rows, "event").get(2))));
  }

  @Test
  void theAlertTablesAreTheFieldsAndKindsTheEncoderWrites() {
    AlertEvent removed = new AlertEvent("sw1", 1, "eth0", AlertEvent.Kind.UTILISATION, AlertEvent.State.CLEARED,
        AlertEvent.Severity.WARNING, 50.0, 80.0, 1L, 2L, "removed");
    AlertEvent group = AlertEvent.ofGroup("transit", AlertEvent.Kind.UTILISATION, AlertEvent.State.RAISED,
        AlertEvent.Severity.WARNING, 95.0, 90.0, 1L, 2L, null);
    List<String> doc = section("`ifpulse.alerts` —");
    Set<String> fields = new TreeSet<>(keys(removed));
    fields.addAll(keys(group)); // a group's alert has "group" in place of "device"
    assertEquals(fields, names(table(doc, 0)));
    Set<String> kinds = new TreeSet<>();
    for (AlertEvent.Kind k : AlertEvent.Kind.values()) kinds.add(k.label);
    assertEquals(kinds, names(table(doc, 1)), "the kinds' table");
  }

  @Test
  void theNotificationTablesAreTheFieldsTheEncoderWrites() {
    Notification n = new Notification("sw1", 1L, "10.0.0.1:1162", "v2c", "trap", "linkDown", "1.3.6.1.6.3.1.1.5.3", 2, "down",
        List.of(new Notification.Varbind("1.3.6.1.2.1.2.2.1.1.2", "Integer32", "2")), false);
    List<String> doc = section("`ifpulse.traps.<deviceId>`");
    assertEquals(new TreeSet<>(n.toJson().fieldNames()), names(table(doc, 0)));
    assertEquals(new TreeSet<>(n.toJson().getJsonArray("varbinds").getJsonObject(0).fieldNames()), names(table(doc, 1)), "a varbind");
  }

  @Test
  void theGroupTablesAreTheFieldsTheEncoderWrites() {
    Set<String> sample = new TreeSet<>();
    Set<String> member = new TreeSet<>();
    for (String line : GroupSampleJsonTest.golden()) {
      JsonObject s = new JsonObject(line);
      sample.addAll(s.fieldNames());
      for (Object m : s.getJsonArray("stack")) member.addAll(((JsonObject) m).fieldNames());
    }
    List<String> doc = section("`ifpulse.group.<name>`");
    assertEquals(sample, names(table(doc, 0)), "the group sample's table");
    assertEquals(member, names(table(doc, 1)), "the stack's table");
  }

  @Test
  void theInterestTableIsTheDeclarationsFields() {
    JsonObject all = new Interest("sw1", "me", 15_000L, true).toJson();
    assertEquals(new TreeSet<>(all.fieldNames()), names(table(section("`ifpulse.interest`"), 0)));
  }
}
