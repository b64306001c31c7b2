package io.ifpulse.config;

import io.ifpulse.sim.SimDeviceSpec;

/**
 * One device to poll, validated. Timing is in milliseconds.
 *
 * @param intervalMs the base interval, while nobody watches the device
 * @param liveIntervalMs the interval while a browser or a verticle watches it
 * @param community v1/v2c community (null for v3)
 * @param v3 v3 security (null for v1/v2c)
 * @param maxInFlight requests in flight to this agent at once
 * @param maxReplyBytes the reply size each request is packed to fit
 * @param plausibilityFactor a rate above speed × this is rejected as a glitch
 * @param read the groups of interface objects each poll reads
 * @param tags labels for grouping and access (a user may be limited to devices of some tags)
 * @param sim the simulated agent that serves this device, or null for a real one
 */
public record DeviceConfig(
    String id,
    String host,
    int port,
    SnmpVersion version,
    Secret community,
    V3Security v3,
    long intervalMs,
    long liveIntervalMs,
    long timeoutMs,
    int retries,
    int maxInFlight,
    int maxReplyBytes,
    long discoveryIntervalMs,
    double plausibilityFactor,
    boolean enabled,
    InterfaceFilter filter,
    java.util.Set<ReadGroup> read,
    java.util.List<String> tags,
    SimDeviceSpec sim) {

  public DeviceConfig withEndpoint(String newHost, int newPort) {
    return new DeviceConfig(id, newHost, newPort, version, community, v3, intervalMs, liveIntervalMs, timeoutMs, retries,
        maxInFlight, maxReplyBytes, discoveryIntervalMs, plausibilityFactor, enabled, filter, read, tags, sim);
  }


  /** For logs: everything but secrets. */
  @Override
  public String toString() {
    return "device " + id + " (" + version.label + " " + host + ":" + port + ")";
  }
}
