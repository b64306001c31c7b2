package io.ifpulse.traps;

import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import org.snmp4j.TransportStateReference;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * SNMP4J's UDP transport with the per-source rate limit in front of everything else: a datagram
 * over its source's rate is dropped before it is decoded, so a storm costs the receiver a token
 * check per datagram, not a BER decode, a USM key localisation or a decryption.
 */
final class TrapTransport extends DefaultUdpTransportMapping {
  private final SourceBuckets buckets;
  private final TrapCounters counters;

  TrapTransport(UdpAddress bind, SourceBuckets buckets, TrapCounters counters) throws IOException {
    super(bind, false);
    this.buckets = buckets;
    this.counters = counters;
    // One thread receives and decodes in turn: the buckets and the receiver's state need no locks,
    // and the kernel's buffer, not a queue of ours, holds what waits.
    setAsyncMsgProcessingSupported(false);
    setReceiveBufferSize(1 << 20);
  }

  @Override
  protected void fireProcessMessage(DatagramPacket packet, ByteBuffer bis, TransportStateReference ref) {
    if (!buckets.take(packet.getAddress().getHostAddress())) {
      counters.count(TrapCounters.Outcome.RATE_LIMITED);
      return;
    }
    super.fireProcessMessage(packet, bis, ref);
  }
}
