package io.ifpulse.events;

/** Event-bus addresses of the public API (see docs/EVENTS.md). */
public final class Addresses {
  public static final String TRAFFIC_PREFIX = "ifpulse.traffic.";
  public static final String STATUS_PREFIX = "ifpulse.status.";

  private Addresses() {}

  public static String traffic(String deviceId) {
    return TRAFFIC_PREFIX + deviceId;
  }

  public static String status(String deviceId) {
    return STATUS_PREFIX + deviceId;
  }
}
