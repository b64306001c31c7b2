package io.ifpulse.testing;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.poll.HandoverStore;
import io.ifpulse.sim.SimDevice;
import io.ifpulse.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The devices of a JSON hub config, each answered by the project's simulator on a free
 * 127.0.0.1 port, and the same devices' configs pointed at those ports: "config → simulator →
 * endpoint" in one place, so a test states only the devices it needs and what it asserts.
 *
 * <pre>
 * try (SimulatedDevices sim = SimulatedDevices.start("""
 *     {"defaults": {"intervalMs": 1000},
 *      "devices": [{"id": "d", "sim": {"model": "steady", "interfaces": 3}}]}""");
 *     PollerHarness h = sim.poll()) { ... }
 * </pre>
 */
public final class SimulatedDevices implements AutoCloseable {
  private final HubConfig config;
  private final Simulator simulator;
  private final List<DeviceConfig> devices;

  private SimulatedDevices(HubConfig config, Simulator simulator) {
    this.config = config;
    this.simulator = simulator;
    this.devices = config.devices().stream().map(d -> d.withEndpoint("127.0.0.1", simulator.port(d.id()))).toList();
  }

  /** Parses a hub config ({"devices": [...], "defaults", "poller", ...}) and starts its simulated devices. */
  public static SimulatedDevices start(String json) throws IOException {
    return start(new JsonObject(json));
  }

  public static SimulatedDevices start(JsonObject json) throws IOException {
    JsonObject cfg = json.copy();
    // Free ports only: two tests never race for a fixed base port.
    cfg.put("simulator", cfg.getJsonObject("simulator", new JsonObject()).put("basePort", 0));
    HubConfig config = ConfigLoader.parse(cfg, Map.of());
    Simulator sim = Simulator.start("127.0.0.1", 0, config.simulatedDevices().stream().map(DeviceConfig::sim).toList());
    return new SimulatedDevices(config, sim);
  }

  /** The parsed config as written (endpoints not yet pointed at the simulator). */
  public HubConfig config() {
    return config;
  }

  /** Every device of the config, polling its simulated agent. */
  public List<DeviceConfig> devices() {
    return devices;
  }

  public DeviceConfig config(String id) {
    return devices.stream().filter(d -> d.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no device " + id));
  }

  public Simulator simulator() {
    return simulator;
  }

  /** The simulated agent of one device: its ground truth, its request counters, its faults. */
  public SimDevice device(String id) {
    return simulator.device(id);
  }

  public int port(String id) {
    return simulator.port(id);
  }

  /** The real poller on all the devices, with the config's poller settings. */
  public PollerHarness poll() {
    return PollerHarness.start(devices, config.poller(), HandoverStore.none());
  }

  public PollerHarness poll(int maxInFlightTotal) {
    return PollerHarness.start(devices, maxInFlightTotal);
  }

  @Override
  public void close() {
    simulator.close();
  }
}
