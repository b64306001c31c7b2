package io.ifpulse.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Delivers one JsonObject to every consumer in this process without copying it, and as ordinary
 * JSON to other nodes. The events themselves travel as records ({@link EventCodecs}); {@link
 * #register} registers their codecs too, so a node that registers this one can read them.
 *
 * <p>Vert.x's own JsonObject codec deep-copies the object for each local consumer. A sample of 50
 * interfaces is 50 maps; with the history and the alerts each taking a copy, copying was a fifth
 * of the hub's Java time at 20,000 interfaces a second (JFR, benchmark scenario 2). Samples are
 * never changed after publication, so one shared object is safe — for consumers that only read.
 * A consumer that wants to change a sample works on {@code body().copy()}.
 *
 * <p>The wire form is the same as Vert.x's JsonObject codec, but it travels under this codec's
 * name: every node that receives samples must register it ({@link #register}). Every node started
 * through {@code Main} does.
 */
public final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {
  public static final String NAME = "ifpulse.shared-json";

  /** Registers the codec, and the events' ({@link EventCodecs}), on {@code bus} unless they are there already. */
  public static void register(EventBus bus) {
    EventCodecs.register(bus);
    try {
      bus.registerCodec(new SharedJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Verticles that publish register it themselves; a second deployment on the same bus lands here.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject o) {
    Buffer encoded = o.toBuffer();
    buffer.appendInt(encoded.length());
    buffer.appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    pos += 4;
    return new JsonObject(buffer.slice(pos, pos + length));
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
