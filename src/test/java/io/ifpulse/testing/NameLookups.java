package io.ifpulse.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shows whether code looks names up. A probe class's {@code main} runs in a JVM of its own whose
 * name service is a hosts file that answers every given name with {@link #ANSWER}, so a line of
 * output holding that address proves a lookup. A JVM of its own because the JDK reads {@code
 * jdk.net.hosts.file} once, at start; and no real DNS is asked, so the answer never depends on the
 * network this runs on.
 */
public final class NameLookups {
  /** What every probed name resolves to (the documentation prefix of RFC 3849). */
  public static final String ANSWER = "2001:db8:99:0:0:0:0:99";

  private NameLookups() {}

  /** The lines {@code probe.main(names)} prints, one per name by convention. */
  public static List<String> run(Class<?> probe, List<String> names) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("ifpulse-hosts");
    Path hosts = dir.resolve("hosts");
    try {
      Files.writeString(hosts, ANSWER + " " + String.join(" ", names) + "\n");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djdk.net.hosts.file=" + hosts, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          probe.getName()));
      command.addAll(names);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("probe " + probe.getName() + " did not finish: " + out);
      }
      if (p.exitValue() != 0) throw new AssertionError("probe " + probe.getName() + " failed: " + out);
      return out.lines().toList();
    } finally {
      Files.deleteIfExists(hosts);
      Files.deleteIfExists(dir);
    }
  }
}
