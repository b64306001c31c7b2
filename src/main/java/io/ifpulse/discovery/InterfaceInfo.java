package io.ifpulse.discovery;

import io.vertx.core.json.JsonObject;

/**
 * What discovery learned about one interface.
 *
 * @param speedBps ifHighSpeed × 10^6 where the agent has it (and it is not 0), else ifSpeed; 0 if
 *     unknown (a 32-bit ifSpeed saturated at 2^32-1 without ifHighSpeed is unknown, not 4.3 Gbit/s)
 * @param hasHcCounters whether ifHCInOctets exists for it as a Counter64
 * @param hasDiscontinuityTime whether ifCounterDiscontinuityTime exists for it
 * @param hasIfXEntry whether the agent has an ifXTable row for it (v1-era agents have none, and
 *     asking them for ifXTable columns fails the whole request with noSuchName)
 */
public record InterfaceInfo(
    int ifIndex,
    String name,
    String descr,
    String alias,
    int type,
    long speedBps,
    String adminStatus,
    String operStatus,
    boolean hasHcCounters,
    boolean hasDiscontinuityTime,
    boolean hasIfXEntry) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("ifIndex", ifIndex)
        .put("name", name)
        .put("descr", descr)
        .put("alias", alias)
        .put("type", type)
        .put("speedBps", speedBps)
        .put("admin", adminStatus)
        .put("oper", operStatus)
        .put("hc", hasHcCounters);
  }

  /**
   * Whether the speed the agent reports means anything for rates. Loopback, tunnel, VLAN and
   * other virtual interfaces report a nominal speed (net-snmp says 10 Mbit/s for {@code lo}) that
   * real traffic exceeds all the time: for them there is no utilisation and no plausibility limit.
   */
  public boolean speedIsPhysical() {
    return speedBps > 0 && !isVirtual(type);
  }

  /** A switch, not a Set: this runs for every interface of every sample, and boxing showed in profiles. */
  private static boolean isVirtual(int ifType) {
    return switch (ifType) {
      // other, softwareLoopback, propVirtual, tunnel, l2vlan, l3ipvlan, bridge
      case 1, 24, 53, 131, 135, 136, 209 -> true;
      default -> false;
    };
  }

  /** ifAdminStatus / ifOperStatus value to its MIB name. */
  public static String status(int value) {
    return switch (value) {
      case 1 -> "up";
      case 2 -> "down";
      case 3 -> "testing";
      case 4 -> "unknown";
      case 5 -> "dormant";
      case 6 -> "notPresent";
      case 7 -> "lowerLayerDown";
      default -> "unknown";
    };
  }
}
