package io.ifpulse.config;

import java.util.List;

/**
 * The whole validated configuration.
 *
 * @param poller settings of the poller across its devices
 * @param simulatorHost where embedded simulated agents listen
 * @param simulatorBasePort first simulated agent's port (0: any free ports)
 * @param historySeconds how far back every interface's history reaches
 * @param alerts the thresholds of the alert rules
 * @param defaults the "defaults" section, for devices added at run time
 * @param registryFile where this node keeps the devices added, changed and removed at run time
 * @param credentials the named credentials of this node's config file
 * @param groups the interface groups of the config file, in its order
 */
public record HubConfig(List<DeviceConfig> devices, PollerConfig poller, String simulatorHost, int simulatorBasePort,
    WebConfig web, int historySeconds, AlertConfig alerts, io.vertx.core.json.JsonObject defaults,
    String registryFile, Credentials credentials, TrapsConfig traps, List<GroupConfig> groups) {

  /** A path of the config: "~/..." is the user's home, which keeps run-time state out of the checkout. */
  public static java.nio.file.Path localPath(String file) {
    return file.startsWith("~/") ? java.nio.file.Path.of(System.getProperty("user.home"), file.substring(2)) : java.nio.file.Path.of(file);
  }

  /**
   * Where the groups created, changed or removed over REST are kept: next to the registry file,
   * named after it ({@code devices.json} → {@code groups.json}, {@code node-1-devices.json} →
   * {@code node-1-groups.json}, {@code reg.json} → {@code reg.groups.json}), so that nodes that
   * share a directory with files of their own also have groups files of their own.
   */
  public static java.nio.file.Path groupsFile(java.nio.file.Path registryFile) {
    String name = registryFile.getFileName().toString();
    int at = name.lastIndexOf("devices");
    String groups = at >= 0 ? name.substring(0, at) + "groups" + name.substring(at + "devices".length())
        : (name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".groups.json";
    return registryFile.resolveSibling(groups);
  }

  public List<DeviceConfig> simulatedDevices() {
    return devices.stream().filter(d -> d.sim() != null).toList();
  }
}
