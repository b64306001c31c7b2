package io.ifpulse.events;

import io.vertx.core.json.JsonObject;

/**
 * A declaration on {@value Addresses#INTEREST} that someone watches a device (docs/EVENTS.md,
 * "watching a device"). It travels as a JsonObject: verticles that are not ours publish it.
 *
 * @param watcher any id unique to the watcher
 * @param ttlMs how long the declaration holds; null when it does not say
 * @param release true to stop watching at once
 */
public record Interest(String device, String watcher, Long ttlMs, boolean release) {
  /** The one message browsers may send through the bridge: {@code {"type": "watch", "device": id}}. */
  public static final String WATCH = "watch";
  public static final String TYPE_FIELD = "type";
  public static final String DEVICE_FIELD = "device";

  public static Interest watch(String device, String watcher, long ttlMs) {
    return new Interest(device, watcher, ttlMs, false);
  }

  public static Interest release(String device, String watcher) {
    return new Interest(device, watcher, null, true);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put(DEVICE_FIELD, device).put("watcher", watcher);
    if (ttlMs != null) j.put("ttlMs", ttlMs);
    if (release) j.put("release", true);
    return j;
  }

  /** A declaration, or null for anything that is not one (one bad sender must not break the poller). */
  public static Interest fromJson(Object body) {
    if (!(body instanceof JsonObject m) || !(m.getValue(DEVICE_FIELD) instanceof String device)
        || !(m.getValue("watcher") instanceof String watcher)) {
      return null;
    }
    Object ttlValue = m.getValue("ttlMs");
    if (ttlValue != null && !(ttlValue instanceof Number)) return null;
    Long ttl = ttlValue == null ? null : ((Number) ttlValue).longValue();
    return new Interest(device, watcher, ttl, Boolean.TRUE.equals(m.getValue("release")));
  }

  /** The device of a browser's {@code {"type": "watch", "device"}}, or null for any other message. */
  public static String watchedBy(Object browserMessage) {
    return browserMessage instanceof JsonObject b && WATCH.equals(b.getValue(TYPE_FIELD)) && b.getValue(DEVICE_FIELD) instanceof String s
        ? s : null;
  }
}
