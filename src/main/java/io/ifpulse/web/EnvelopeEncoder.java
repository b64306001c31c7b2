package io.ifpulse.web;

import io.ifpulse.events.EventJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Encodes the bridge's outbound envelopes ({@code {"type":"rec","address":...,"body":...}}), once
 * per message however many browsers receive it, with the events' one encoder ({@link EventJson}):
 * the body is the published record, written straight to the documented JSON.
 *
 * <p>The stock bridge builds and encodes the envelope for each socket: a device watched by five
 * browsers had its 14 KB sample (some 600 numbers to format) encoded five times, the largest part
 * of the web side's work and about a third of the hub's allocation in scenario 3 of
 * docs/BENCHMARKS.md. The bridge hands one published message to its sockets one after the other,
 * each with a fresh envelope around the same body object, so remembering the last encoding
 * serves them all. Envelopes with headers or a reply address are encoded each time (none of the
 * hub's addresses carry them).
 *
 * <p>The body is compared by identity: events are shared read-only between consumers ({@link
 * io.ifpulse.events.EventCodecs}), so the same object means the same content. Called on the web
 * verticle's event loop only.
 */
final class EnvelopeEncoder {
  private Object body;
  private String address;
  private Buffer encoded;

  Buffer encode(JsonObject envelope) {
    Object b = envelope.getValue("body");
    String a = envelope.getString("address");
    // type, address and body only: anything else (headers, replyAddress) may differ per message.
    boolean plain = envelope.size() == 3 && b != null && a != null;
    if (plain && b == body && a.equals(address)) return encoded;
    Buffer out = EventJson.encode(envelope);
    body = plain ? b : null;
    address = plain ? a : null;
    encoded = plain ? out : null;
    return out;
  }
}
