package io.ifpulse.tail;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.DeviceSubscriptions;
import io.ifpulse.events.EventCodecs;
import io.ifpulse.events.EventJson;
import io.ifpulse.registry.DeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Writes every traffic and status message of the given devices to a stream as one JSON object per
 * line, for {@code jq} and friends. It is an ordinary event-bus consumer: what it prints is the JSON
 * other nodes and browsers receive ({@link EventJson}), with {@code "type"} first.
 *
 * <p>It runs on the hub's event loop, and the stream is usually a pipe: a reader that pauses
 * ({@code | less} scrolled back, a stopped {@code jq}) fills the pipe, and a write to a full pipe
 * waits. So the loop only queues each line, and a thread of its own writes them; the queue holds
 * at most {@code maxQueuedBytes} of lines, and what would exceed it is dropped and counted (logged
 * once a minute at most), never waited for. Polling goes on whatever the reader does.
 */
public final class TailVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(TailVerticle.class.getName());
  /** A few seconds of every sample of a large hub. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 16L << 20;
  private static final long DROP_LOG_NANOS = 60_000_000_000L;
  private static final String STOP = new String("stop");

  private final DeviceRegistry registry;
  private final PrintStream out;
  private final boolean withStatus;
  private final long maxQueuedBytes;
  private final Map<String, List<MessageConsumer<Object>>> consumers = new HashMap<>();
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  /** Characters of the lines in the queue (a line's bytes, near enough: JSON is mostly ASCII). */
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private long droppedLogged;
  private long lastDropLog = System.nanoTime() - DROP_LOG_NANOS;
  private Thread writer;

  public TailVerticle(DeviceRegistry registry, PrintStream out, boolean withStatus) {
    this(registry, out, withStatus, DEFAULT_MAX_QUEUED_BYTES);
  }

  public TailVerticle(DeviceRegistry registry, PrintStream out, boolean withStatus, long maxQueuedBytes) {
    this.registry = registry;
    this.out = out;
    this.withStatus = withStatus;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** Lines dropped because the reader did not keep up. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public Future<?> start() {
    EventCodecs.register(vertx.eventBus());
    writer = new Thread(this::write, "ifpulse-tail");
    // A writer blocked on a pipe nobody reads must not keep the process alive.
    writer.setDaemon(true);
    writer.start();
    new DeviceSubscriptions(registry, id -> {
      List<MessageConsumer<Object>> cs = new ArrayList<>();
      cs.add(vertx.eventBus().consumer(Addresses.traffic(id), m -> print("traffic", EventJson.traffic(m.body()))));
      if (withStatus) cs.add(vertx.eventBus().consumer(Addresses.status(id), m -> print("status", EventJson.status(m.body()))));
      consumers.put(id, cs);
    }, id -> {
      List<MessageConsumer<Object>> cs = consumers.remove(id);
      if (cs != null) cs.forEach(MessageConsumer::unregister);
    }).start(context);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    // The writer ends after what is queued, or stays blocked on a dead pipe as a daemon: either
    // way nobody waits for it.
    queue.offer(STOP);
    return Future.succeededFuture();
  }

  private void print(String kind, Object event) {
    String line = EventJson.line(kind, event);
    long size = line.length() + 1;
    if (queued.addAndGet(size) > maxQueuedBytes) {
      queued.addAndGet(-size);
      dropped.incrementAndGet();
      long now = System.nanoTime();
      if (now - lastDropLog >= DROP_LOG_NANOS) {
        long n = dropped.get();
        LOG.warning("--print: " + (n - droppedLogged) + " lines dropped: the reader of standard output does not keep up ("
            + n + " in all)");
        droppedLogged = n;
        lastDropLog = now;
      }
      return;
    }
    queue.offer(line);
  }

  private void write() {
    try {
      while (true) {
        String line = queue.poll(1, TimeUnit.SECONDS);
        if (line == null) {
          out.flush();
          continue;
        }
        if (line == STOP) {
          out.flush();
          return;
        }
        queued.addAndGet(-(line.length() + 1));
        out.print(line);
        out.print('\n');
        // Flush when the queue runs dry: a burst leaves in few writes, a lone line at once.
        if (queue.isEmpty()) out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
