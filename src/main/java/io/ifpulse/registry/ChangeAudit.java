package io.ifpulse.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Who changed the device list (or the group list), from where, and what: one log line and one
 * record per change, the last {@value #KEEP} kept for {@code /api/audit}. Every node of a cluster
 * hears every change (the change travels with the overlay entry), so each node's audit holds the
 * whole cluster's. A record names what it changed under its subject: {@code "device"} or
 * {@code "group"}.
 *
 * <p>Entries carry no secrets: a device names its credential; nothing else of the entry is secret.
 */
public final class ChangeAudit {
  private static final Logger LOG = Logger.getLogger("io.ifpulse.audit");
  static final int KEEP = 1000;

  private final Deque<JsonObject> records = new ArrayDeque<>();
  private final String subject;

  /** @param subject what the records name: "device" or "group" */
  ChangeAudit(String subject) {
    this.subject = subject;
  }

  /**
   * Records a change of {@code id} from {@code before} to {@code after} (either null: added or
   * removed), with the change's author as the entry carries it.
   */
  synchronized void record(String id, JsonObject before, JsonObject after, JsonObject change) {
    String action = before == null ? "added" : after == null ? "removed" : "changed";
    JsonObject c = change == null ? new JsonObject() : change;
    Set<String> fields = new TreeSet<>();
    if (before != null && after != null) {
      Set<String> keys = new TreeSet<>(before.fieldNames());
      keys.addAll(after.fieldNames());
      for (String k : keys) if (!java.util.Objects.equals(before.getValue(k), after.getValue(k))) fields.add(k);
    }
    JsonObject r = new JsonObject()
        .put("ts", c.getLong("at", System.currentTimeMillis()))
        .put("by", c.getString("by", "unknown"))
        .put("from", c.getString("from"))
        .put("node", c.getString("node"))
        .put("action", action)
        .put(subject, id);
    if (!fields.isEmpty()) r.put("fields", new JsonArray(new ArrayList<>(fields)));
    if (after != null) r.put("entry", after);
    records.addFirst(r);
    while (records.size() > KEEP) records.removeLast();
    LOG.info(subject + " " + id + " " + action + " by " + r.getString("by") + (r.getString("from") != null ? " from " + r.getString("from") : "")
        + (fields.isEmpty() ? "" : " (" + String.join(", ", fields) + ")"));
  }

  /** The records of the devices (or groups) {@code visible} lets through, newest first. */
  public synchronized List<JsonObject> records(Predicate<String> visible) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject r : records) if (visible.test(r.getString(subject))) out.add(r.copy());
    return out;
  }
}
