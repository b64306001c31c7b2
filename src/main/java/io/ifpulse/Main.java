package io.ifpulse;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.poll.DeviceOwnership;
import io.ifpulse.poll.PollerVerticle;
import io.ifpulse.sim.SimDeviceSpec;
import io.ifpulse.sim.Simulator;
import io.ifpulse.tail.TailVerticle;
import io.ifpulse.alerts.AlertConfig;
import io.ifpulse.alerts.AlertsVerticle;
import io.ifpulse.history.HistoryVerticle;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.registry.LocalOverlayStore;
import io.ifpulse.web.WebVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Starts the hub: validates the whole config first (and stops with exit code 2 on a bad one,
 * before anything listens or sends), then starts the embedded simulated agents, then the poller.
 *
 * <pre>
 * ifpulse [--config FILE] [--print] [--check]
 *   --config FILE  config file (default: $IFPULSE_CONFIG, else conf/ifpulse.json)
 *   --print        write every sample and status change to stdout as JSON lines (logs go to stderr)
 *   --check        validate the config, print a summary and exit
 * </pre>
 */
public final class Main {
  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
  }

  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    Path configPath = null;
    boolean print = false;
    boolean check = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) usage("--config needs a file");
          configPath = Path.of(args[++i]);
        }
        case "--print" -> print = true;
        case "--check" -> check = true;
        case "-h", "--help" -> usage(null);
        default -> usage("unknown argument " + args[i]);
      }
    }
    Map<String, String> env = System.getenv();
    if (configPath == null) configPath = Path.of(env.getOrDefault("IFPULSE_CONFIG", "conf/ifpulse.json"));

    HubConfig config;
    try {
      config = ConfigLoader.load(configPath, env);
    } catch (ConfigException e) {
      System.err.println("ifpulse: bad configuration in " + configPath + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    if (check) {
      System.err.println("ifpulse: " + configPath + " is valid: " + config.devices().size() + " devices");
      config.devices().forEach(d -> System.err.println("  " + d + (d.enabled() ? "" : " (disabled)")));
      return;
    }
    try {
      start(config, print);
    } catch (Exception e) {
      System.err.println("ifpulse: cannot start: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * A started hub, for tests and for the run script alike.
   *
   * @param vertx the hub's Vert.x: poller and any consumer verticles (clustered in a cluster)
   * @param web the browser side's Vert.x, never clustered (see BrowserFanout); null without web
   * @param httpPort the dashboard's port, 0 without web
   */
  public record Hub(Vertx vertx, Vertx web, int httpPort, Simulator simulator, List<DeviceConfig> devices)
      implements AutoCloseable {
    @Override
    public void close() {
      if (web != null) web.close().await();
      vertx.close().await();
      if (simulator != null) simulator.close();
    }
  }

  public static Hub start(HubConfig config, boolean print) throws Exception {
    Simulator simulator = null;
    List<DeviceConfig> devices = new ArrayList<>(config.devices());
    List<SimDeviceSpec> specs = config.simulatedDevices().stream().map(DeviceConfig::sim).toList();
    if (!specs.isEmpty()) {
      simulator = Simulator.start(config.simulatorHost(), config.simulatorBasePort(), specs);
      for (int i = 0; i < devices.size(); i++) {
        DeviceConfig d = devices.get(i);
        if (d.sim() != null) devices.set(i, d.withEndpoint(config.simulatorHost(), simulator.port(d.id())));
      }
      LOG.info("simulator: " + specs.size() + " simulated agents on " + config.simulatorHost());
    }
    Vertx vertx = Vertx.vertx();
    DeviceRegistry registry = new DeviceRegistry(devices, config.defaults(), System.getenv(),
        new LocalOverlayStore(registryPath(config.registryFile())));
    if (print) {
      PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
      vertx.deployVerticle(new TailVerticle(registry, stdout, true)).await();
    }
    // The browser side and the history first, so that they see the very first status and samples.
    Vertx web = null;
    int httpPort = 0;
    if (config.web().enabled()) {
      web = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      web.deployVerticle(new HistoryVerticle(registry, config.historySeconds())).await();
      WebVerticle webVerticle = new WebVerticle(vertx, config.web(), registry, "webroot");
      web.deployVerticle(webVerticle).await();
      httpPort = webVerticle.actualPort();
    }
    vertx.deployVerticle(new AlertsVerticle(registry, AlertConfig.fromJson(config.alerts(), "alerts"))).await();
    vertx.deployVerticle(new PollerVerticle(registry, DeviceOwnership.everything(), config.maxInFlightTotal())).await();
    LOG.info("polling " + registry.devices().stream().filter(DeviceConfig::enabled).count() + " devices");
    if (web != null) System.err.println("ifpulse: dashboard at http://" + config.web().host() + ":" + httpPort + "/");
    return new Hub(vertx, web, httpPort, simulator, List.copyOf(devices));
  }

  /** "~/..." is the user's home: the default keeps run-time state out of the checkout. */
  static Path registryPath(String file) {
    return file.startsWith("~/") ? Path.of(System.getProperty("user.home"), file.substring(2)) : Path.of(file);
  }

  private static void usage(String problem) {
    PrintStream err = System.err;
    if (problem != null) err.println("ifpulse: " + problem);
    err.println("usage: ifpulse [--config FILE] [--print] [--check]");
    System.exit(problem == null ? 0 : 2);
  }
}
