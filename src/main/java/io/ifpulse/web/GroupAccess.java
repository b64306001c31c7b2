package io.ifpulse.web;

import io.ifpulse.auth.Account;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.registry.GroupRegistry;
import java.util.List;

/**
 * Who may see an interface group: an account sees it only if it may see every device the group's
 * rules name (not only those with a member interface now: members follow rediscovery). An account
 * limited to some devices does not see a group that names no device at all, since nothing shows
 * what it would come to hold. The same rule for the REST API and the bridge.
 */
final class GroupAccess {
  private final DeviceRegistry registry;
  private final GroupRegistry groups;

  GroupAccess(DeviceRegistry registry, GroupRegistry groups) {
    this.registry = registry;
    this.groups = groups;
  }

  /** The groups as they are now: those of the config, overlaid with the REST API's changes. */
  GroupRegistry registry() {
    return groups;
  }

  GroupConfig group(String name) {
    return groups.group(name);
  }

  List<GroupConfig> all() {
    return groups.groups();
  }

  List<String> deviceIds() {
    return registry.devices().stream().map(DeviceConfig::id).toList();
  }

  boolean sees(Account a, String name) {
    GroupConfig g = group(name);
    return g != null && sees(a, g);
  }

  /** Whether the account may see this group (one it has, or one it is about to create). */
  boolean sees(Account a, GroupConfig g) {
    if (a.scope().unlimited()) return true;
    List<String> devices = g.memberDevices(deviceIds());
    if (devices.isEmpty()) return false;
    for (String id : devices) {
      DeviceConfig d = registry.device(id);
      if (d == null || !a.scope().permits(d.id(), d.tags())) return false;
    }
    return true;
  }
}
