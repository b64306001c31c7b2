package io.ifpulse.poll;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A v2c agent that relays every request to a real one and spoils the replies to poll GETs (those
 * that start with sysUpTime), one way after the other: two interfaces' varbinds swapped, another
 * interface's row from an earlier reply, a column of another table, an OctetString for a counter,
 * the last varbind left out; every sixth reply untouched. Discovery's walks pass unspoilt.
 */
final class GarblingRelay implements AutoCloseable {
  private static final OID SYS_NAME = new OID("1.3.6.1.2.1.1.5.0");

  private final Snmp agent;
  private final Snmp upstream;
  private final int upstreamPort;
  private final int port;
  private final AtomicLong polls = new AtomicLong();
  /** Every varbind the real agent answered, by OID: the stock of "another interface's row". */
  private final Map<OID, VariableBinding> seen = new ConcurrentHashMap<>();

  GarblingRelay(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    dispatcher.addMessageProcessingModel(new MPv2c());
    DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
    agent = new Snmp(dispatcher, transport);
    agent.addCommandResponder(new CommandResponder() {
      @Override
      public <A extends Address> void processPdu(CommandResponderEvent<A> e) {
        answer(e);
      }
    });
    agent.listen();
    port = transport.getListenAddress().getPort();
    upstream = new Snmp(new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0")));
    upstream.listen();
  }

  int port() {
    return port;
  }

  /** Poll GETs answered, spoilt or not. */
  long polls() {
    return polls.get();
  }

  private void answer(CommandResponderEvent<?> e) {
    e.setProcessed(true);
    PDU request = e.getPDU();
    if (request == null) return;
    try {
      PDU forward = new PDU(request);
      forward.setRequestID(new Integer32(0));
      CommunityTarget<UdpAddress> target = new CommunityTarget<>(new UdpAddress("127.0.0.1/" + upstreamPort),
          new OctetString(e.getSecurityName()));
      target.setVersion(SnmpConstants.version2c);
      target.setTimeout(1000);
      ResponseEvent<UdpAddress> r = upstream.send(forward, target);
      PDU reply = r.getResponse();
      if (reply == null) return;
      for (VariableBinding vb : reply.getVariableBindings()) seen.put(vb.getOid(), vb);
      if (request.getType() == PDU.GET && request.size() > 3 && SnmpConstants.sysUpTime.equals(request.get(0).getOid())
          && reply.getErrorStatus() == PDU.noError) {
        spoil(reply, request, polls.getAndIncrement());
      }
      reply.setRequestID(request.getRequestID());
      e.getMessageDispatcher().returnResponsePdu(e.getMessageProcessingModel(), e.getSecurityModel(), e.getSecurityName(),
          e.getSecurityLevel(), reply, e.getMaxSizeResponsePDU(), e.getStateReference(), new StatusInformation());
    } catch (IOException ex) {
      // Lost, as UDP would lose it.
    }
  }

  private void spoil(PDU reply, PDU request, long n) {
    List<VariableBinding> vbs = new ArrayList<>(reply.getVariableBindings());
    switch ((int) (n % 6)) {
      case 1 -> {
        // The first two interfaces' first counters trade places (14 varbinds an interface).
        int other = vbs.size() > 15 ? 15 : vbs.size() - 1;
        VariableBinding a = vbs.get(1);
        vbs.set(1, vbs.get(other));
        vbs.set(other, a);
      }
      case 2 -> {
        VariableBinding foreign = anotherInterfacesRow(vbs.get(1).getOid(), request);
        if (foreign != null) vbs.set(1, foreign);
      }
      case 3 -> vbs.set(3, new VariableBinding(SYS_NAME, new OctetString("core-sw1")));
      case 4 -> vbs.set(2, new VariableBinding(vbs.get(2).getOid(), new OctetString("garbage")));
      case 5 -> vbs.remove(vbs.size() - 1);
      default -> {
        return;
      }
    }
    reply.clear();
    reply.addAll(vbs);
  }

  /** The same column at an interface this request did not ask for, as the agent last answered it. */
  private VariableBinding anotherInterfacesRow(OID oid, PDU request) {
    Set<Integer> asked = new HashSet<>();
    for (VariableBinding vb : request.getVariableBindings()) asked.add(vb.getOid().last());
    OID column = oid.trim();
    for (VariableBinding vb : seen.values()) {
      OID o = vb.getOid();
      if (o.size() == oid.size() && o.startsWith(column) && !asked.contains(o.last())) return vb;
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    agent.close();
    upstream.close();
  }
}
