package io.ifpulse.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands an immutable object to consumers in this process as it is, and refuses the wire: for
 * messages that never leave their node (the history's current rates, the summary's ticks), where
 * Vert.x would otherwise want a codec that can serialise them.
 */
public final class LocalOnlyCodec<T> implements MessageCodec<T, T> {
  private final String name;
  private final String why;

  private LocalOnlyCodec(String name, String why) {
    this.name = name;
    this.why = why;
  }

  /**
   * Registers the codec named {@code name} as the default for {@code type} on {@code bus}; a second
   * registration (another verticle on the same bus) is a no-op. {@code why} is the message of the
   * error should anything try to send such an object to another node.
   */
  public static <T> void register(EventBus bus, Class<T> type, String name, String why) {
    try {
      bus.registerDefaultCodec(type, new LocalOnlyCodec<>(name, why));
    } catch (IllegalStateException alreadyRegistered) {
      // Registered by the first verticle on this bus.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T o) {
    throw new UnsupportedOperationException(why);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(why);
  }

  @Override
  public T transform(T o) {
    return o;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
