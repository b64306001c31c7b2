package io.ifpulse.web;

import io.ifpulse.auth.Account;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.registry.DeviceRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may see an interface group: an account sees it only if it may see every device the group's
 * rules name (not only those with a member interface now: members follow rediscovery). An account
 * limited to some devices does not see a group that names no device at all, since nothing shows
 * what it would come to hold. The same rule for the REST API and the bridge.
 */
final class GroupAccess {
  private final DeviceRegistry registry;
  private final Map<String, GroupConfig> groups = new LinkedHashMap<>();

  GroupAccess(DeviceRegistry registry, List<GroupConfig> groups) {
    this.registry = registry;
    for (GroupConfig g : groups) this.groups.put(g.name(), g);
  }

  GroupConfig group(String name) {
    return name == null ? null : groups.get(name);
  }

  List<GroupConfig> all() {
    return List.copyOf(groups.values());
  }

  List<String> deviceIds() {
    return registry.devices().stream().map(DeviceConfig::id).toList();
  }

  boolean sees(Account a, String name) {
    GroupConfig g = group(name);
    if (g == null) return false;
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
