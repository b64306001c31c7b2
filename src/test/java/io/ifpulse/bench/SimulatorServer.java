package io.ifpulse.bench;

import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.sim.Simulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated agents in a process of their own, for measurements where the hub's CPU must not mix
 * with the agents': starts DEVICES devices of INTERFACES steady HC interfaces each on consecutive
 * ports from BASE_PORT, writes a hub config pointing at them, and runs for SECONDS (bounded).
 *
 * <p>On standard input it takes commands, one per line, for the benchmark that drives it:
 * {@code stats} prints one JSON line of what the agents answered so far (requests, varbinds, the
 * I/O thread's CPU time); {@code delay MS} makes every agent answer MS milliseconds late (a round
 * trip, where {@code tc netem} is not available); {@code quit}, or the end of input, stops it.
 *
 * <pre>java -cp ... io.ifpulse.bench.SimulatorServer DEVICES INTERFACES BASE_PORT SECONDS CONFIG_OUT [INTERVAL_MS]</pre>
 */
public final class SimulatorServer {
  private SimulatorServer() {}

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(args[0]);
    int interfaces = Integer.parseInt(args[1]);
    int basePort = Integer.parseInt(args[2]);
    // Bounded to a week: long enough for a soak, never forever.
    int seconds = Math.min(7 * 24 * 3600, Integer.parseInt(args[3]));
    Path out = Path.of(args[4]);
    long intervalMs = args.length > 5 ? Long.parseLong(args[5]) : 1000;
    List<SimDeviceSpec> specs = new ArrayList<>();
    JsonArray entries = new JsonArray();
    for (int i = 0; i < devices; i++) {
      String id = String.format("bench-%03d", i);
      specs.add(SimDeviceSpec.fromJson(id, "public",
          new JsonObject().put("model", "steady").put("interfaces", interfaces).put("rateMbps", 10), "sim"));
      entries.add(new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", basePort + i));
    }
    try (Simulator sim = Simulator.start("127.0.0.1", basePort, specs)) {
      JsonObject cfg = new JsonObject()
          .put("defaults", new JsonObject().put("intervalMs", intervalMs).put("liveIntervalMs", intervalMs)
              .put("timeoutMs", 1000).put("retries", 1).put("maxInFlight", 8))
          .put("web", new JsonObject().put("port", 0))
          .put("devices", entries);
      Files.writeString(out, cfg.encodePrettily());
      System.err.println("simulator: " + devices + " x " + interfaces + " interfaces on 127.0.0.1:" + basePort + "+, io thread "
          + sim.ioThreadId() + "; config " + out);
      System.out.println("ready");
      System.out.flush();
      Thread control = new Thread(() -> {
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))) {
          for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
            if (line.equals("stats")) {
              System.out.println(stats(sim).encode());
              System.out.flush();
            } else if (line.startsWith("delay ")) {
              double ms = Double.parseDouble(line.substring(6).trim());
              for (var d : sim.devices()) d.setDelayMs(ms);
              System.out.println("delay " + ms);
              System.out.flush();
            }
          }
        } catch (java.io.IOException e) {
          // the driver went away: stop as on quit
        }
      }, "simulator-control");
      control.setDaemon(true);
      control.start();
      control.join(seconds * 1000L);
      System.err.println("simulator: answered " + stats(sim).getLong("varbinds") + " varbinds");
    }
  }

  private static JsonObject stats(Simulator sim) {
    long requests = 0;
    long varbinds = 0;
    for (var d : sim.devices()) {
      requests += d.requests();
      varbinds += d.varbinds();
    }
    long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(sim.ioThreadId());
    return new JsonObject().put("requests", requests).put("varbinds", varbinds).put("ioThreadCpuNanos", cpu);
  }
}
