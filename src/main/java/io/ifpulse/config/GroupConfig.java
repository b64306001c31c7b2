package io.ifpulse.config;

import java.util.List;
import java.util.Objects;

/**
 * A named interface group (the {@code "groups"} object of the config, or a body of the REST API):
 * the interfaces of its members, summed into one sample a second on {@code ifpulse.group.<name>}.
 *
 * @param name the group's name, spelled like a device id (it ends an event-bus address)
 * @param members which interfaces of which devices belong to it; at least one
 * @param alerts the thresholds of the group's {@code utilisation} alert (the config's
 *     {@code "alerts": {"utilisation": {...}}}, each key defaulting to the global {@code "alerts"});
 *     null for the global ones
 */
public record GroupConfig(String name, List<Member> members, AlertConfig alerts) {

  /** Group names: what a device id may be, so the bridge's patterns cover them the same way. */
  public static final String NAME_PATTERN = DeviceConfig.ID_PATTERN;
  /** A device glob: device-id characters, {@code *} (any run) and {@code ?} (one character). */
  public static final String DEVICE_GLOB_PATTERN = "[A-Za-z0-9_.:*?-]{1,64}";
  /** Bounds on what one group may name: each member is matched against every device and interface. */
  public static final int MAX_MEMBERS = 64;
  public static final int MAX_GROUPS = 1000;

  public GroupConfig {
    Objects.requireNonNull(name, "name");
    members = List.copyOf(members);
  }

  /** A group alerted with the global thresholds. */
  public GroupConfig(String name, List<Member> members) {
    this(name, members, null);
  }

  /** The thresholds of the group's utilisation alert: its own, or else {@code global}. */
  public AlertConfig alertsOr(AlertConfig global) {
    return alerts != null ? alerts : global;
  }

  /**
   * One member rule: the interfaces of the devices whose id matches {@code device} that the
   * filter keeps (the same filter as a device's {@code "interfaces"}: RE2/J regexes, linear time).
   *
   * @param device a glob over device ids ({@code core-*})
   */
  public record Member(String device, InterfaceFilter interfaces) {
    public Member {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(interfaces, "interfaces");
    }

    /** Whether {@code deviceId} matches the glob; linear in the two lengths (no backtracking). */
    public boolean matchesDevice(String deviceId) {
      return Glob.matches(device, deviceId);
    }
  }

  /**
   * The devices among {@code deviceIds} that some rule names, whether or not any of their
   * interfaces is a member now: what an account must be allowed to see to see the group, since
   * its members follow rediscovery and may come to include any interface of these devices.
   */
  public java.util.List<String> memberDevices(java.util.Collection<String> deviceIds) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String id : deviceIds) {
      for (Member m : members) {
        if (m.matchesDevice(id)) {
          out.add(id);
          break;
        }
      }
    }
    return out;
  }

  /** The rules as the config writes them, without the interface filters' patterns (for listings). */
  public io.vertx.core.json.JsonObject describe(java.util.Collection<String> deviceIds) {
    io.vertx.core.json.JsonArray rules = new io.vertx.core.json.JsonArray();
    for (Member m : members) rules.add(new io.vertx.core.json.JsonObject().put("device", m.device()));
    return new io.vertx.core.json.JsonObject().put("name", name).put("rules", rules)
        .put("devices", new io.vertx.core.json.JsonArray(memberDevices(deviceIds)));
  }
}
