package io.ifpulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A known, constant load on {@code lo}: UDP datagrams from 127.0.0.1 to a 127.0.0.1 sink that
 * this class also drains, paced from one dedicated thread against absolute {@link
 * System#nanoTime()} targets (packet k leaves at start + k * interval, so sleep jitter never
 * accumulates into drift). It stops by itself after {@code maxDuration}.
 *
 * <p><b>Rates are IP-level</b>, i.e. what the kernel counts for {@code lo} in /proc/net/dev and
 * what an SNMP agent reports in ifHCInOctets/ifHCOutOctets: each datagram counts as payload +
 * {@value #IP_UDP_OVERHEAD_BYTES} bytes (20 IPv4 + 8 UDP header; {@code lo} has no link-layer
 * bytes in its counters). Measured here: N datagrams of P bytes move lo's rx_bytes and tx_bytes
 * each by exactly N * (P + 28), for P = 100, 1000, 1400, 8000. {@code lo} counts every packet once
 * as received and once as sent, so the rx and tx rates both equal {@link
 * #expectedLoBitsPerSecond()}.
 */
public final class LoopbackTraffic implements AutoCloseable {

  /** IPv4 header (20) + UDP header (8) per datagram, as lo's byte counters see it. */
  public static final int IP_UDP_OVERHEAD_BYTES = 28;

  /** Refuses more than this (IP-level bits per second). */
  public static final long MAX_BITS_PER_SECOND = 200_000_000L;

  private final DatagramChannel sink;
  private final DatagramChannel sender;
  private final int payloadBytes;
  private final double intervalNanos;
  private final long plannedDatagrams;
  private final Thread thread;
  private final long startNanos;
  private volatile long endNanos;
  private volatile long datagramsSent;
  private volatile boolean stopRequested;
  private volatile Throwable failure;

  private LoopbackTraffic(long bitsPerSecond, int payloadBytes, Duration maxDuration)
      throws IOException {
    this.payloadBytes = payloadBytes;
    double wireBits = (payloadBytes + IP_UDP_OVERHEAD_BYTES) * 8.0;
    this.intervalNanos = 1e9 * wireBits / bitsPerSecond;
    // packets k = 0 .. n-1 with k * interval < maxDuration: exactly rate * duration on the wire.
    this.plannedDatagrams = (long) Math.ceil(maxDuration.toNanos() / intervalNanos);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    sink = DatagramChannel.open();
    sink.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    sink.bind(new InetSocketAddress(loopback, 0));
    sink.configureBlocking(false);
    sender = DatagramChannel.open();
    sender.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
    sender.bind(new InetSocketAddress(loopback, 0));
    sender.connect(sink.getLocalAddress());
    thread = new Thread(this::run, "loopback-traffic");
    thread.setDaemon(true);
    startNanos = System.nanoTime();
    thread.start();
  }

  /**
   * Starts sending at {@code bitsPerSecond} (IP level, see class doc) in datagrams of {@code
   * payloadBytes} UDP payload, for {@code maxDuration}.
   *
   * @throws IllegalArgumentException for a rate above {@value #MAX_BITS_PER_SECOND} bit/s, a
   *     payload that would not fit lo's MTU unfragmented, or a non-positive duration
   */
  public static LoopbackTraffic start(long bitsPerSecond, int payloadBytes, Duration maxDuration) {
    if (bitsPerSecond <= 0 || bitsPerSecond > MAX_BITS_PER_SECOND) {
      throw new IllegalArgumentException(
          "bitsPerSecond must be in (0, " + MAX_BITS_PER_SECOND + "]: " + bitsPerSecond);
    }
    int maxPayload = Math.min(65_507, ProcNetDev.mtu("lo") - IP_UDP_OVERHEAD_BYTES);
    if (payloadBytes < 1 || payloadBytes > maxPayload) {
      throw new IllegalArgumentException(
          "payloadBytes must be in [1, " + maxPayload + "] (lo MTU, no fragments): " + payloadBytes);
    }
    if (maxDuration.isNegative() || maxDuration.isZero()) {
      throw new IllegalArgumentException("maxDuration must be positive: " + maxDuration);
    }
    try {
      return new LoopbackTraffic(bitsPerSecond, payloadBytes, maxDuration);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void run() {
    ByteBuffer payload = ByteBuffer.allocateDirect(payloadBytes);
    ByteBuffer drain = ByteBuffer.allocateDirect(65_536);
    // hard stop if the sender falls behind (CPU starvation): the planned end plus 500 ms
    long hardStop = startNanos + (long) (plannedDatagrams * intervalNanos) + 500_000_000L;
    long sent = 0;
    try {
      while (sent < plannedDatagrams && !stopRequested) {
        long target = startNanos + (long) (sent * intervalNanos);
        long now = System.nanoTime();
        if (now < target) {
          drain(drain);
          long wait = target - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          continue;
        }
        if (now > hardStop) {
          break;
        }
        payload.clear();
        sender.write(payload);
        datagramsSent = ++sent;
        if ((sent & 63) == 0) {
          drain(drain); // keep the sink's buffer from overflowing when catching up
        }
      }
      // let the last datagrams reach the sink before draining it for the last time
      drain(drain);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      endNanos = System.nanoTime();
    }
  }

  private void drain(ByteBuffer buffer) throws IOException {
    while (true) {
      buffer.clear();
      if (sink.receive(buffer) == null) {
        return;
      }
    }
  }

  /** Datagrams sent so far. */
  public long datagramsSent() {
    return datagramsSent;
  }

  /** Datagrams this run will send if it is not stopped early. */
  public long datagramsPlanned() {
    return plannedDatagrams;
  }

  /** Bytes the datagrams sent so far put on lo: payload + 28 per datagram (one direction). */
  public long bytesSentOnWire() {
    return datagramsSent * (long) (payloadBytes + IP_UDP_OVERHEAD_BYTES);
  }

  /**
   * The rate lo's rx and tx byte counters (each) show for this traffic alone, in bit/s: exactly
   * the requested {@code bitsPerSecond}, as the pacing sends (payload + 28) * 8 bits every
   * interval.
   */
  public double expectedLoBitsPerSecond() {
    return (payloadBytes + IP_UDP_OVERHEAD_BYTES) * 8.0 * 1e9 / intervalNanos;
  }

  /** What was actually achieved so far: bytesSentOnWire * 8 / elapsed. */
  public double measuredWireBitsPerSecond() {
    long elapsed = elapsedNanos();
    return elapsed <= 0 ? 0 : bytesSentOnWire() * 8.0 * 1e9 / elapsed;
  }

  /** Time since start, or the run's length once it has finished. */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos());
  }

  private long elapsedNanos() {
    long end = thread.isAlive() ? System.nanoTime() : endNanos;
    return end - startNanos;
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  /** The sink's UDP port on 127.0.0.1. */
  public int sinkPort() {
    try {
      return ((InetSocketAddress) sink.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the run has finished; false on timeout. Rethrows a send failure. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
    if (failure != null) {
      throw new IllegalStateException("loopback traffic failed", failure);
    }
    return !thread.isAlive();
  }

  /** Stops sending (if still running), waits for the thread and closes both sockets. */
  @Override
  public void close() {
    stopRequested = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      sender.close();
      sink.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
