package io.ifpulse.summary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The summary as one set of devices sees it (an account's device scope, or every device): the
 * message of each tick and the snapshot, with only those devices' entries and counts and top
 * lists over them alone. One per distinct scope, fed every tick, so that {@code fleet} and {@code
 * top} are sent only when they changed for that scope.
 */
public final class ScopedSummary {
  private final BiPredicate<String, List<String>> visible;
  private Fleet fleet;
  private TopLists top;

  /** @param visible whether a device (id, tags) is in the scope; null for every device */
  public ScopedSummary(BiPredicate<String, List<String>> visible) {
    this.visible = visible;
  }

  /** The message of {@code tick} for this scope (docs/EVENTS.md, "ifpulse.summary"). */
  public JsonObject message(SummaryTick tick) {
    JsonArray devices = new JsonArray();
    JsonArray removed = new JsonArray();
    for (SummaryTick.Change c : tick.changes()) {
      DeviceEntry e = c.entry();
      boolean now = sees(e);
      DeviceEntry p = c.previous();
      boolean before = p != null && sees(p);
      if (now && before) devices.add(e.toJson(c.fields()));
      else if (now) devices.add(e.toJson(DeviceEntry.ALL_FIELDS)); // new to this scope: all of it
      else if (before) removed.add(e.id()); // its tags took it out of this scope
    }
    for (DeviceEntry e : tick.removed()) if (sees(e)) removed.add(e.id());
    JsonObject m = new JsonObject().put("epoch", tick.epoch()).put("seq", tick.seq()).put("ts", tick.ts());
    Fleet f = visible == null ? tick.fleet() : Fleet.of(tick.all(), visible);
    TopLists t = visible == null ? tick.top() : TopLists.of(tick.all(), visible);
    if (!f.equals(fleet)) m.put("fleet", f.toJson());
    m.put("devices", devices).put("removed", removed);
    if (!t.equals(top)) m.put("top", t.toJson());
    fleet = f;
    top = t;
    return m;
  }

  /** The whole summary for the scope after {@code tick} (what {@code GET /api/summary} answers). */
  public static JsonObject snapshot(SummaryTick tick, BiPredicate<String, List<String>> visible) {
    JsonArray devices = new JsonArray();
    for (DeviceEntry e : tick.all()) if (visible == null || visible.test(e.id(), e.tags())) devices.add(e.toJson(DeviceEntry.ALL_FIELDS));
    Fleet f = visible == null ? tick.fleet() : Fleet.of(tick.all(), visible);
    TopLists t = visible == null ? tick.top() : TopLists.of(tick.all(), visible);
    return new JsonObject().put("epoch", tick.epoch()).put("seq", tick.seq()).put("ts", tick.ts()).put("fleet", f.toJson())
        .put("devices", devices).put("top", t.toJson());
  }

  /**
   * The ids of the devices in the scope whose id, host, tags, interface names or aliases contain
   * {@code query}, ignoring case: one substring search per device, over text made when the device
   * changed.
   */
  public static JsonArray search(SummaryTick tick, BiPredicate<String, List<String>> visible, String query) {
    String q = query.toLowerCase(java.util.Locale.ROOT);
    JsonArray ids = new JsonArray();
    for (DeviceEntry e : tick.all()) {
      if (visible != null && !visible.test(e.id(), e.tags())) continue;
      String text = e.searchText();
      if (text != null && text.contains(q)) ids.add(e.id());
    }
    return ids;
  }

  private boolean sees(DeviceEntry e) {
    return visible == null || visible.test(e.id(), e.tags());
  }
}
