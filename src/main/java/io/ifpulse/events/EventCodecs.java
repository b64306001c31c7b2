package io.ifpulse.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.function.Function;

/**
 * How the events travel on the bus: as the record itself to every consumer in the process, and
 * as their documented JSON (docs/EVENTS.md, written by {@link EventJson}) to other nodes, which
 * decode it back into an equal record.
 *
 * <p>Vert.x would otherwise copy a message for each local consumer. A sample of 50 interfaces is
 * a list of 50 records; the history, the alerts and the bridge each taking a copy of the
 * JsonObject it used to be was a fifth of the hub's Java time at 20,000 interfaces a second (JFR,
 * benchmark scenario 2). Events are never changed after publication, so the one object is safe.
 *
 * <p>The codecs are the default for their classes: {@code publish(address, sample)} needs no
 * options. Every node that sends or receives events registers them ({@link #register}); a node
 * started through {@code Main} does, and so must a Vert.x node that joins the cluster without it.
 */
public final class EventCodecs {
  static final MessageCodec<TrafficSample, TrafficSample> TRAFFIC = new Codec<>("ifpulse.traffic-sample", EventJson::traffic);
  static final MessageCodec<StatusEvent, StatusEvent> STATUS = new Codec<>("ifpulse.status-event", EventJson::status);
  static final MessageCodec<AlertEvent, AlertEvent> ALERT = new Codec<>("ifpulse.alert-event", EventJson::alert);
  static final MessageCodec<GroupSample, GroupSample> GROUP = new Codec<>("ifpulse.group-sample", b -> EventJson.group((Object) b));

  private EventCodecs() {}

  /** Registers the codecs on {@code bus}, unless they are there already. */
  public static void register(EventBus bus) {
    register(bus, TrafficSample.class, TRAFFIC);
    register(bus, StatusEvent.class, STATUS);
    register(bus, AlertEvent.class, ALERT);
    register(bus, GroupSample.class, GROUP);
  }

  private static <T> void register(EventBus bus, Class<T> type, MessageCodec<T, T> codec) {
    try {
      bus.registerDefaultCodec(type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // Every verticle that publishes or consumes events registers them; the second one lands here.
    }
  }

  private static final class Codec<T> implements MessageCodec<T, T> {
    private final String name;
    private final Function<Buffer, T> decode;

    Codec(String name, Function<Buffer, T> decode) {
      this.name = name;
      this.decode = decode;
    }

    @Override
    public void encodeToWire(Buffer buffer, T event) {
      int at = buffer.length();
      buffer.appendInt(0);
      EventJson.appendTo(buffer, event);
      buffer.setInt(at, buffer.length() - at - 4);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return decode.apply(buffer.slice(pos + 4, pos + 4 + length));
    }

    @Override
    public T transform(T event) {
      return event;
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
}
