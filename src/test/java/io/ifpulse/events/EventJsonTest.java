package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.testing.Unit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Status and alert events: the encoder writes the JSON the hub built for them as JsonObjects
 * (same keys in the same order, optional ones left out the same way), and the decoder reads it
 * back into equal records.
 */
@Unit
class EventJsonTest {
  private static final JsonObject STATS = new JsonObject().put("requests", 2).put("responses", 0).put("lastError", "timeout")
      .put("replyErrors", new JsonObject().put("missing", 0).put("no-such-instance", 24));

  /** A status event as the poller built it: its fields in this order, then what the event adds, then stats. */
  private static JsonObject status(String event, boolean reachable) {
    return new JsonObject().put("device", "sw1").put("ts", 1_795_677_256_712L).put("event", event).put("reachable", reachable)
        .put("host", "127.0.0.1").put("port", 16109).put("version", "v2c").put("credentials", "sim");
  }

  private static JsonObject infoJson(int ifIndex, String name, String alias, long speed) {
    return new JsonObject().put("ifIndex", ifIndex).put("name", name).put("descr", "Ethernet " + ifIndex).put("alias", alias)
        .put("type", 6).put("speedBps", speed).put("admin", "up").put("oper", "down").put("hc", true);
  }

  private static StatusEvent.Interface info(int ifIndex, String name, String alias, long speed) {
    return new StatusEvent.Interface(ifIndex, name, "Ethernet " + ifIndex, alias, 6, speed, "up", "down", true);
  }

  private static StatusEvent base(StatusEvent.Event event, boolean reachable) {
    return StatusEvent.of("sw1", 1_795_677_256_712L, event, reachable, "127.0.0.1", 16109, "v2c", "sim");
  }

  private static void same(JsonObject before, Object record) {
    assertEquals(before.encode(), EventJson.encode(record).toString());
    Object back = record instanceof StatusEvent ? EventJson.status(Buffer.buffer(before.encode())) : EventJson.alert(Buffer.buffer(before.encode()));
    assertEquals(record, back);
  }

  @Test
  void statusEventsAsThePollerWroteThem() {
    same(status("unreachable", false).put("error", "discovery failed: timeout").put("stats", STATS),
        base(StatusEvent.Event.UNREACHABLE, false).withError("discovery failed: timeout").withStats(STATS));
    same(status("reachable", true).put("stats", STATS), base(StatusEvent.Event.REACHABLE, true).withStats(STATS));
    same(status("restarted", true).put("stats", STATS), base(StatusEvent.Event.RESTARTED, true).withStats(STATS));
    same(status("discovered", true).put("interfaces", new JsonArray().add(infoJson(1, "eth0", null, 1_000_000_000L)).add(infoJson(2, null, "up\"link", 0)))
            .put("discovered", 5).put("stats", STATS),
        base(StatusEvent.Event.DISCOVERED, true).withInterfaces(List.of(info(1, "eth0", null, 1_000_000_000L), info(2, null, "up\"link", 0)), 5)
            .withStats(STATS));
    same(status("interfaces-changed", true).put("interfaces", new JsonArray().add(infoJson(3, "eth2", "", 10_000_000_000L)))
            .put("discovered", 3).put("added", new JsonArray().add(3)).put("removed", new JsonArray().add(1).add(2)).put("stats", STATS),
        base(StatusEvent.Event.INTERFACES_CHANGED, true).withInterfaces(List.of(info(3, "eth2", "", 10_000_000_000L)), 3)
            .withChanges(List.of(3), List.of(1, 2)).withStats(STATS));
    // Said by a node that cannot poll the device: no version, no statistics.
    same(new JsonObject().put("device", "sw1").put("ts", 5L).put("event", "no-credentials").put("reachable", false)
            .put("host", "192.0.2.1").put("port", 161).put("credentials", "edge-v3"),
        StatusEvent.of("sw1", 5L, StatusEvent.Event.NO_CREDENTIALS, false, "192.0.2.1", 161, null, "edge-v3"));
  }

  @Test
  void alertEventsAsTheRulesWroteThem() {
    JsonObject raised = new JsonObject().put("id", "hot/1/utilisation").put("device", "hot").put("ifIndex", 1).put("name", "eth0")
        .put("kind", "utilisation").put("state", "raised").put("severity", "warning").put("value", 95.0464).put("threshold", 90.0)
        .put("since", 1_795_677_232_256L).put("ts", 1_795_677_262_257L);
    same(raised, new AlertEvent("hot", 1, "eth0", AlertEvent.Kind.UTILISATION, AlertEvent.State.RAISED, AlertEvent.Severity.WARNING,
        95.0464, 90.0, 1_795_677_232_256L, 1_795_677_262_257L, null));
    JsonObject removed = new JsonObject().put("id", "hot/2/oper-down").put("device", "hot").put("ifIndex", 2).put("name", null)
        .put("kind", "oper-down").put("state", "cleared").put("severity", "critical").put("value", "down").put("threshold", "up")
        .put("since", 7L).put("ts", 7L).put("reason", "removed");
    same(removed, new AlertEvent("hot", 2, null, AlertEvent.Kind.OPER_DOWN, AlertEvent.State.CLEARED, AlertEvent.Severity.CRITICAL,
        "down", "up", 7L, 7L, "removed"));
    // A group's alert: "group" in place of "device", which the JSON leaves out.
    JsonObject group = new JsonObject().put("id", "group:transit/utilisation").put("group", "transit").put("ifIndex", 0)
        .put("name", "transit").put("kind", "utilisation").put("state", "raised").put("severity", "warning").put("value", 91.5)
        .put("threshold", 90.0).put("since", 1_795_677_232_000L).put("ts", 1_795_677_262_000L);
    same(group, AlertEvent.ofGroup("transit", AlertEvent.Kind.UTILISATION, AlertEvent.State.RAISED, AlertEvent.Severity.WARNING,
        91.5, 90.0, 1_795_677_232_000L, 1_795_677_262_000L, null));
  }

  @Test
  void aBridgeEnvelopeIsWrittenAsVertxWritesItsJsonObject() {
    TrafficSample s = TrafficSample.fromJson(new JsonObject(TrafficSampleJsonTest.golden().get(0)));
    JsonObject envelope = new JsonObject().put("type", "rec").put("address", "ifpulse.traffic.sim-steady").put("body", s);
    JsonObject before = new JsonObject().put("type", "rec").put("address", "ifpulse.traffic.sim-steady")
        .put("body", new JsonObject(TrafficSampleJsonTest.golden().get(0)));
    assertEquals(before.encode(), EventJson.encode(envelope).toString());
  }
}
