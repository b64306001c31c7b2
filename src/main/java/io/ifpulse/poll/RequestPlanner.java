package io.ifpulse.poll;

import io.ifpulse.config.DeviceConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a device's polls ask for, in which GETs: no I/O, so every packing, split, shrink and
 * fallback case is a row in a table test.
 *
 * <ul>
 *   <li>A poll asks for sysUpTime and the counter columns of the polled interfaces, packed into as
 *       few GETs as have replies within {@code maxReplyBytes} by BER size estimate, each with
 *       sysUpTime (restart detection needs it in every reply).
 *   <li>An agent that answers tooBig gets the request again in two halves, and requests carry at
 *       most half as many varbinds from then on.
 *   <li>Large requests that time out while smaller ones of the same poll are answered point at a
 *       path that drops large datagrams (fragments, MTU): requests carry at most half the
 *       largest one that timed out.
 *   <li>A counter the agent has no instance of falls back from its 64-bit column to the 32-bit
 *       one, or is dropped, for that interface alone ({@link PolledInterface#columnMissing}).
 * </ul>
 */
final class RequestPlanner {
  static final int[] SYS_UPTIME = {1, 3, 6, 1, 2, 1, 1, 3, 0};
  /** Shrinking stops here: a request of fewer would carry hardly more than its sysUpTime. */
  static final int MIN_VARBINDS = 4;

  private final int budget;
  private List<PolledInterface> interfaces = List.of();
  /** Null when something changed since the last poll: the next one packs again. */
  private List<PlannedGet> plan;
  private int maxVarbinds = Integer.MAX_VALUE;
  private int shrinks;
  private int timedOutLarge;

  /**
   * @param maxReplyBytes the reply size each request is packed to fit
   * @param replyOverhead what a reply carries besides its varbinds ({@link #replyOverhead})
   */
  RequestPlanner(int maxReplyBytes, int replyOverhead) {
    this.budget = maxReplyBytes - replyOverhead - PolledInterface.varbindBytes(SYS_UPTIME, 6);
  }

  /** Message header, community or USM parameters, PDU header: what a reply carries besides varbinds. */
  static int replyOverhead(DeviceConfig config) {
    return config.community() != null ? 40 + config.community().reveal().length() : 180;
  }

  List<PolledInterface> interfaces() {
    return interfaces;
  }

  void setInterfaces(List<PolledInterface> all) {
    interfaces = List.copyOf(all);
    plan = null;
  }

  /** The GETs of the next poll. */
  List<PlannedGet> requests() {
    if (plan == null) plan = pack();
    return plan;
  }

  /** GETs per poll as last packed; 0 while a change waits for the next poll to pack again. */
  int requestsPerPoll() {
    return plan == null ? 0 : plan.size();
  }

  /** Times requests were made smaller. */
  int shrinks() {
    return shrinks;
  }

  int maxVarbinds() {
    return maxVarbinds;
  }

  /** The agent has no instance of this counter of this interface. */
  void noInstance(PolledInterface p, int counter) {
    p.columnMissing(counter);
    plan = null;
  }

  /** The agent answered {@code get} with tooBig; true when requests are smaller from now on. */
  boolean tooBig(PlannedGet get) {
    return shrinkTo(get.size() / 2);
  }

  /** The two halves to ask for instead of a request answered with tooBig. */
  List<PlannedGet> split(PlannedGet get) {
    int half = get.interfaces.size() / 2;
    return List.of(new PlannedGet(get.interfaces.subList(0, half), get.first),
        new PlannedGet(get.interfaces.subList(half, get.interfaces.size()), get.first + half));
  }

  /** {@code get} timed out; judged when the poll is over, against what else was answered. */
  void timedOut(PlannedGet get) {
    if (get.size() > 2 * MIN_VARBINDS) timedOutLarge = Math.max(timedOutLarge, get.size());
  }

  /**
   * The poll is over. When the agent answered some of its requests while large ones timed out,
   * requests carry at most half the largest of those from now on.
   *
   * @return the varbinds of that largest request when this made requests smaller, else 0
   */
  int pollFinished(boolean anyAnswered) {
    int large = timedOutLarge;
    timedOutLarge = 0;
    return anyAnswered && large > 0 && shrinkTo(large / 2) ? large : 0;
  }

  private boolean shrinkTo(int varbinds) {
    int next = Math.max(MIN_VARBINDS, varbinds);
    if (next >= maxVarbinds) return false;
    maxVarbinds = next;
    shrinks++;
    plan = null;
    return true;
  }

  /** Interfaces in order, each request as many as fit the reply budget and the varbind cap. */
  private List<PlannedGet> pack() {
    List<PlannedGet> out = new ArrayList<>();
    int from = 0;
    int bytes = 0;
    int varbinds = 1;
    for (int i = 0; i < interfaces.size(); i++) {
      PolledInterface p = interfaces.get(i);
      int b = p.replyBytes();
      int v = p.varbinds();
      if (i > from && (bytes + b > budget || varbinds + v > maxVarbinds)) {
        out.add(new PlannedGet(interfaces.subList(from, i), from));
        from = i;
        bytes = 0;
        varbinds = 1;
      }
      bytes += b;
      varbinds += v;
    }
    if (from < interfaces.size()) out.add(new PlannedGet(interfaces.subList(from, interfaces.size()), from));
    return out;
  }
}
