package io.ifpulse.web;

import io.ifpulse.auth.DeviceScope;
import io.ifpulse.events.Addresses;
import io.ifpulse.summary.ScopedSummary;
import io.ifpulse.summary.SummaryTick;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The summary's bridge envelopes, one per distinct device scope per tick: the first socket of a
 * scope to receive a tick has its message made and encoded, every other socket of the scope gets
 * the same bytes. A hundred browsers of one account cost one message; an account limited to some
 * devices never gets a byte about the others.
 *
 * <p>A scope that missed a tick (no socket of it then) starts again with {@code fleet} and {@code
 * top}, since what its sockets last received is unknown. Called on the web verticle's loop only.
 */
final class SummaryScopes {
  private static final class Scoped {
    final ScopedSummary summary;
    long seq = -1;
    Buffer envelope;

    Scoped(DeviceScope scope) {
      this.summary = new ScopedSummary(scope.unlimited() ? null : scope::permits);
    }
  }

  private final Map<DeviceScope, Scoped> scopes = new HashMap<>();
  private SummaryTick tick;

  /** The envelope of {@code tick} for sockets of {@code scope}. */
  Buffer envelope(SummaryTick t, DeviceScope scope) {
    if (t != tick) {
      tick = t;
      // Scopes that no socket asked for in a while are forgotten; one is rebuilt on demand.
      scopes.values().removeIf(s -> s.seq < t.seq() - 60);
    }
    Scoped s = scopes.get(scope);
    if (s != null && s.seq == t.seq()) return s.envelope;
    if (s == null || s.seq != t.seq() - 1) {
      s = new Scoped(scope); // sends fleet and top again
      scopes.put(scope, s);
    }
    JsonObject body = s.summary.message(t);
    s.envelope = new JsonObject().put("type", "rec").put("address", Addresses.SUMMARY).put("body", body).toBuffer();
    s.seq = t.seq();
    return s.envelope;
  }

  /** Scopes with a message made for the current tick (for tests and /metrics). */
  int scopes() {
    return scopes.size();
  }
}
