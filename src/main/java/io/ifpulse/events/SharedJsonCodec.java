package io.ifpulse.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Delivers one JsonObject to every local consumer without copying it. Vert.x copies a JsonObject
 * for each local consumer by default; a sample fanned out to a thousand browser registrations
 * would be copied a thousand times. Samples are never modified after publication, so sharing is
 * safe. Local delivery only: this codec never goes on the wire.
 */
final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {
  static final String NAME = "ifpulse-shared-json";

  @Override
  public void encodeToWire(Buffer buffer, JsonObject o) {
    throw new UnsupportedOperationException("local delivery only");
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("local delivery only");
  }

  @Override
  public JsonObject transform(JsonObject o) {
    return o;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
