package io.ifpulse.summary;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands a {@link SummaryTick} to local consumers as it is (it is immutable). A tick never leaves
 * its node: each node with a web side makes its own from the samples it hears, so the summary is
 * published local-only and this codec refuses the wire.
 */
public final class SummaryCodec implements MessageCodec<SummaryTick, SummaryTick> {
  public static final String NAME = "ifpulse.summary-tick";

  /** Registers the codec as the default for ticks on {@code bus}; a second call is a no-op. */
  public static void register(EventBus bus) {
    try {
      bus.registerDefaultCodec(SummaryTick.class, new SummaryCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another verticle on the same bus registered it first.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, SummaryTick tick) {
    throw new UnsupportedOperationException("the summary is published within the node only");
  }

  @Override
  public SummaryTick decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("the summary is published within the node only");
  }

  @Override
  public SummaryTick transform(SummaryTick tick) {
    return tick;
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
