package io.ifpulse.auth;

/**
 * Who is asking: a signed-in user, a bearer token, or nobody in particular on a hub that asks no
 * one ({@link #OPEN}). Carries no secret: it is what requests, bridge sockets and the audit know
 * of the caller.
 */
public record Account(String name, Kind kind, Role role, DeviceScope scope) {
  public enum Kind {
    USER,
    TOKEN,
    OPEN
  }

  /** Every request of a hub without sign-in: an operator of every device. */
  public static final Account OPEN = new Account("anonymous", Kind.OPEN, Role.OPERATOR, DeviceScope.ALL);

  public boolean may(Role needed) {
    return role.allows(needed);
  }

  /** "user alice", "token prometheus", "anonymous": for logs and the audit. */
  public String label() {
    return switch (kind) {
      case USER -> "user " + name;
      case TOKEN -> "token " + name;
      case OPEN -> "anonymous";
    };
  }
}
