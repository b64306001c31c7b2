package io.ifpulse.registry;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.GroupConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * The interface groups: those of the config file, overlaid with what operators created, changed or
 * removed over the REST API, kept exactly as the devices' changes are ({@link Overlaid}: a file of
 * its own next to the registry file, and in a cluster the sealed map {@code ifpulse.groups}).
 * Thread-safe: read from any verticle, changed through the REST API of any node.
 */
public final class GroupRegistry {
  private final Overlaid<GroupConfig> groups;

  /** Exactly these groups, changed only in memory (tests, tools). */
  public static GroupRegistry fixed(List<GroupConfig> groups) {
    return new GroupRegistry(groups, OverlayStore.inMemory());
  }

  public GroupRegistry(List<GroupConfig> configured, OverlayStore store) {
    this.groups = new Overlaid<>("group", configured, GroupConfig::name, (name, entry) -> ConfigLoader.group(name, entry, "group"), store);
  }

  public List<GroupConfig> groups() {
    return groups.all();
  }

  /** The group of this name, or null. */
  public GroupConfig group(String name) {
    return groups.get(name);
  }

  /** Who changed which group, newest first. */
  public ChangeAudit audit() {
    return groups.audit();
  }

  /** Called (on any thread) with the name of a group created, changed or removed. */
  public void onChange(Consumer<String> listener) {
    groups.onChange(listener);
  }

  /**
   * Validates a group as the config file's {@code "groups"} would ({@code {"members": [...]}}) and
   * stores it, creating or replacing; fails with the ConfigException naming field and value, or
   * with {@link RegistryUnavailable} when it could not be kept.
   *
   * @param change who makes it: {@code {"by", "from"}}, stored with the entry for the audit
   */
  public Future<GroupConfig> put(String name, JsonObject entry, JsonObject change) {
    GroupConfig parsed;
    try {
      parsed = validate(name, entry);
      if (group(name) == null && groups().size() >= GroupConfig.MAX_GROUPS) {
        // Every group is matched against every device and sample: their number is bounded as in the config.
        throw new ConfigException("group", name, "would be one group more than " + GroupConfig.MAX_GROUPS);
      }
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return groups.put(name, entry, change).map(parsed);
  }

  /** The checks of a REST body, with the config file's rules; throws ConfigException. */
  public static GroupConfig validate(String name, JsonObject entry) {
    return ConfigLoader.group(name, entry, "group");
  }

  /** Removes a group (of the config too: a tombstone hides it); false when there is no such group. */
  public Future<Boolean> remove(String name, JsonObject change) {
    return groups.remove(name, change);
  }
}
