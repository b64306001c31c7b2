package io.ifpulse.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A DNS server on loopback that answers A queries for the names a test gives it and NXDOMAIN for
 * every other name, so that the hub's lookups never depend on this machine's resolver or network.
 * Enough of RFC 1035 for a stub resolver: one question per query, answers with a one-second TTL.
 */
public final class LoopbackDns implements AutoCloseable {
  private final DatagramSocket socket;
  private final Map<String, InetAddress> names = new ConcurrentHashMap<>();
  private final AtomicLong queries = new AtomicLong();
  private final Thread thread;

  public LoopbackDns() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "test-dns");
    thread.setDaemon(true);
    thread.start();
  }

  /** Where the resolver should ask: {@code 127.0.0.1:port}. */
  public String server() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** From now on, {@code name} resolves to {@code address}. */
  public void answer(String name, String address) throws IOException {
    names.put(name.toLowerCase(Locale.ROOT), InetAddress.getByName(address));
  }

  /** Queries received (any name, any type). */
  public long queries() {
    return queries.get();
  }

  private void serve() {
    byte[] buf = new byte[1500];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        byte[] reply = reply(ByteBuffer.wrap(p.getData(), 0, p.getLength()).slice());
        if (reply != null) socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
      } catch (IOException | RuntimeException e) {
        if (socket.isClosed()) return;
        // A malformed query is ignored, as a server would.
      }
    }
  }

  private byte[] reply(ByteBuffer q) {
    if (q.remaining() < 12) return null;
    queries.incrementAndGet();
    int id = q.getShort(0) & 0xffff;
    int qdcount = q.getShort(4) & 0xffff;
    if (qdcount != 1) return null;
    // The question: labels up to the root, then QTYPE and QCLASS.
    StringBuilder name = new StringBuilder();
    int at = 12;
    for (int labels = 0; labels < 128; labels++) {
      int len = q.get(at) & 0xff;
      at++;
      if (len == 0) break;
      if (name.length() > 0) name.append('.');
      byte[] label = new byte[len];
      q.get(at, label);
      name.append(new String(label, StandardCharsets.US_ASCII));
      at += len;
    }
    int qtype = q.getShort(at) & 0xffff;
    int questionEnd = at + 4;
    InetAddress address = names.get(name.toString().toLowerCase(Locale.ROOT));
    boolean known = address != null;
    boolean answer = known && qtype == 1 && address.getAddress().length == 4;
    ByteBuffer r = ByteBuffer.allocate(questionEnd + 16);
    r.putShort((short) id);
    // QR, opcode 0, AA, RD copied, RA; rcode 0 (a known name, perhaps without this type) or 3 (NXDOMAIN).
    int rd = q.get(2) & 0x01;
    r.put((byte) (0x84 | rd));
    r.put((byte) (0x80 | (known ? 0 : 3)));
    r.putShort((short) 1);
    r.putShort((short) (answer ? 1 : 0));
    r.putShort((short) 0);
    r.putShort((short) 0);
    r.put(q.array(), q.arrayOffset() + 12, questionEnd - 12);
    if (answer) {
      r.putShort((short) 0xc00c); // the name of the question
      r.putShort((short) 1); // A
      r.putShort((short) 1); // IN
      r.putInt(1); // TTL: a second
      r.putShort((short) 4);
      r.put(address.getAddress());
    }
    byte[] out = new byte[r.position()];
    r.flip();
    r.get(out);
    return out;
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
