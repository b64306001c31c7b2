package io.ifpulse.events;

/** Event-bus addresses of the public API (see docs/EVENTS.md). */
public final class Addresses {
  public static final String TRAFFIC_PREFIX = "ifpulse.traffic.";
  public static final String STATUS_PREFIX = "ifpulse.status.";
  public static final String ALERTS = "ifpulse.alerts";

  private Addresses() {}

  public static String traffic(String deviceId) {
    return TRAFFIC_PREFIX + deviceId;
  }

  public static String status(String deviceId) {
    return STATUS_PREFIX + deviceId;
  }

  /** The device of a traffic or status address, or null for any other address. */
  public static String deviceOf(String address) {
    if (address.startsWith(TRAFFIC_PREFIX)) return address.substring(TRAFFIC_PREFIX.length());
    if (address.startsWith(STATUS_PREFIX)) return address.substring(STATUS_PREFIX.length());
    return null;
  }
}
