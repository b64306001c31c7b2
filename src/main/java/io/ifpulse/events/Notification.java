package io.ifpulse.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One SNMP notification (trap or inform) from a device, decoded, as published on
 * {@code ifpulse.traps.<deviceId>} (docs/EVENTS.md). Published as its JSON: notifications are rare
 * next to samples, and a storm is cut at the receiver before it gets here.
 *
 * @param device the device it was matched to
 * @param ts when it was received (epoch ms)
 * @param source the address and port it came from
 * @param version {@code v1}, {@code v2c} or {@code v3}
 * @param pdu {@code trap} or {@code inform}
 * @param name {@code linkDown}, {@code linkUp}, {@code coldStart}, {@code warmStart},
 *     {@code authenticationFailure}, {@code egpNeighborLoss}, or the notification's OID
 * @param oid the notification's OID (snmpTrapOID; for v1 as RFC 3584 translates it)
 * @param ifIndex the interface it is about, or 0 when it names none
 * @param oper the interface's ifOperStatus as the notification says it, or null
 * @param varbinds the varbinds after sysUpTime and snmpTrapOID, at most the configured number
 * @param cut whether varbinds or values were cut to the configured limits
 */
public record Notification(String device, long ts, String source, String version, String pdu, String name, String oid, int ifIndex,
    String oper, List<Varbind> varbinds, boolean cut) {

  public static final String LINK_DOWN = "linkDown";
  public static final String LINK_UP = "linkUp";
  public static final String COLD_START = "coldStart";
  public static final String WARM_START = "warmStart";

  public Notification {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(name, "name");
    varbinds = List.copyOf(varbinds);
  }

  /** One varbind: its OID, its SMI type (SNMP4J's syntax name) and its value as text. */
  public record Varbind(String oid, String type, String value) {}

  /** A link-state notification: linkDown or linkUp about a known interface. */
  public boolean isLinkChange() {
    return ifIndex > 0 && (LINK_DOWN.equals(name) || LINK_UP.equals(name));
  }

  /** coldStart or warmStart: the agent restarted, its counters started again. */
  public boolean isRestart() {
    return COLD_START.equals(name) || WARM_START.equals(name);
  }

  public Notification forDevice(String id) {
    return new Notification(id, ts, source, version, pdu, name, oid, ifIndex, oper, varbinds, cut);
  }

  public JsonObject toJson() {
    JsonArray vbs = new JsonArray();
    for (Varbind v : varbinds) vbs.add(new JsonObject().put("oid", v.oid).put("type", v.type).put("value", v.value));
    JsonObject j = new JsonObject().put("device", device).put("ts", ts).put("source", source).put("version", version).put("pdu", pdu)
        .put("name", name).put("oid", oid);
    if (ifIndex > 0) j.put("ifIndex", ifIndex);
    if (oper != null) j.put("oper", oper);
    return j.put("varbinds", vbs).put("cut", cut);
  }

  /** From the documented JSON; null when it is not a notification's. */
  public static Notification fromJson(JsonObject j) {
    try {
      List<Varbind> vbs = new ArrayList<>();
      JsonArray a = j.getJsonArray("varbinds", new JsonArray());
      for (int i = 0; i < a.size(); i++) {
        JsonObject v = a.getJsonObject(i);
        vbs.add(new Varbind(v.getString("oid"), v.getString("type"), v.getString("value")));
      }
      return new Notification(j.getString("device"), j.getLong("ts", 0L), j.getString("source"), j.getString("version"),
          j.getString("pdu"), j.getString("name"), j.getString("oid"), j.getInteger("ifIndex", 0), j.getString("oper"), vbs,
          j.getBoolean("cut", false));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
