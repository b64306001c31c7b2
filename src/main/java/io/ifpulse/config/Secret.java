package io.ifpulse.config;

/**
 * A community string or v3 passphrase. Prints as {@code <secret>} so that it can never leak into
 * logs, events or error messages by accident; call {@link #reveal()} only where it is handed to
 * SNMP.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = value;
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value == null || value.isEmpty();
  }

  @Override
  public String toString() {
    return "<secret>";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && java.util.Objects.equals(s.value, value);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(value);
  }
}
