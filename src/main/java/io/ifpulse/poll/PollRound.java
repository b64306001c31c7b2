package io.ifpulse.poll;

import io.ifpulse.discovery.InterfaceInfo;
import io.ifpulse.events.InterfaceSample;
import io.ifpulse.rate.Counter;
import io.ifpulse.rate.InterfaceRate;
import io.ifpulse.rate.InterfaceReading;
import io.ifpulse.snmp.ReplyDecoder;
import io.ifpulse.snmp.SnmpReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;

/**
 * What one poll gathered: per interface its reading and oper status, and whether the agent
 * answered. Each reply is checked by the device's {@link ReplyDecoder} and then read by the layout
 * of the {@link PlannedGet} that asked, so a value only ever counts as what was asked at its
 * position; what the agent says it lacks goes back to the {@link RequestPlanner} as a fallback.
 */
final class PollRound {
  private static final Logger LOG = Logger.getLogger(PollRound.class.getName());

  private final RequestPlanner planner;
  private final ReplyDecoder decoder;
  private final Object device;
  private final List<PolledInterface> interfaces;
  /** By place in {@link #interfaces}; null where no reading came. */
  private final InterfaceReading[] readings;
  private final String[] oper;
  private int read;
  private long latestReadNanos = Long.MIN_VALUE;
  private int answered;
  private int timedOut;
  private boolean rediscover;

  /** @param device names the device in log lines */
  PollRound(RequestPlanner planner, ReplyDecoder decoder, Object device) {
    this.planner = planner;
    this.decoder = decoder;
    this.device = device;
    this.interfaces = planner.interfaces();
    this.readings = new InterfaceReading[interfaces.size()];
    this.oper = new String[interfaces.size()];
  }

  /** Takes the outcome of one request: its reply, a timeout or a failure. */
  void take(PlannedGet get, SnmpReply reply) {
    if (!reply.ok()) {
      if (reply.timedOut()) {
        timedOut++;
        planner.timedOut(get);
      }
      return;
    }
    answered++; // the agent answered: it is reachable, whatever it said
    decoder.decode(get.request, reply);
    if (decoder.errorStatus() != 0) {
      agentError(get);
      return;
    }
    if (!decoder.has(0)) return; // without its sysUpTime no reading can be judged
    long upTime = decoder.value(0);
    int v = 1;
    for (int k = 0; k < get.interfaces.size(); k++) {
      PolledInterface p = get.interfaces.get(k);
      long[] values = new long[Counter.COUNT];
      byte[] widths = new byte[Counter.COUNT];
      boolean anyCounter = false;
      boolean operAsked = false;
      boolean gone = false;
      String status = "unknown";
      long discontinuity = -1;
      for (; v < get.size() && get.owner(v) == k; v++) {
        int field = get.field(v);
        if (field < Counter.COUNT) {
          if (decoder.has(v)) {
            values[field] = decoder.value(v);
            widths[field] = (byte) decoder.width(v);
            anyCounter = true;
          } else if (decoder.absent(v)) {
            planner.noInstance(p, field);
          }
        } else if (field == PlannedGet.OPER) {
          operAsked = true;
          gone = decoder.absent(v);
          if (decoder.has(v)) status = InterfaceInfo.status((int) decoder.value(v));
        } else if (decoder.has(v)) {
          discontinuity = decoder.value(v);
        }
      }
      if (!anyCounter) {
        // The interface is gone: its status says so, or (status not read) no column is left to try.
        if (operAsked ? gone : p.varbinds() == 0) rediscover = true;
        continue;
      }
      int at = get.first + k;
      oper[at] = status;
      readings[at] = new InterfaceReading(p.info.ifIndex(), values, widths, reply.readNanos(), upTime, discontinuity,
          p.info.speedIsPhysical() ? p.info.speedBps() : 0);
      read++;
      latestReadNanos = Math.max(latestReadNanos, reply.readNanos());
    }
  }

  /**
   * v1 agents answer a missing object with noSuchName for the whole request: that column is
   * dropped for the interface at the error index and the rest asked again next time.
   */
  private void agentError(PlannedGet get) {
    LOG.fine(device + ": agent answered " + decoder.errorText());
    int v = decoder.errorPosition();
    if (!decoder.noSuchName() || v < 0) return;
    int field = get.field(v);
    if (field >= 0 && field < Counter.COUNT) planner.noInstance(get.interfaces.get(get.owner(v)), field);
  }

  /** The interfaces polled, in the order of the device's list. */
  List<PolledInterface> interfaces() {
    return interfaces;
  }

  /** The readings taken, in the order of {@link #interfaces()}. */
  List<InterfaceReading> readings() {
    List<InterfaceReading> out = new ArrayList<>(read);
    for (InterfaceReading r : readings) {
      if (r != null) out.add(r);
    }
    return out;
  }

  /** When the agent read the counters of the newest reading; {@code Long.MIN_VALUE} when none came. */
  long latestReadNanos() {
    return latestReadNanos;
  }

  /**
   * The sample's entry of every interface, in the order of {@link #interfaces()}: its rate, or a
   * no-data gap where no reading came.
   *
   * @param rates the rates of {@link #readings()}, in their order
   */
  List<InterfaceSample> sample(List<InterfaceRate> rates) {
    InterfaceSample[] out = new InterfaceSample[readings.length];
    for (int i = 0, r = 0; i < readings.length; i++) {
      InterfaceInfo info = interfaces.get(i).info;
      InterfaceRate rate = readings[i] != null ? rates.get(r++) : InterfaceRate.gap(info.ifIndex(), InterfaceRate.Gap.NO_DATA);
      out[i] = InterfaceSample.of(info.ifIndex(), info.name(), oper[i] == null ? "unknown" : oper[i], info.speedBps(), rate);
    }
    // The sample's list, unmodifiable, without copying the array again.
    return Collections.unmodifiableList(Arrays.asList(out));
  }

  /** Requests the agent answered (with anything). */
  int answered() {
    return answered;
  }

  int timedOut() {
    return timedOut;
  }

  /** An interface seems to be gone: discovery should look again. */
  boolean rediscover() {
    return rediscover;
  }
}
