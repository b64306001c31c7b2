package io.ifpulse.history;

import io.ifpulse.events.InterfaceSample.Rate;
import io.ifpulse.events.LocalOnlyCodec;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * What the history knows now of every device, all in one answer to {@code
 * ifpulse.history.current}: whether it answers, its poll interval, and each interface's name,
 * state, speed and latest rates. It is what {@code /metrics} shows of the devices.
 *
 * <p>Why one object and not JSON, nor one request per device: a scrape of a hub with 20,000
 * interfaces would otherwise build and then walk 20,000 JsonObjects (a map and a dozen boxed
 * numbers each) or send as many requests as there are devices; this is one small object and one
 * {@code double[]} per interface, made on the history's loop when asked and only read after. It
 * never leaves the node (the history answers for its own node), so it travels without a copy.
 */
public record CurrentRates(List<Device> devices) {

  /**
   * @param reachable null until a sample or status said
   * @param intervalMs the interval of the latest sample (the live one while watched)
   */
  public record Device(String id, Boolean reachable, long intervalMs, List<Interface> interfaces) {}

  /** One interface: discovery's metadata merged with the latest sample, as {@code /api/devices/{id}} shows it. */
  public static final class Interface {
    private final int ifIndex;
    private final String name;
    private final String oper;
    private final double speedBps;
    private final double[] rates;

    /**
     * @param speedBps NaN when unknown
     * @param rates by {@link Rate#ordinal()}, NaN where the sample has none; null when the latest
     *     sample has no rates for the interface (a gap, or no sample yet)
     */
    public Interface(int ifIndex, String name, String oper, double speedBps, double[] rates) {
      this.ifIndex = ifIndex;
      this.name = name;
      this.oper = oper;
      this.speedBps = speedBps;
      this.rates = rates;
    }

    public int ifIndex() {
      return ifIndex;
    }

    /** Null when neither discovery nor a sample named it. */
    public String name() {
      return name;
    }

    /** ifOperStatus as the sample says it ("up", "down", ...), or null. */
    public String oper() {
      return oper;
    }

    /** NaN when unknown. */
    public double speedBps() {
      return speedBps;
    }

    /** Whether the latest sample has rates for this interface (not a gap). */
    public boolean hasRates() {
      return rates != null;
    }

    /** NaN when absent. */
    public double rate(Rate r) {
      return rates == null ? Double.NaN : rates[r.ordinal()];
    }
  }

  /** The codec that hands the object over as it is: it is immutable once made, and answered within the node only. */
  static final String CODEC = "ifpulse.current-rates";

  static void registerCodec(EventBus bus) {
    LocalOnlyCodec.register(bus, CurrentRates.class, CODEC, "the current rates are answered within the node only");
  }
}
