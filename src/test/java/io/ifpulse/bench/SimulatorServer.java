package io.ifpulse.bench;

import io.ifpulse.sim.SimDeviceSpec;
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
 * <pre>java -cp ... io.ifpulse.bench.SimulatorServer DEVICES INTERFACES BASE_PORT SECONDS CONFIG_OUT [INTERVAL_MS]</pre>
 */
public final class SimulatorServer {
  private SimulatorServer() {}

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(args[0]);
    int interfaces = Integer.parseInt(args[1]);
    int basePort = Integer.parseInt(args[2]);
    int seconds = Math.min(3600, Integer.parseInt(args[3]));
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
      Thread.sleep(seconds * 1000L);
      long varbinds = 0;
      for (var d : sim.devices()) varbinds += d.varbinds();
      System.err.println("simulator: answered " + varbinds + " varbinds");
    }
  }
}
