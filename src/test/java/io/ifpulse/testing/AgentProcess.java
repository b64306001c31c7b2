package io.ifpulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real agent running as a child process, with its own temp directory and a log file that holds
 * its stdout and stderr. Stopping it kills the process, waits for it and deletes the directory; a
 * JVM shutdown hook does the same if a test forgets to close it.
 */
final class AgentProcess {

  private final String name;
  private final Process process;
  private final Path tempDir;
  private final Path logFile;
  private final Thread shutdownHook;
  private boolean stopped;

  private AgentProcess(String name, Process process, Path tempDir, Path logFile) {
    this.name = name;
    this.process = process;
    this.tempDir = tempDir;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::stopQuietly, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts {@code command} in {@code tempDir}, stdout and stderr both to {@code logFile}. */
  static AgentProcess start(
      String name, List<String> command, Map<String, String> env, Path tempDir, Path logFile) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(tempDir.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      return new AgentProcess(name, pb.start(), tempDir, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Path tempDir() {
    return tempDir;
  }

  Path logFile() {
    return logFile;
  }

  String log() {
    try {
      return Files.exists(logFile)
          ? Files.readString(logFile, StandardCharsets.ISO_8859_1)
          : "(no log file " + logFile + ")";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** The log, shortened to its last {@code maxChars} characters. */
  String logTail(int maxChars) {
    String log = log();
    return log.length() <= maxChars ? log : "...\n" + log.substring(log.length() - maxChars);
  }

  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // called from the hook itself
    }
    process.destroy(); // SIGTERM
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteTree(tempDir);
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // best effort at JVM exit
    }
  }

  static Path createTempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + "]";
  }
}
