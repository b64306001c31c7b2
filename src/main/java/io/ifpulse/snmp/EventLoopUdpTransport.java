package io.ifpulse.snmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.snmp4j.TransportStateReference;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.UdpTransportMapping;

/**
 * SNMP4J's UDP transport on a Vert.x event loop instead of a thread of its own. SNMP4J's stock
 * transport blocks a thread in {@code receive} and hands every reply to the poller's event loop:
 * two thread wake-ups per reply, which on a virtual machine cost more CPU than decoding the reply
 * (measured with perf: a fifth of the hub's CPU at 2,000 varbinds/s was that receive thread). Here
 * the socket is a Netty channel on the poller's own event loop: the reply is read, decoded and
 * matched to its request on the thread that polls, with no hand-over.
 *
 * <p>Each datagram is stamped when it comes off the socket, before SNMP4J decodes it; the response
 * listener runs on the same thread and reads the stamp through {@link #receivedNanos()}, so decode
 * time never counts as network time.
 */
final class EventLoopUdpTransport extends UdpTransportMapping {
  private static final Logger LOG = Logger.getLogger(EventLoopUdpTransport.class.getName());
  private static final ThreadLocal<long[]> RECEIVED = ThreadLocal.withInitial(() -> new long[1]);

  private final NioDatagramChannel channel;
  private final ChannelFuture registered;

  EventLoopUdpTransport(EventLoop loop, int receiveBufferBytes) throws IOException {
    super(new UdpAddress("0.0.0.0/0"));
    DatagramChannel socket = DatagramChannel.open();
    try {
      // Replies of many agents arrive in bursts; a larger buffer keeps the kernel from dropping them.
      socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
      socket.bind(new InetSocketAddress(0));
      socket.configureBlocking(false);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    udpAddress = new UdpAddress(((InetSocketAddress) socket.getLocalAddress()).getAddress(),
        ((InetSocketAddress) socket.getLocalAddress()).getPort());
    channel = new NioDatagramChannel(socket);
    // A reply can be as large as UDP allows (an agent ignoring maxReplyBytes, a v3 report).
    channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(65_536));
    channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        receive(packet);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "SNMP socket: " + cause, cause);
      }
    });
    registered = loop.register(channel);
  }

  /** Completes once the socket reads on its event loop. */
  ChannelFuture registered() {
    return registered;
  }

  private void receive(DatagramPacket packet) {
    long stamp = System.nanoTime();
    ByteBuf content = packet.content();
    byte[] message = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), message);
    InetSocketAddress from = packet.sender();
    UdpAddress peer = new UdpAddress(from.getAddress(), from.getPort());
    TransportStateReference ref = new TransportStateReference(this, peer, null, SecurityLevel.undefined,
        SecurityLevel.undefined, false, channel);
    long[] received = RECEIVED.get();
    received[0] = stamp;
    try {
      fireProcessMessage(peer, ByteBuffer.wrap(message), ref);
    } catch (RuntimeException e) {
      // A message SNMP4J cannot take is that message's problem, not the socket's.
      LOG.log(Level.FINE, "dropped a message from " + peer + ": " + e, e);
    } finally {
      received[0] = 0;
    }
  }

  /** The receive time of the datagram being processed on this thread, or now if there is none. */
  static long receivedNanos() {
    long t = RECEIVED.get()[0];
    return t != 0 ? t : System.nanoTime();
  }

  @Override
  public void sendMessage(UdpAddress to, byte[] message, TransportStateReference ref, long timeout, int retries)
      throws IOException {
    if (!channel.isOpen()) throw new SocketException("SNMP socket closed");
    // From the event loop this writes at once; from another thread (a timeout that starts the next
    // queued request) Netty queues it onto the loop.
    channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message),
        new InetSocketAddress(to.getInetAddress(), to.getPort())));
  }

  @Override
  public void listen() {
    // Reading starts when the channel is registered with its event loop (constructor).
  }

  @Override
  public boolean isListening() {
    return channel.isOpen();
  }

  @Override
  public void close() {
    channel.close();
  }
}
