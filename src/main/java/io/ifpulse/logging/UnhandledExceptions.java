package io.ifpulse.logging;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What no handler caught on a Vert.x instance, logged at a bounded cost: each kind (class, message
 * and the frame that threw) once with its stack trace, then only counted, with one line a minute
 * for the kinds that came again.
 *
 * <p>Vert.x logs every unhandled exception with its whole stack. Some come from outside in
 * unbounded numbers: in the two-hour soak, browsers that close their socket while the hub writes
 * to it made Vert.x's own write path complete a promise twice, 31,000 times in 70 minutes on one
 * node, 80 MB of log. Left alone, a browser could fill the disk; counted, each kind still shows
 * once in full and then as figures.
 */
public final class UnhandledExceptions implements Handler<Throwable> {
  private static final Logger LOG = Logger.getLogger(UnhandledExceptions.class.getName());
  /** Kinds kept apart; more go to one line "other" (a flood of distinct messages must not grow the map). */
  static final int MAX_KINDS = KindCounts.MAX_KINDS;
  static final String OTHER = KindCounts.OTHER;
  private static final int MESSAGE_MAX = 200;
  private static final long SUMMARY_EVERY_MS = 60_000;

  private final String what;
  private final KindCounts counts = new KindCounts();
  private final AtomicLong total = new AtomicLong();

  /** @param what the Vert.x instance in the log ("hub", "web") */
  public UnhandledExceptions(String what) {
    this.what = what;
  }

  /** Sets this as {@code vertx}'s exception handler and writes the minute's counts from one of its timers. */
  public static UnhandledExceptions install(Vertx vertx, String what) {
    UnhandledExceptions u = new UnhandledExceptions(what);
    vertx.exceptionHandler(u);
    vertx.setPeriodic(SUMMARY_EVERY_MS, id -> u.summary().forEach(LOG::warning));
    return u;
  }

  @Override
  public void handle(Throwable t) {
    total.incrementAndGet();
    String kind = counts.first(kind(t));
    if (kind != null) {
      LOG.log(Level.SEVERE, what + ": unhandled exception (more of this kind are counted, one line a minute): " + kind, t);
    }
  }

  /** Every exception handled, of all kinds. */
  public long total() {
    return total.get();
  }

  /**
   * One line per kind that came again since the last call ("hub: 3,100 more unhandled
   * exception(s) since the last minute's line ..."), and forgets those counts as summarised.
   */
  List<String> summary() {
    return counts.summary("unhandled exception(s)").stream().map(l -> what + ": " + l).toList();
  }

  /** The class, the message cut short, and where it was thrown. */
  static String kind(Throwable t) {
    String m = t.getMessage();
    if (m != null && m.length() > MESSAGE_MAX) m = m.substring(0, MESSAGE_MAX) + "…";
    StackTraceElement[] st = t.getStackTrace();
    String at = st.length == 0 ? "" : " at " + st[0];
    return t.getClass().getName() + (m == null ? "" : ": " + m) + at;
  }
}
