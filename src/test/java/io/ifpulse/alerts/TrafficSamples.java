package io.ifpulse.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Traffic messages in the shape of docs/EVENTS.md, as the poller publishes them, for feeding alert rules. */
final class TrafficSamples {
  private TrafficSamples() {}

  static JsonObject sample(String device, long tsMs, boolean reachable, Itf... interfaces) {
    JsonArray a = new JsonArray();
    for (Itf i : interfaces) a.add(i.json.copy());
    // seq is not used by the rules; any increasing number will do.
    return new JsonObject().put("device", device).put("seq", tsMs / 1000).put("ts", tsMs)
        .put("pollMs", 2.5).put("intervalMs", 10_000).put("reachable", reachable).put("interfaces", a);
  }

  /** An interface of a sample: up, ok, 1 Gbit/s, idle, unless told otherwise. */
  static Itf itf(int ifIndex) {
    return new Itf(ifIndex);
  }

  static final class Itf {
    final JsonObject json;

    Itf(int ifIndex) {
      json = new JsonObject().put("ifIndex", ifIndex).put("name", "eth" + (ifIndex - 1)).put("oper", "up")
          .put("speedBps", 1_000_000_000L).put("state", "ok").put("intervalMs", 10_000.2)
          .put("inBps", 0.0).put("outBps", 0.0).put("inPps", 0.0).put("outPps", 0.0)
          .put("inErrors", 0.0).put("outErrors", 0.0).put("inDiscards", 0.0).put("outDiscards", 0.0)
          .put("inUtil", 0.0).put("outUtil", 0.0);
    }

    Itf util(double in, double out) {
      json.put("inUtil", in).put("outUtil", out).put("inBps", in * 1e7).put("outBps", out * 1e7);
      return this;
    }

    Itf errors(double in, double out) {
      json.put("inErrors", in).put("outErrors", out);
      return this;
    }

    Itf discards(double in, double out) {
      json.put("inDiscards", in).put("outDiscards", out);
      return this;
    }

    Itf oper(String oper) {
      json.put("oper", oper);
      return this;
    }

    Itf name(String name) {
      json.put("name", name);
      return this;
    }

    Itf held() {
      json.put("state", "held");
      return this;
    }

    /** No rates at all, as the poller publishes a gap; a no-data gap's oper is a placeholder. */
    Itf gap(String why) {
      for (String k : List.copyOf(json.fieldNames())) {
        if (!Set.of("ifIndex", "name", "oper", "speedBps").contains(k)) json.remove(k);
      }
      json.put("state", "gap").put("gap", why);
      if (why.equals("no-data")) json.put("oper", "unknown");
      return this;
    }

    /** A loopback, tunnel or VLAN: rates but no utilisation, since its nominal speed means nothing. */
    Itf virtual() {
      json.remove("inUtil");
      json.remove("outUtil");
      json.remove("speedBps");
      return this;
    }
  }
}
