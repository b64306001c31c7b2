package io.ifpulse.summary;

import io.ifpulse.events.LocalOnlyCodec;
import io.vertx.core.eventbus.EventBus;

/**
 * Hands a {@link SummaryTick} to local consumers as it is (it is immutable). A tick never leaves
 * its node: each node with a web side makes its own from the samples it hears, so the summary is
 * published local-only and the codec refuses the wire.
 */
public final class SummaryCodec {
  public static final String NAME = "ifpulse.summary-tick";

  private SummaryCodec() {}

  /** Registers the codec as the default for ticks on {@code bus}; a second call is a no-op. */
  public static void register(EventBus bus) {
    LocalOnlyCodec.register(bus, SummaryTick.class, NAME, "the summary is published within the node only");
  }
}
