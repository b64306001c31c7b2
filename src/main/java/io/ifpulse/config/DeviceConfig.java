package io.ifpulse.config;

import io.ifpulse.config.SimDeviceSpec;

/**
 * One device to poll, validated. Timing is in milliseconds.
 *
 * @param intervalMs the base interval, while nobody watches the device
 * @param liveIntervalMs the interval while a browser or a verticle watches it
 * @param credentials the name of the credential in the config file's {@code credentials}, or null
 *     for a community or v3 block written in the device itself
 * @param credential how to talk to the agent, or null when this node does not have the named
 *     credential (another node of the cluster may)
 * @param maxInFlight requests in flight to this agent at once
 * @param maxReplyBytes the reply size each request is packed to fit
 * @param maxInterfaces the most interfaces discovery reads from the agent: rows beyond are not
 *     walked, and the device says so (status {@code limited})
 * @param plausibilityFactor a rate above speed × this is rejected as a glitch
 * @param read the groups of interface objects each poll reads
 * @param tags labels for grouping and access (a user may be limited to devices of some tags)
 * @param sim the simulated agent that serves this device, or null for a real one
 * @param trapSource the address (and port) its notifications come from when that is not its polled
 *     host, or null (io.ifpulse.traps.SourceMatcher)
 */
public record DeviceConfig(
    String id,
    String host,
    int port,
    String credentials,
    Credential credential,
    long intervalMs,
    long liveIntervalMs,
    long timeoutMs,
    int retries,
    int maxInFlight,
    int maxReplyBytes,
    int maxInterfaces,
    long discoveryIntervalMs,
    double plausibilityFactor,
    boolean enabled,
    InterfaceFilter filter,
    java.util.Set<ReadGroup> read,
    java.util.List<String> tags,
    SimDeviceSpec sim,
    TrapSource trapSource) {

  /**
   * What a device id may be: 1–64 letters, digits, {@code _}, {@code .}, {@code :} and {@code -},
   * starting with a letter or digit. Ids become part of event-bus addresses, so the bridge's
   * permitted address patterns are built from this one (io.ifpulse.events.Addresses).
   */
  /** The default of {@code maxInterfaces}: the largest chassis seen in practice, with room to spare. */
  public static final int DEFAULT_MAX_INTERFACES = 10_000;
  /** What {@code maxInterfaces} may be set to: discovery holds this many rows of ten columns. */
  public static final int MAX_MAX_INTERFACES = 100_000;

  public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

  public DeviceConfig withEndpoint(String newHost, int newPort) {
    return new DeviceConfig(id, newHost, newPort, credentials, credential, intervalMs, liveIntervalMs, timeoutMs, retries,
        maxInFlight, maxReplyBytes, maxInterfaces, discoveryIntervalMs, plausibilityFactor, enabled, filter, read, tags, sim, trapSource);
  }


  /** The SNMP version, or null when this node lacks the credential. */
  public SnmpVersion version() {
    return credential == null ? null : credential.version();
  }

  public Secret community() {
    return credential == null ? null : credential.community();
  }

  public V3Security v3() {
    return credential == null ? null : credential.v3();
  }

  /**
   * Whether {@code intervalMs}, the interval of a sample of this device, is its live interval: a
   * watcher has it polled faster than its base interval. The REST API's {@code live} says this.
   */
  public boolean isLive(long intervalMs) {
    return intervalMs == liveIntervalMs && liveIntervalMs < this.intervalMs;
  }

  /** The credential's name for answers, events and logs: a name or "(inline)", never a secret. */
  public String credentialsLabel() {
    return credentials != null ? credentials : "(inline)";
  }

  /** For logs: everything but secrets. */
  @Override
  public String toString() {
    return "device " + id + " (" + (credential == null ? credentialsLabel() + ", not here" : credential.version().label) + " " + host + ":"
        + port + ")";
  }
}
