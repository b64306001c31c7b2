package io.ifpulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Picks free ports on 127.0.0.1 for the agents the tests start. */
public final class FreePorts {

  private FreePorts() {}

  /**
   * A UDP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released). Another
   * process may take it before the caller binds it; the fixtures retry with a new port when their
   * agent fails to bind.
   */
  public static int udp() {
    try (DatagramSocket socket = new DatagramSocket(null)) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free UDP port on 127.0.0.1", e);
    }
  }
}
