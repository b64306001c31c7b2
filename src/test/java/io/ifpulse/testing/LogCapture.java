package io.ifpulse.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a logger (and every logger below it) writes while this is attached, for tests that read
 * the log: a secret that must not be there, a flood that must be one line. Records a logger's
 * filter refuses never reach it, as they never reach the log.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  public final List<LogRecord> records = new CopyOnWriteArrayList<>();
  /** Held: java.util.logging keeps loggers weakly, and a collected logger loses its handlers. */
  private final Logger logger;

  private LogCapture(Logger logger) {
    this.logger = logger;
  }

  /** Starts capturing what {@code loggerName} writes. */
  public static LogCapture on(String loggerName) {
    LogCapture c = new LogCapture(Logger.getLogger(loggerName));
    c.logger.addHandler(c);
    return c;
  }

  /** The messages so far, unformatted, in order. */
  public List<String> messages() {
    return records.stream().map(LogRecord::getMessage).toList();
  }

  @Override
  public void publish(LogRecord r) {
    records.add(r);
  }

  @Override
  public void flush() {}

  /** Stops capturing. */
  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
