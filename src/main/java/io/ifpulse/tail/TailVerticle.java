package io.ifpulse.tail;

import io.ifpulse.events.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes every traffic and status message of the given devices to a stream as one JSON object per
 * line, for {@code jq} and friends. It is an ordinary event-bus consumer: what it prints is exactly
 * what any other verticle receives.
 */
public final class TailVerticle extends VerticleBase {
  private final List<String> deviceIds;
  private final PrintStream out;
  private final boolean withStatus;

  public TailVerticle(List<String> deviceIds, PrintStream out, boolean withStatus) {
    this.deviceIds = List.copyOf(deviceIds);
    this.out = out;
    this.withStatus = withStatus;
  }

  @Override
  public Future<?> start() {
    for (String id : deviceIds) {
      vertx.eventBus().<JsonObject>consumer(Addresses.traffic(id), m -> print("traffic", m.body()));
      if (withStatus) vertx.eventBus().<JsonObject>consumer(Addresses.status(id), m -> print("status", m.body()));
    }
    return Future.succeededFuture();
  }

  private void print(String kind, JsonObject body) {
    // Printing to a pipe can block if the reader is slow; the stream is buffered and the volume
    // is one line per device per poll, which a terminal or jq keeps up with.
    out.println(new JsonObject().put("type", kind).mergeIn(body).encode());
  }
}
