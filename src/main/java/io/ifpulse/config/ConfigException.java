package io.ifpulse.config;

/**
 * A configuration value that cannot be used. The message always names the field (as a dotted path
 * into the config file, e.g. {@code devices[2].port}) and the offending value, so an operator can
 * fix the file without reading code. Secret values are never put into the message.
 */
public final class ConfigException extends RuntimeException {
  private final String field;

  public ConfigException(String field, Object value, String problem) {
    super(field + " = " + render(value) + ": " + problem);
    this.field = field;
  }

  private ConfigException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The same problem said of a field of another file: {@code users file F: users.a.role = ...}. */
  public ConfigException within(String where) {
    return new ConfigException(where + ": " + field, where + ": " + getMessage());
  }

  public String field() {
    return field;
  }

  private static String render(Object value) {
    if (value == null) return "(missing)";
    if (value instanceof Secret) return value.toString();
    if (value instanceof CharSequence s) return "\"" + s + "\"";
    return String.valueOf(value);
  }
}
