package io.ifpulse.summary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The busiest interfaces of a set of devices, by utilisation and by bit/s, {@link DeviceEntry#TOP}
 * each: drawn from every device's own top lists, which hold all its candidates (an interface not
 * in its device's top 10 cannot be in the fleet's).
 */
public record TopLists(List<TopInterface> util, List<TopInterface> bps) {

  public static TopLists of(List<DeviceEntry> entries, BiPredicate<String, List<String>> visible) {
    TopSelection byUtil = new TopSelection(DeviceEntry.TOP, TopInterface.BY_UTIL);
    TopSelection byBps = new TopSelection(DeviceEntry.TOP, TopInterface.BY_BPS);
    for (int i = 0; i < entries.size(); i++) {
      DeviceEntry e = entries.get(i);
      if (visible != null && !visible.test(e.id(), e.tags())) continue;
      byUtil.offerAll(e.topUtil());
      byBps.offerAll(e.topBps());
    }
    return new TopLists(byUtil.result(), byBps.result());
  }

  public JsonObject toJson() {
    return new JsonObject().put("util", json(util)).put("bps", json(bps));
  }

  private static JsonArray json(List<TopInterface> ts) {
    JsonArray a = new JsonArray();
    for (TopInterface t : ts) {
      a.add(new JsonObject()
          .put("device", t.device())
          .put("ifIndex", t.ifIndex())
          .put("name", t.name())
          .put("util", DeviceEntry.number(t.util()))
          .put("inBps", DeviceEntry.number(t.inBps()))
          .put("outBps", DeviceEntry.number(t.outBps())));
    }
    return a;
  }
}
