package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.time.MonotonicClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.asn1.BER;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * The SNMP v1/v2c command responder of one {@link SimDevice}: answers GET, GETNEXT and GETBULK
 * straight from the device's computed values (no agent framework, no OID tree), with the
 * protocol's edge cases — community check, v1 noSuchName vs v2c exceptions, endOfMibView,
 * tooBig for GET/GETNEXT and RFC 3416 truncation for GETBULK — and the device's misbehaviour
 * (silence, reply delay, and the {@link SimDeviceSpec.Hostile} modes that spoil replies).
 */
final class SimAgent implements CommandResponder {
  private final SimDevice device;
  private final ScheduledExecutorService delays;

  SimAgent(SimDevice device, ScheduledExecutorService delays) {
    this.device = device;
    this.delays = delays;
  }

  @Override
  public <A extends Address> void processPdu(CommandResponderEvent<A> e) {
    e.setProcessed(true);
    PDU request = e.getPDU();
    if (request == null) return;
    int type = request.getType();
    if (type != PDU.GET && type != PDU.GETNEXT && type != PDU.GETBULK && type != PDU.SET) return;
    device.countRequest();
    if (!device.communityMatches(e.getSecurityName())) return; // like a real agent: silently dropped
    if (device.silent()) return;
    if (request.size() > device.dropRequestsAbove()) return; // a path that loses large datagrams
    boolean v1 = e.getMessageProcessingModel() == MessageProcessingModel.MPv1;
    if (v1 && type == PDU.GETBULK) return; // not an SNMPv1 PDU
    long received = MonotonicClock.nanos();
    double delayMs = device.delayMs();
    if (delayMs <= 0) {
      answer(e, received, v1);
      return;
    }
    long delayNanos = Math.round(delayMs * 1e6);
    try {
      // Values are taken half-way through the delay, like a symmetric network round trip.
      delays.schedule(() -> answer(e, received + delayNanos / 2, v1), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // simulator shutting down
    }
  }

  private <A extends Address> void answer(CommandResponderEvent<A> e, long asOf, boolean v1) {
    PDU request = e.getPDU();
    PDU response = respond(request, e.getSecurityName().length, asOf, v1);
    SimDeviceSpec.Hostile hostile = device.spec().hostile();
    long number = device.nextReply();
    // Only GET replies flip: a walk that met a Counter32 in an HC column would take the agent for
    // one without HC counters, and then nothing would flip at all.
    if (hostile.flipWidths() && number % 2 == 1 && request.getType() == PDU.GET) narrowCounters(response);
    // Counted before sending, so a client that has the reply also sees the count.
    if (response.getErrorStatus() == PDU.noError) device.countVarbinds(response.size());
    int copies = hostile.duplicate() ? 2 : 1;
    if (hostile.lateMs() > 0 && number % 2 == 1) {
      try {
        delays.schedule(() -> send(e, response, copies), Math.round(hostile.lateMs() * 1e6), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        // simulator shutting down
      }
      return;
    }
    send(e, response, copies);
  }

  private static <A extends Address> void send(CommandResponderEvent<A> e, PDU response, int copies) {
    for (int i = 0; i < copies; i++) send(e, response);
  }

  private static <A extends Address> void send(CommandResponderEvent<A> e, PDU response) {
    try {
      e.getMessageDispatcher()
          .returnResponsePdu(
              e.getMessageProcessingModel(),
              e.getSecurityModel(),
              e.getSecurityName(),
              e.getSecurityLevel(),
              response,
              e.getMaxSizeResponsePDU(),
              e.getStateReference(),
              new StatusInformation());
    } catch (MessageException | RuntimeException ex) {
      // A reply that cannot be encoded or sent is lost, as UDP would lose it.
    }
  }

  /** Builds the response PDU for a request, as of the instant asOf. */
  PDU respond(PDU request, int communityLength, long asOf, boolean v1) {
    PDU r = respondAsAgent(request, communityLength, asOf, v1);
    SimDeviceSpec.Hostile hostile = device.spec().hostile();
    if (hostile.wrongTypes()) {
      for (VariableBinding vb : r.getVariableBindings()) {
        if (vb.getVariable() instanceof Counter32 || vb.getVariable() instanceof Counter64) {
          vb.setVariable(new OctetString(vb.getVariable().toString()));
        }
      }
    }
    if (hostile.reorder() && request.getType() == PDU.GET && r.getErrorStatus() == PDU.noError && r.size() > 1) {
      List<VariableBinding> reversed = new ArrayList<>(r.getVariableBindings());
      Collections.reverse(reversed);
      r.setVariableBindings(reversed); // clear() would also reset the request id
    }
    return r;
  }

  /** Counter64 values as Counter32 (their low 32 bits), as an agent flipping between the two would send them. */
  private static void narrowCounters(PDU r) {
    for (VariableBinding vb : r.getVariableBindings()) {
      if (vb.getVariable() instanceof Counter64 c) vb.setVariable(new Counter32(c.getValue() & 0xFFFF_FFFFL));
    }
  }

  private PDU respondAsAgent(PDU request, int communityLength, long asOf, boolean v1) {
    SimDevice.View view = device.view(asOf);
    List<? extends VariableBinding> in = request.getVariableBindings();
    Size size = new Size(device.maxMessageSize(), communityLength, request.getRequestID().getValue());
    PDU r = v1 ? new PDUv1() : new PDU();
    r.setType(PDU.RESPONSE);
    r.setRequestID(request.getRequestID());
    SimDeviceSpec.Hostile hostile = device.spec().hostile();
    if (hostile.tooBig()) return tooBig(r, v1, in);
    int type = request.getType() == PDU.GET && hostile.getAsNext() ? PDU.GETNEXT : request.getType();
    if (type == PDU.GETBULK && hostile.bulkStuck()) {
      stuck(r, in, view);
      return r;
    }
    switch (type) {
      case PDU.GET -> {
        List<VariableBinding> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          VariableBinding vb = in.get(i);
          Variable value = device.get(vb.getOid().getValue(), view, v1);
          if (v1 && value.isException()) return error(r, PDU.noSuchName, i + 1, in);
          VariableBinding answer = new VariableBinding(vb.getOid(), value);
          out.add(answer);
          size.add(answer);
        }
        if (size.tooBig()) return tooBig(r, v1, in);
        r.addAll(out);
      }
      case PDU.GETNEXT -> {
        List<VariableBinding> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          VariableBinding vb = in.get(i);
          VariableBinding next = device.next(vb.getOid().getValue(), view, v1);
          if (next == null) {
            if (v1) return error(r, PDU.noSuchName, i + 1, in);
            next = new VariableBinding(vb.getOid(), Null.endOfMibView);
          }
          out.add(next);
          size.add(next);
        }
        if (size.tooBig()) return tooBig(r, v1, in);
        r.addAll(out);
      }
      case PDU.GETBULK -> bulk(r, request, view, size);
      default -> {
        // SET: this agent is read-only.
        return error(r, v1 ? PDU.noSuchName : PDU.notWritable, 1, in);
      }
    }
    return r;
  }

  /**
   * Hostile GETBULK that never advances: an OID that has a value is answered with itself, so a
   * walker gets its first rows (from the bare column OIDs) and then the same OIDs again.
   */
  private void stuck(PDU r, List<? extends VariableBinding> in, SimDevice.View view) {
    for (VariableBinding vb : in) {
      Variable value = device.get(vb.getOid().getValue(), view, false);
      VariableBinding out = value.isException() ? device.next(vb.getOid().getValue(), view, false) : new VariableBinding(vb.getOid(), value);
      r.add(out != null ? out : new VariableBinding(vb.getOid(), Null.endOfMibView));
    }
  }

  /** GETBULK per RFC 3416 4.2.3, truncated to what fits into the maximum message size. */
  private void bulk(PDU r, PDU request, SimDevice.View view, Size size) {
    List<? extends VariableBinding> in = request.getVariableBindings();
    int n = Math.max(0, Math.min(request.getNonRepeaters(), in.size()));
    int m = Math.max(0, request.getMaxRepetitions());
    int repeaters = in.size() - n;
    for (int i = 0; i < n; i++) {
      VariableBinding next = device.next(in.get(i).getOid().getValue(), view, false);
      if (next == null) next = new VariableBinding(in.get(i).getOid(), Null.endOfMibView);
      if (!size.fits(next)) return;
      r.add(next);
    }
    if (repeaters == 0) return;
    VariableBinding[] last = new VariableBinding[repeaters];
    for (int j = 0; j < repeaters; j++) last[j] = in.get(n + j);
    for (int rep = 0; rep < m; rep++) {
      boolean allEnd = true;
      for (int j = 0; j < repeaters; j++) {
        VariableBinding prev = last[j];
        VariableBinding next = null;
        if (prev.getVariable().getSyntax() != SMIConstants.EXCEPTION_END_OF_MIB_VIEW) next = device.next(prev.getOid().getValue(), view, false);
        if (next == null) next = new VariableBinding(prev.getOid(), Null.endOfMibView);
        else allEnd = false;
        if (!size.fits(next)) return;
        r.add(next);
        last[j] = next;
      }
      if (allEnd) return;
    }
  }

  private static PDU error(PDU r, int status, int index, List<? extends VariableBinding> echo) {
    r.setErrorStatus(status);
    r.setErrorIndex(index);
    r.addAll(echo);
    return r;
  }

  /** v2c: tooBig with an empty varbind list (RFC 3416); v1: the request's bindings (RFC 1157). */
  private static PDU tooBig(PDU r, boolean v1, List<? extends VariableBinding> in) {
    r.setErrorStatus(PDU.tooBig);
    r.setErrorIndex(0);
    if (v1) r.addAll(in);
    return r;
  }

  /**
   * Size of the whole SNMP message (SEQUENCE{version, community, PDU}) as bindings are added, to
   * compare with the agent's maximum message size.
   */
  static final class Size {
    private final int max;
    private final int community;
    private final int pduFixed;
    private int bindings;

    Size(int max, int communityLength, int requestId) {
      this.max = max;
      this.community = 1 + BER.getBERLengthOfLength(communityLength) + communityLength;
      // request-id + error-status + error-index (both small: 3 bytes each)
      this.pduFixed = new Integer32(requestId).getBERLength() + 3 + 3;
    }

    int messageLength(int bindingBytes) {
      int list = 1 + BER.getBERLengthOfLength(bindingBytes) + bindingBytes;
      int pduContent = pduFixed + list;
      int pdu = 1 + BER.getBERLengthOfLength(pduContent) + pduContent;
      int content = 3 + community + pdu; // version is 3 bytes
      return 1 + BER.getBERLengthOfLength(content) + content;
    }

    void add(VariableBinding vb) {
      bindings += vb.getBERLength();
    }

    boolean tooBig() {
      return messageLength(bindings) > max;
    }

    /** Adds vb if the message still fits; false (and nothing added) if it would not. */
    boolean fits(VariableBinding vb) {
      int b = vb.getBERLength();
      if (messageLength(bindings + b) > max) return false;
      bindings += b;
      return true;
    }
  }
}
