package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            "alerts", Addresses.ALERTS,
            "interest", Addresses.INTEREST),
        a);
    // And the bridge lets a browser do with them what the dashboard does.
    assertTrue(Addresses.browserReceives(a.get("traffic").replace("${id}", "core-sw1")));
    assertTrue(Addresses.browserReceives(a.get("status").replace("${id}", "core-sw1")));
    assertTrue(Addresses.browserReceives(a.get("alerts")));
    assertEquals(Addresses.BROWSER_SENDS, a.get("interest"));
  }

  @Test
  void theWatchMessageIsTheOneTheBridgeAccepts() throws IOException {
    Matcher m = Pattern.compile("watchMessage = \\(id\\) => \\(\\{ (\\w+): '(\\w+)', (\\w+): id \\}\\)").matcher(api());
    assertTrue(m.find(), "watchMessage in " + API);
    assertEquals(List.of(Interest.TYPE_FIELD, Interest.WATCH, Interest.DEVICE_FIELD), List.of(m.group(1), m.group(2), m.group(3)));
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
  void noOtherFileOfTheDashboardSpellsAnAddress() throws IOException {
    Pattern address = Pattern.compile("['\"`]ifpulse\\.(traffic|status|alerts|interest|poller|history)");
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
