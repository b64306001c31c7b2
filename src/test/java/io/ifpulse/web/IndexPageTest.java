package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.testing.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page asks for every ES module of the dashboard at once (modulepreload) rather than one import
 * after another; a module added without its preload, or a preload of a module that is gone (a 404
 * on every page load), fails here.
 */
@Unit
class IndexPageTest {
  private static final Path WEBROOT = Path.of("webroot");
  /** Classic scripts, loaded by a plain script tag, not modules. */
  private static final String CLASSIC = "js/theme-init.js";

  @Test
  void preloadsExactlyTheModulesOfTheDashboard() throws IOException {
    TreeSet<String> modules = new TreeSet<>();
    try (Stream<Path> files = Files.walk(WEBROOT.resolve("js"))) {
      files.filter(p -> p.toString().endsWith(".js"))
          .map(p -> WEBROOT.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.equals(CLASSIC))
          .forEach(modules::add);
    }
    TreeSet<String> preloaded = new TreeSet<>();
    Matcher m = Pattern.compile("<link rel=\"modulepreload\" href=\"([^\"]+)\">")
        .matcher(Files.readString(WEBROOT.resolve("index.html")));
    while (m.find()) preloaded.add(m.group(1));
    assertEquals(modules, preloaded);
  }
}
