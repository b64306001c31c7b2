package io.ifpulse.events;

import io.ifpulse.config.DeviceConfig;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every event-bus address of the hub, and what of them browsers may use: the one place they are
 * spelled (docs/EVENTS.md describes each; {@code EventsDocTest} keeps the two in step, and
 * {@code DashboardAddressesTest} the dashboard's {@code webroot/js/api.js}).
 */
public final class Addresses {
  /** Publish, one per device: {@link TrafficSample}s, {@code ifpulse.traffic.<deviceId>}. */
  public static final String TRAFFIC_PREFIX = "ifpulse.traffic.";
  /** Publish, one per device: {@link StatusEvent}s, {@code ifpulse.status.<deviceId>}. */
  public static final String STATUS_PREFIX = "ifpulse.status.";
  /**
   * Publish, one per device: every SNMP notification of the device, decoded ({@link Notification}
   * as JSON), {@code ifpulse.traps.<deviceId>}. Whichever node receives it publishes it; the
   * device's poller, wherever it runs, acts on it (io.ifpulse.traps).
   */
  public static final String TRAPS_PREFIX = "ifpulse.traps.";
  /** Request/reply, local: what this node's notification receiver did with each datagram. */
  public static final String TRAPS_STATS = "ifpulse.trapstats";
  /** Publish: one {@link AlertEvent} per raise or clear. */
  public static final String ALERTS = "ifpulse.alerts";
  /** Publish, one per interface group: {@link GroupSample}s, one a second, {@code ifpulse.group.<name>}. */
  public static final String GROUP_PREFIX = "ifpulse.group.";
  /** Request/reply on the hub's bus, local: every group's latest sample heard on this node, by name (JSON). */
  public static final String GROUPS_CURRENT = "ifpulse.groups.current";
  /** Request/reply on the hub's bus, local: a group's in/out bit/s series ({@code {"group", "seconds"?}}). */
  public static final String GROUPS_SERIES = "ifpulse.groups.series";
  /** Request/reply, local: {@code {"active": [...], "recent": [...]}}. */
  public static final String ALERTS_QUERY = "ifpulse.alerts.query";
  /** Publish: declarations that someone watches a device ({@link Interest}). */
  public static final String INTEREST = "ifpulse.interest";
  /** Request/reply, local: poll statistics of every device this node polls. */
  public static final String POLLER_STATS = "ifpulse.poller.stats";
  /** Request/reply, local: the last raw counters of every interface this node polls, per device. */
  public static final String POLLER_COUNTERS = "ifpulse.poller.counters";
  /** Request/reply, local: poll-start lateness and poll duration since start. */
  public static final String POLLER_TIMING = "ifpulse.poller.timing";
  /** Request/reply on the hub's bus, local: every device's summary, for the REST API. */
  public static final String HISTORY_DEVICES = "ifpulse.history.devices";
  /** Request/reply on the hub's bus, local: one device and its interfaces ({@code {"device"}}). */
  public static final String HISTORY_DEVICE = "ifpulse.history.device";
  /** Request/reply on the hub's bus, local: rate series ({@code {"device", "ifIndex"?, "seconds"?}}). */
  public static final String HISTORY_SERIES = "ifpulse.history.series";
  /**
   * Publish, local to each node with a web side: the fleet's summary, at most once a second and only
   * when something changed (a {@code io.ifpulse.summary.SummaryTick} in the process; browsers
   * receive it cut to their account's devices).
   */
  public static final String SUMMARY = "ifpulse.summary";
  /** Request/reply on the hub's bus, local: the latest summary tick, for the REST API. */
  public static final String HISTORY_SUMMARY = "ifpulse.history.summary";
  /** Request/reply on the hub's bus, local: every device's current rates in one object, for /metrics. */
  public static final String HISTORY_CURRENT = "ifpulse.history.current";

  /**
   * What browsers may receive through the bridge, as regexes over the whole address: every
   * device's samples and status (a device id as the config accepts it), the alerts and the summary.
   */
  public static final String TRAFFIC_REGEX = regex(TRAFFIC_PREFIX) + DeviceConfig.ID_PATTERN;
  public static final String STATUS_REGEX = regex(STATUS_PREFIX) + DeviceConfig.ID_PATTERN;
  public static final String TRAPS_REGEX = regex(TRAPS_PREFIX) + DeviceConfig.ID_PATTERN;
  public static final String ALERTS_REGEX = regex(ALERTS);
  public static final String SUMMARY_REGEX = regex(SUMMARY);
  public static final String GROUP_REGEX = regex(GROUP_PREFIX) + io.ifpulse.config.GroupConfig.NAME_PATTERN;
  /** The outbound patterns above, compiled, in that order. */
  public static final List<Pattern> BROWSER_RECEIVES = List.of(Pattern.compile(TRAFFIC_REGEX), Pattern.compile(STATUS_REGEX),
      Pattern.compile(ALERTS_REGEX), Pattern.compile(SUMMARY_REGEX), Pattern.compile(TRAPS_REGEX), Pattern.compile(GROUP_REGEX));
  /** What browsers may send: only {@link Interest#WATCH} messages, to this address. */
  public static final String BROWSER_SENDS = INTEREST;

  private Addresses() {}

  public static String traffic(String deviceId) {
    return TRAFFIC_PREFIX + deviceId;
  }

  public static String group(String name) {
    return GROUP_PREFIX + name;
  }

  public static String status(String deviceId) {
    return STATUS_PREFIX + deviceId;
  }

  public static String traps(String deviceId) {
    return TRAPS_PREFIX + deviceId;
  }

  /** The device of a traffic, status or traps address, or null for any other address. */
  public static String deviceOf(String address) {
    if (address.startsWith(TRAFFIC_PREFIX)) return address.substring(TRAFFIC_PREFIX.length());
    if (address.startsWith(STATUS_PREFIX)) return address.substring(STATUS_PREFIX.length());
    if (address.startsWith(TRAPS_PREFIX)) return address.substring(TRAPS_PREFIX.length());
    return null;
  }

  /** The group of a group address, or null for any other address. */
  public static String groupOf(String address) {
    return address.startsWith(GROUP_PREFIX) ? address.substring(GROUP_PREFIX.length()) : null;
  }

  /** Whether browsers may receive on {@code address} (the bridge's own check is the same). */
  public static boolean browserReceives(String address) {
    if (address == null) return false;
    for (Pattern p : BROWSER_RECEIVES) if (p.matcher(address).matches()) return true;
    return false;
  }

  private static String regex(String literal) {
    return literal.replace(".", "\\.");
  }
}
