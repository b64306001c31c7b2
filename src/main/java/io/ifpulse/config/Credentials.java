package io.ifpulse.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The named credentials of this node's config file. Another node may have others: a device
 * naming a credential this node lacks is left to a node that has it.
 */
public record Credentials(Map<String, Credential> byName) {
  public static final Credentials NONE = new Credentials(Map.of());

  public Credentials {
    byName = Map.copyOf(byName);
  }

  /** The credential of this name, or null when this node does not have it. */
  public Credential get(String name) {
    return name == null ? null : byName.get(name);
  }

  public Set<String> names() {
    return new TreeSet<>(byName.keySet());
  }
}
