package io.ifpulse.auth;

import java.util.Locale;

/**
 * What an account may do. A viewer reads: the dashboard, the read API, {@code /metrics} and the
 * bridge. An operator also adds, changes and removes devices. Each is checked at the route, not
 * only in the dashboard.
 */
public enum Role {
  VIEWER,
  OPERATOR;

  /** The word used in files, on the command line and in answers. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this role may do what {@code needed} may. */
  public boolean allows(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  /** The role a word names, or null. */
  public static Role parse(String word) {
    for (Role r : values()) if (r.word().equals(word)) return r;
    return null;
  }
}
