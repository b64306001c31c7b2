package io.ifpulse.config;

import java.util.List;

/**
 * The whole validated configuration.
 *
 * @param maxInFlightTotal requests in flight across all devices at once
 * @param simulatorHost where embedded simulated agents listen
 * @param simulatorBasePort first simulated agent's port (0: any free ports)
 */
public record HubConfig(List<DeviceConfig> devices, int maxInFlightTotal, String simulatorHost, int simulatorBasePort) {

  public List<DeviceConfig> simulatedDevices() {
    return devices.stream().filter(d -> d.sim() != null).toList();
  }
}
