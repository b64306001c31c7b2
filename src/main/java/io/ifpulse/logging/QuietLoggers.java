package io.ifpulse.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Logger;
import java.util.logging.LogRecord;

/**
 * A filter for the loggers of libraries that write a line for each frame, message or connection
 * that comes from outside: each kind of line is written once (cut to {@value #MESSAGE_MAX}
 * characters), then only counted, with one line a minute for the kinds that came again.
 *
 * <p>Without it one browser writes the hub's disk full: Vert.x's bridge logs every frame of an
 * unknown type with the type the browser chose (a frame may hold 256 KB), every REGISTER of an
 * address already registered or too long, every message a consumer no longer there was sent;
 * Vert.x's router logs every request that fails without an error handler of its own;
 * Netty and Vert.x log a stack trace for each connection a browser drops mid-write. The first of
 * each still shows in full, so nothing is hidden from whoever reads the log.
 *
 * <p>A kind is the logger, the level and the message up to its first ':' (so a line that carries
 * what the browser sent after a colon is one kind whatever it sent), at most {@value #KIND_MAX}
 * characters of it. At most {@value #MAX_KINDS} kinds are kept apart; the rest share one count.
 */
public final class QuietLoggers implements Filter {
  /** The loggers of code that logs per input from browsers and peers (see above). */
  public static final List<String> LOGGERS = List.of(
      "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl",
      "io.vertx.core.eventbus.impl.MessageConsumerImpl",
      "io.vertx.ext.web.RoutingContext",
      "io.vertx.core.net.impl.ConnectionBase",
      "io.netty.util.concurrent.DefaultPromise");
  private static final Logger LOG = Logger.getLogger(QuietLoggers.class.getName());
  static final int MAX_KINDS = KindCounts.MAX_KINDS;
  static final int KIND_MAX = 120;
  static final int MESSAGE_MAX = 300;
  static final String OTHER = KindCounts.OTHER;

  /** Held here: java.util.logging keeps loggers weakly, and a collected logger loses its filter. */
  private final List<Logger> held = new ArrayList<>();
  private final KindCounts counts = new KindCounts();

  /** Puts one filter on each of {@code loggers}; call {@link #summary()} once a minute. */
  public static QuietLoggers install(List<String> loggers) {
    QuietLoggers q = new QuietLoggers();
    for (String name : loggers) {
      Logger l = Logger.getLogger(name);
      l.setFilter(q);
      q.held.add(l);
    }
    return q;
  }

  /** Takes the filter off again (tests that install it on loggers other tests share). */
  public void uninstall() {
    for (Logger l : held) if (l.getFilter() == this) l.setFilter(null);
    held.clear();
  }

  @Override
  public boolean isLoggable(LogRecord r) {
    if (counts.first(kind(r)) == null) return false;
    String m = r.getMessage();
    if (m != null && m.length() > MESSAGE_MAX) {
      r.setMessage(m.substring(0, MESSAGE_MAX) + "… (" + m.length() + " characters)");
    }
    r.setMessage((r.getMessage() == null ? "" : r.getMessage()) + " [more of this kind are counted, one line a minute]");
    return true;
  }

  /**
   * Writes one line per kind that came again since the last call ("412 more since the last
   * minute's line (1,303 in all): io.vertx...EventBusBridgeImpl WARNING Refusing to register...").
   */
  public void summary() {
    lines().forEach(LOG::warning);
  }

  List<String> lines() {
    return counts.summary("log lines");
  }

  static String kind(LogRecord r) {
    String m = r.getMessage() == null ? "" : r.getMessage();
    int colon = m.indexOf(':');
    if (colon >= 0) m = m.substring(0, colon);
    if (m.length() > KIND_MAX) m = m.substring(0, KIND_MAX);
    String thrown = r.getThrown() == null ? "" : " (" + r.getThrown().getClass().getName() + ")";
    return r.getLoggerName() + " " + r.getLevel() + " " + m + thrown;
  }
}
