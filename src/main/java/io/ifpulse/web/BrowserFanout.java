package io.ifpulse.web;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.EventCodecs;
import io.ifpulse.summary.SummaryCodec;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.ifpulse.events.SharedJsonCodec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries hub addresses to the browser-side event bus, with exactly one hub subscription per
 * address however many browsers (and local consumers such as the history) want it.
 *
 * <p>The SockJS bridge registers an event-bus consumer per browser per address; on a clustered
 * bus each of those is a cluster-wide registration, and thousands of them is a known way to bring
 * a cluster down. So the bridge runs on a separate, never-clustered Vert.x ("web"), and this class
 * holds one reference-counted consumer per address on the hub bus, republishing each message on
 * the web bus to the local registrations. The events cross as the records they are ({@link
 * EventCodecs}, registered on both buses): every browser's registration gets the one object, and
 * {@link EnvelopeEncoder} writes its JSON once.
 *
 * <p>Called on the web verticle's event loop only.
 */
final class BrowserFanout {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** JSON a verticle of another kind published on these addresses: shared as well, not copied per browser. */
  private static final DeliveryOptions LOCAL_SHARED_JSON = new DeliveryOptions().setLocalOnly(true).setCodecName(SharedJsonCodec.NAME);

  private final Vertx hub;
  private final Vertx web;
  private final Map<String, Subscription> subscriptions = new HashMap<>();

  private static final class Subscription {
    int refs;
    MessageConsumer<Object> consumer;
  }

  BrowserFanout(Vertx hub, Vertx web) {
    this.hub = hub;
    this.web = web;
    EventCodecs.register(hub.eventBus());
    SharedJsonCodec.register(web.eventBus());
    SummaryCodec.register(hub.eventBus());
    SummaryCodec.register(web.eventBus());
  }

  void acquire(String address) {
    Subscription s = subscriptions.computeIfAbsent(address, a -> new Subscription());
    if (s.refs++ == 0) {
      Handler<Message<Object>> republish = m -> {
        Object body = m.body();
        web.eventBus().publish(address, body, body instanceof JsonObject ? LOCAL_SHARED_JSON : LOCAL);
      };
      // The summary is each node's own (made from what it hears): no cluster-wide registration.
      s.consumer = Addresses.SUMMARY.equals(address)
          ? hub.eventBus().localConsumer(address, republish)
          : hub.eventBus().consumer(address, republish);
    }
  }

  void release(String address) {
    Subscription s = subscriptions.get(address);
    if (s == null) return;
    if (--s.refs <= 0) {
      s.consumer.unregister();
      subscriptions.remove(address);
    }
  }

  /** Hub subscriptions held: one per address in use, whatever the number of browsers. */
  int hubSubscriptions() {
    return subscriptions.size();
  }
}
