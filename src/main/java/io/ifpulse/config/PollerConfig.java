package io.ifpulse.config;

/**
 * Settings of the poller as a whole, across its devices.
 *
 * @param maxInFlight requests in flight across all devices at once
 * @param slotMs the width of poll slots: each device's polls sit in one of the slots of its live
 *     interval, and the devices of a slot are polled together, in one wake-up of the event loop
 */
public record PollerConfig(int maxInFlight, long slotMs) {
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  public static final long DEFAULT_SLOT_MS = 25;

  public static PollerConfig defaults() {
    return new PollerConfig(DEFAULT_MAX_IN_FLIGHT, DEFAULT_SLOT_MS);
  }

  public PollerConfig withMaxInFlight(int n) {
    return new PollerConfig(n, slotMs);
  }
}
