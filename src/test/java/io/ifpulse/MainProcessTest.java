package io.ifpulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub as an operator starts it: a separate JVM running Main. */
class MainProcessTest {
  @TempDir Path dir;

  private Process start(Path config, String... extra) throws Exception {
    return start(config, java.util.Map.of(), extra);
  }

  private Process start(Path config, java.util.Map<String, String> env, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.ifpulse.Main", "--config", config.toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void unknownTransportExitsWithTwoNamingVariableAndValue() throws Exception {
    Path cfg = dir.resolve("one.json");
    Files.writeString(cfg, """
        {"simulator": {"basePort": 0}, "web": {"port": 0},
         "devices": [{"id": "demo", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 10}}]}""");
    Process p = start(cfg, java.util.Map.of(IoTransport.ENV, "epol"));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits by itself");
    assertEquals(2, p.exitValue());
    String err = Files.readString(dir.resolve("stderr.txt"));
    assertTrue(err.contains("IFPULSE_TRANSPORT = \"epol\""), err);
    assertTrue(!err.contains("polling") && !err.contains("dashboard"), "nothing started: " + err);
  }

  @Test
  void badConfigExitsWithTwoNamingFieldAndValue() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, """
        {"devices": [{"id": "edge-1", "host": "127.0.0.1", "port": 99999, "community": "do-not-print"}]}""");
    Process p = start(bad);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits by itself");
    assertEquals(2, p.exitValue());
    String err = Files.readString(dir.resolve("stderr.txt"));
    assertTrue(err.contains("devices[0].port = 99999"), err);
    assertTrue(!err.contains("do-not-print"), "no secret in: " + err);
    assertTrue(!err.contains("polling"), "nothing started: " + err);
  }

  /** The traffic lines among stdout's lines, each of which must be one JSON object. */
  private static List<JsonObject> traffic(List<String> lines) {
    List<JsonObject> t = new ArrayList<>();
    for (String line : lines) {
      JsonObject j = new JsonObject(line);
      if ("traffic".equals(j.getString("type"))) t.add(j);
    }
    return t;
  }

  @Test
  void printWritesSamplesAsJsonLines() throws Exception {
    Path cfg = dir.resolve("one.json");
    Files.writeString(cfg, """
        {"simulator": {"basePort": 0}, "web": {"enabled": false}, "defaults": {"intervalMs": 1000},
         "devices": [{"id": "demo", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 10}}]}""");
    Process p = start(cfg, "--print");
    // Lines are read on a thread of their own, so a process that goes quiet cannot hold the test
    // past the bounded wait below.
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) lines.add(line);
      } catch (java.io.IOException closed) {
        // the process was stopped
      }
    }, "print-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      try {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> traffic(lines).size() >= 3);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("samples on stdout: " + lines + "; stderr: " + Files.readString(dir.resolve("stderr.txt")));
      }
      for (JsonObject j : traffic(lines)) {
        assertEquals("demo", j.getString("device"));
        assertEquals(2, j.getJsonArray("interfaces").size());
      }
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
