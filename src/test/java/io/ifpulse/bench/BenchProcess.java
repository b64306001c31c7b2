package io.ifpulse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the benchmark starts and measures: its CPU time comes from {@code /proc/<pid>/stat}
 * (utime + stime, all threads), its output lines are kept for the driver to wait on, and it is
 * killed when the benchmark ends, however it ends.
 */
final class BenchProcess implements AutoCloseable {
  /** Clock ticks per second of /proc times; 100 on every Linux this runs on, checked at start. */
  static final long CLK_TCK = clockTicks();

  final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Writer stdin;

  private BenchProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          Writer out = Files.newBufferedWriter(log)) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
          out.write(l);
          out.write('\n');
          out.flush();
        }
      } catch (IOException e) {
        // process gone
      }
    }, "bench-out-" + name);
    reader.setDaemon(true);
    reader.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  /** Starts a command; its output (stdout and stderr) is kept for {@link #await} and copied to {@code log}. */
  static BenchProcess start(String name, List<String> command, Path log, java.util.Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new BenchProcess(name, pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** CPU seconds used so far by the process (all its threads). */
  double cpuSeconds() {
    return cpuSeconds(process.pid());
  }

  /** CPU seconds of a process from /proc (utime + stime, in 10 ms ticks). */
  static double cpuSeconds(long pid) {
    try {
      return cpuSecondsOfStat(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone", e);
    }
  }

  /**
   * CPU seconds of the JVM's JIT compiler threads ({@code C1/C2 CompilerThre...} in
   * /proc/<pid>/task): how much of a JVM's CPU is still warming up rather than doing its work.
   */
  double jitCpuSeconds() {
    double sum = 0;
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) sum += cpuSecondsOfStat(stat);
        } catch (IOException threadGone) {
          // a thread that ended between list and read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("process " + process.pid() + " is gone", e);
    }
    return sum;
  }

  static double cpuSecondsOfStat(String stat) {
    // The command name (field 2) may hold spaces; the fields after it are fixed.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLK_TCK; // utime, stime: fields 14, 15
  }

  /** The next output line that matches, within the time given; fails if the process died first. */
  String await(Predicate<String> match, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l != null && match.test(l)) return l;
      if (l == null && !process.isAlive() && lines.isEmpty()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " (see its log)");
      }
    }
    throw new IllegalStateException(name + ": nothing matching within " + within);
  }

  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
