package io.ifpulse.sim;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.snmp4j.TransportStateReference;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.UdpTransportMapping;

/**
 * One thread and one {@link Selector} serving the UDP sockets of any number of simulated agents.
 * SNMP4J's {@code DefaultUdpTransportMapping} costs a thread per socket; with hundreds of
 * simulated devices that is hundreds of threads. Each socket here is still an ordinary SNMP4J
 * {@link UdpTransportMapping} ({@link Endpoint}), so message decoding, the v1/v2c message
 * processing models and response encoding remain SNMP4J's.
 *
 * <p>Received messages are processed on the hub thread (the agents never block); replies go out
 * with a non-blocking send from whichever thread answers (the hub thread, or the delay scheduler).
 */
final class UdpHub implements AutoCloseable {
  private static final int SOCKET_BUFFER = 4 << 20;
  /** Datagrams read from one socket before the selector moves on (fairness between devices). */
  private static final int BATCH = 32;

  private final Selector selector;
  private final Thread thread;
  private volatile boolean running = true;
  private final java.util.List<Endpoint> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
  final AtomicLong sendDrops = new AtomicLong();

  UdpHub(String threadName) throws IOException {
    selector = Selector.open();
    thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** The hub's thread id (for CPU measurement). */
  long threadId() {
    return thread.getId();
  }

  Endpoint bind(InetSocketAddress address) throws IOException {
    DatagramChannel ch =
        DatagramChannel.open(
            address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
      ch.bind(address);
      ch.configureBlocking(false);
      InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
      Endpoint ep = new Endpoint(new UdpAddress(local.getAddress(), local.getPort()), ch);
      ch.register(selector, SelectionKey.OP_READ, ep);
      endpoints.add(ep);
      selector.wakeup();
      return ep;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    while (running) {
      try {
        selector.select();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          Endpoint ep = (Endpoint) key.attachment();
          try {
            for (int i = 0; i < BATCH; i++) {
              buf.clear();
              SocketAddress from = ep.channel.receive(buf);
              if (from == null) break;
              buf.flip();
              byte[] message = new byte[buf.remaining()];
              buf.get(message);
              ep.deliver((InetSocketAddress) from, message);
            }
          } catch (ClosedChannelException closed) {
            key.cancel();
          } catch (IOException | RuntimeException e) {
            // One bad datagram or responder failure must not stop the other agents.
          }
        }
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // keep serving
      }
    }
  }

  @Override
  public void close() {
    running = false;
    for (Endpoint ep : endpoints) {
      try {
        ep.channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** One agent's UDP socket, as an SNMP4J transport mapping. */
  final class Endpoint extends UdpTransportMapping {
    final DatagramChannel channel;
    /** Where replies leave from when not from {@code channel} (a hostile agent); null: channel. */
    volatile DatagramChannel replyFrom;
    /** The faults of the simulated network to this agent; null: a clean network. */
    volatile NetworkFaults faults;

    Endpoint(UdpAddress address, DatagramChannel channel) {
      super(address);
      this.channel = channel;
    }

    int port() {
      return udpAddress.getPort();
    }

    void deliver(InetSocketAddress from, byte[] message) {
      NetworkFaults f = faults;
      if (f != null && f.loseRequest()) return;
      UdpAddress peer = new UdpAddress(from.getAddress(), from.getPort());
      TransportStateReference ref =
          new TransportStateReference(
              this, peer, null, SecurityLevel.undefined, SecurityLevel.undefined, false, channel);
      fireProcessMessage(peer, ByteBuffer.wrap(message), ref);
    }

    @Override
    public void sendMessage(UdpAddress to, byte[] message, TransportStateReference ref, long timeout, int retries)
        throws IOException {
      NetworkFaults f = faults;
      if (f == null) {
        send(to, message);
        return;
      }
      f.reply(() -> {
        try {
          send(to, message);
        } catch (IOException e) {
          // lost, as UDP would lose it
        }
      });
    }

    private void send(UdpAddress to, byte[] message) throws IOException {
      DatagramChannel out = replyFrom != null ? replyFrom : channel;
      int sent = out.send(ByteBuffer.wrap(message), new InetSocketAddress(to.getInetAddress(), to.getPort()));
      if (sent == 0) sendDrops.incrementAndGet(); // socket buffer full: lost, as UDP would lose it
    }

    @Override
    public void listen() {
      // registered with the hub's selector at bind time
    }

    @Override
    public boolean isListening() {
      return channel.isOpen();
    }

    /** Replies leave from another socket (bound to any free port of the same address) from now on. */
    void replyFromAnotherPort() throws IOException {
      DatagramChannel other = DatagramChannel.open(channel.getLocalAddress() instanceof InetSocketAddress a
          && a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      other.bind(new InetSocketAddress(((InetSocketAddress) channel.getLocalAddress()).getAddress(), 0));
      other.configureBlocking(false);
      replyFrom = other;
    }

    @Override
    public void close() throws IOException {
      channel.close();
      DatagramChannel other = replyFrom;
      if (other != null) other.close();
    }
  }
}
