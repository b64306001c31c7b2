package io.ifpulse.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an overview holds of the summary: the snapshot of {@code GET /api/summary}, then every
 * {@code ifpulse.summary} message applied in order, as docs/EVENTS.md tells a client to. Records
 * every device id and every message it was sent, so a test can say what a socket ever received.
 */
final class SummaryMirror {
  final Map<String, JsonObject> devices = new TreeMap<>();
  final List<JsonObject> messages = new ArrayList<>();
  JsonObject fleet;
  JsonObject top;
  String epoch;
  long seq;
  /** Messages that did not follow the last one (another epoch or a missing seq). */
  int breaks;

  SummaryMirror(JsonObject snapshot) {
    epoch = snapshot.getString("epoch");
    seq = snapshot.getLong("seq");
    fleet = snapshot.getJsonObject("fleet");
    top = snapshot.getJsonObject("top");
    for (Object o : snapshot.getJsonArray("devices")) devices.put(((JsonObject) o).getString("id"), ((JsonObject) o).copy());
  }

  /** Applies the messages among {@code frames} (bridge frames of ifpulse.summary) not yet applied. */
  synchronized void apply(List<JsonObject> frames) {
    for (JsonObject f : frames) {
      JsonObject m = f.getJsonObject("body");
      if (!m.getString("epoch").equals(epoch)) {
        breaks++;
        continue;
      }
      long s = m.getLong("seq");
      if (s <= seq) continue; // older than the snapshot, or applied already
      if (s != seq + 1) breaks++;
      seq = s;
      messages.add(m);
      if (m.containsKey("fleet")) fleet = m.getJsonObject("fleet");
      if (m.containsKey("top")) top = m.getJsonObject("top");
      for (Object o : m.getJsonArray("devices")) {
        JsonObject d = (JsonObject) o;
        devices.computeIfAbsent(d.getString("id"), k -> new JsonObject()).mergeIn(d);
      }
      for (Object id : m.getJsonArray("removed", new JsonArray())) devices.remove((String) id);
    }
  }

  synchronized String state(String id) {
    JsonObject d = devices.get(id);
    return d == null ? null : d.getString("state");
  }

  synchronized int count(String state) {
    return fleet.getJsonObject("states").getInteger(state);
  }
}
