package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults of the network between a poller and one simulated agent ({@link SimDeviceSpec.Network}),
 * made where the datagrams enter and leave the agent's socket, for machines where netem is not at
 * hand. Requests and replies are lost at the given rate each; replies are delayed by jitter,
 * duplicated, or held back so that later ones overtake them. Every datagram draws the same numbers
 * from one seeded {@link Random}, whatever happens to it, so a run with the same traffic repeats;
 * the draws are serialised because requests arrive on the I/O thread and replies may leave from
 * the delay thread.
 */
public final class NetworkFaults {
  private final SimDeviceSpec.Network spec;
  private final ScheduledExecutorService delays;
  private final Random random;
  final AtomicLong requestsLost = new AtomicLong();
  final AtomicLong repliesLost = new AtomicLong();
  final AtomicLong repliesDuplicated = new AtomicLong();
  final AtomicLong repliesReordered = new AtomicLong();

  NetworkFaults(SimDeviceSpec.Network spec, ScheduledExecutorService delays) {
    this.spec = spec;
    this.delays = delays;
    this.random = new Random(spec.seed());
  }

  /** Whether an arriving request is lost on its way. */
  boolean loseRequest() {
    boolean lost;
    synchronized (random) {
      lost = random.nextDouble() < spec.loss();
    }
    if (lost) requestsLost.incrementAndGet();
    return lost;
  }

  /** Sends a reply through the faulty network: maybe never, maybe late, maybe twice. */
  void reply(Runnable send) {
    boolean lost, twice, overtaken;
    double delayMs;
    synchronized (random) {
      lost = random.nextDouble() < spec.loss();
      twice = random.nextDouble() < spec.duplicate();
      overtaken = random.nextDouble() < spec.reorder();
      delayMs = random.nextDouble() * spec.jitterMs();
    }
    if (lost) {
      repliesLost.incrementAndGet();
      return;
    }
    if (overtaken) {
      // Held back beyond the largest jitter: every reply sent meanwhile arrives before it.
      delayMs += spec.jitterMs() + SimDeviceSpec.Network.REORDER_MS;
      repliesReordered.incrementAndGet();
    }
    if (twice) repliesDuplicated.incrementAndGet();
    int copies = twice ? 2 : 1;
    Runnable out = () -> {
      for (int i = 0; i < copies; i++) send.run();
    };
    if (delayMs <= 0) {
      out.run();
      return;
    }
    try {
      delays.schedule(out, Math.round(delayMs * 1e6), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // simulator shutting down
    }
  }

  /** What the network did so far, for tests and reports. */
  Stats stats() {
    return new Stats(requestsLost.get(), repliesLost.get(), repliesDuplicated.get(), repliesReordered.get());
  }

  /** Counts of what the simulated network did to one agent's datagrams. */
  public record Stats(long requestsLost, long repliesLost, long repliesDuplicated, long repliesReordered) {}
}
