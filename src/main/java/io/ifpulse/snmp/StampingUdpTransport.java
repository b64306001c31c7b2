package io.ifpulse.snmp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import org.snmp4j.TransportStateReference;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * SNMP4J's UDP transport, noting when each datagram came off the socket. SNMP4J decodes (and for
 * v3 decrypts) a message and calls the response listener on this same thread, so the listener can
 * read the stamp of the datagram it is answering: decode time no longer counts as network time.
 * Because of that same-thread decoding, the receive buffer is reused (see the constructor); a
 * dispatcher that decodes on another thread must not be used with this transport.
 */
final class StampingUdpTransport extends DefaultUdpTransportMapping {
  private static final ThreadLocal<long[]> RECEIVED = ThreadLocal.withInitial(() -> new long[1]);

  StampingUdpTransport() throws IOException {
    super();
    // SnmpClient's MessageDispatcherImpl decodes each message on this thread before the next
    // receive, so the one receive buffer can be reused. With the default (true) SNMP4J allocates
    // a fresh 64 KB buffer for every datagram: at 10,000 replies a second that was most of the
    // hub's allocation and of its young collections.
    setAsyncMsgProcessingSupported(false);
  }

  @Override
  protected void fireProcessMessage(DatagramPacket packet, ByteBuffer bis, TransportStateReference ref) {
    long[] stamp = RECEIVED.get();
    stamp[0] = System.nanoTime();
    try {
      super.fireProcessMessage(packet, bis, ref);
    } finally {
      stamp[0] = 0;
    }
  }

  /** The receive time of the datagram being processed on this thread, or now if there is none. */
  static long receivedNanos() {
    long t = RECEIVED.get()[0];
    return t != 0 ? t : System.nanoTime();
  }
}
