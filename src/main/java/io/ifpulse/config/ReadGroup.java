package io.ifpulse.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Groups of per-interface objects a device can be asked for ({@code "read"} in the config). All of
 * them by default; a device whose agent is weak, or an operator who only wants bit rates, can read
 * fewer: every group left out is varbinds that neither the agent nor the hub handles.
 */
public enum ReadGroup {
  /** ifHCIn/OutOctets (or their 32-bit forms): bits per second and utilisation. */
  OCTETS,
  /** Unicast, multicast and broadcast packets in and out: packets per second. */
  PACKETS,
  ERRORS,
  DISCARDS,
  /**
   * ifOperStatus and ifCounterDiscontinuityTime. Without them the interface shows as "unknown",
   * and a counter reset of one interface is told from a wrap only by the plausibility check
   * (an agent restart is still seen through sysUpTime).
   */
  STATUS;

  public static final Set<ReadGroup> ALL = Set.copyOf(EnumSet.allOf(ReadGroup.class));

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ReadGroup parse(Object value, String path) {
    if (value instanceof String s) {
      for (ReadGroup g : values()) if (g.label().equals(s)) return g;
    }
    throw new ConfigException(path, value, "must be one of octets, packets, errors, discards, status");
  }
}
