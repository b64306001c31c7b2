package io.ifpulse.tail;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.DeviceSubscriptions;
import io.ifpulse.events.EventCodecs;
import io.ifpulse.events.EventJson;
import io.ifpulse.registry.DeviceRegistry;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes every traffic and status message of the given devices to a stream as one JSON object per
 * line, for {@code jq} and friends. It is an ordinary event-bus consumer: what it prints is the JSON
 * other nodes and browsers receive ({@link EventJson}), with {@code "type"} first.
 */
public final class TailVerticle extends VerticleBase {
  private final DeviceRegistry registry;
  private final PrintStream out;
  private final boolean withStatus;
  private final Map<String, List<MessageConsumer<Object>>> consumers = new HashMap<>();

  public TailVerticle(DeviceRegistry registry, PrintStream out, boolean withStatus) {
    this.registry = registry;
    this.out = out;
    this.withStatus = withStatus;
  }

  @Override
  public Future<?> start() {
    EventCodecs.register(vertx.eventBus());
    new DeviceSubscriptions(registry, id -> {
      List<MessageConsumer<Object>> cs = new ArrayList<>();
      cs.add(vertx.eventBus().consumer(Addresses.traffic(id), m -> print("traffic", EventJson.traffic(m.body()))));
      if (withStatus) cs.add(vertx.eventBus().consumer(Addresses.status(id), m -> print("status", EventJson.status(m.body()))));
      consumers.put(id, cs);
    }, id -> {
      List<MessageConsumer<Object>> cs = consumers.remove(id);
      if (cs != null) cs.forEach(MessageConsumer::unregister);
    }).start(context);
    return Future.succeededFuture();
  }

  private void print(String kind, Object event) {
    // Printing to a pipe can block if the reader is slow; the stream is buffered and the volume
    // is one line per device per poll, which a terminal or jq keeps up with.
    out.println(EventJson.line(kind, event));
  }
}
