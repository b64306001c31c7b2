package io.ifpulse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.ifpulse.testing.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walls between the packages, checked on every build: a change that breaks one fails here,
 * with the offending dependency named, instead of being noticed in a review or not at all.
 *
 * <ul>
 *   <li>no package cycles: each package can be read, tested and changed from its dependencies up;
 *   <li>{@code config} knows no other package of ours: everything reads it, it reads nothing;
 *   <li>{@code sim} is a stand-in agent: it knows nothing of how the hub polls, decodes or
 *       computes, or its ground truth would not be independent;
 *   <li>{@code snmp} is transport: nothing of the cluster, the web side or the registry;
 *   <li>{@code poll} sees no SNMP4J type: what it asks and what the replies say are plain values,
 *       and the checking of replies against requests lives beside SNMP4J in {@code snmp};
 *   <li>{@code rate} is the arithmetic alone: the JDK and nothing else, so every case is a table row;
 *   <li>{@code web} never sees how devices are polled ({@code snmp}, {@code poll}, {@code
 *       discovery}): it knows the hub only through the bus contract of {@code events} and the
 *       answers of the history, so it serves a node that polls nothing exactly as one that does.
 * </ul>
 */
@Unit
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void load() throws Exception {
    // The production classes only, from where Main was loaded (the build directory can move:
    // ifpulse.buildDir); scanning the whole class path for the package took seconds more.
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    main = new ClassFileImporter().importPath(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.ifpulse.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void configKnowsNoOtherPackage() {
    // RE2/J: interface filters match agent-supplied text in linear time (InterfaceFilter).
    noClasses().that().resideInAPackage("io.ifpulse.config..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.ifpulse.config..", "java..", "javax..", "io.vertx.core.json..",
            "com.google.re2j..")
        .check(main);
  }

  @Test
  void theSimulatorKnowsNothingOfPollingDecodingOrRates() {
    noClasses().that().resideInAPackage("io.ifpulse.sim..")
        .should().dependOnClassesThat().resideInAnyPackage("io.ifpulse.poll..", "io.ifpulse.rate..", "io.ifpulse.snmp..",
            "io.ifpulse.discovery..")
        .check(main);
  }

  @Test
  void pollSeesNoSnmp4jType() {
    noClasses().that().resideInAPackage("io.ifpulse.poll..")
        .should().dependOnClassesThat().resideInAPackage("org.snmp4j..")
        .check(main);
  }

  @Test
  void rateNeedsNothingButTheJdk() {
    noClasses().that().resideInAPackage("io.ifpulse.rate..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.ifpulse.rate..", "java..")
        .check(main);
  }

  @Test
  void webNeverImportsSnmpPollOrDiscovery() throws Exception {
    noClasses().that().resideInAPackage("io.ifpulse.web..")
        .should().dependOnClassesThat().resideInAnyPackage("io.ifpulse.snmp..", "io.ifpulse.poll..", "io.ifpulse.discovery..")
        .check(main);
    // A constant (an address string) is copied into the class that uses it, so the class file no
    // longer names where it came from: the sources are read as well.
    Path web = Path.of("src/main/java/io/ifpulse/web");
    Pattern forbidden = Pattern.compile("\\bio\\.ifpulse\\.(snmp|poll|discovery)\\b");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(web)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = forbidden.matcher(Files.readString(f));
        while (m.find()) found.add(web.relativize(f) + ": " + m.group());
      }
    }
    assertEquals(List.of(), found, "web names snmp, poll or discovery");
  }

  @Test
  void snmpIsTransportOnly() {
    noClasses().that().resideInAPackage("io.ifpulse.snmp..")
        .should().dependOnClassesThat().resideInAnyPackage("io.ifpulse.cluster..", "io.ifpulse.web..", "io.ifpulse.registry..")
        .check(main);
  }
}
