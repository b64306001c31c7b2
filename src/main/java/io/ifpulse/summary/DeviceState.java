package io.ifpulse.summary;

/** A device's state in the summary (docs/EVENTS.md, "ifpulse.summary"), with its name on the wire. */
public enum DeviceState {
  UP("up"),
  UNREACHABLE("unreachable"),
  NO_DATA("no-data"),
  DISABLED("disabled"),
  NO_CREDENTIALS("no-credentials");

  public static final DeviceState[] ALL = values();

  public final String label;

  DeviceState(String label) {
    this.label = label;
  }
}
