package io.ifpulse.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.LogCapture;
import io.ifpulse.testing.Unit;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unhandled exceptions cost one full log record per kind, then a line a minute, whatever their number. */
@Unit
class UnhandledExceptionsTest {
  private LogCapture log;
  private List<LogRecord> records;

  @BeforeEach
  void listen() {
    log = LogCapture.on(UnhandledExceptions.class.getName());
    records = log.records;
  }

  @AfterEach
  void stop() {
    log.close();
  }

  private static IllegalStateException thrown(String message) {
    try {
      throw new IllegalStateException(message);
    } catch (IllegalStateException e) {
      return e;
    }
  }

  @Test
  void aFloodOfOneKindIsLoggedOnceInFullThenCounted() {
    UnhandledExceptions u = new UnhandledExceptions("web");
    IllegalStateException first = thrown("Promise already completed");
    u.handle(first);
    for (int i = 0; i < 30_000; i++) u.handle(thrown("Promise already completed"));
    assertEquals(1, records.size(), "one record for the kind");
    assertEquals(Level.SEVERE, records.get(0).getLevel());
    assertSame(first, records.get(0).getThrown(), "the first one with its stack");
    assertEquals(30_001, u.total());

    List<String> lines = u.summary();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("web: 30,000 more unhandled exception(s)") && lines.get(0).contains("Promise already completed"), lines.get(0));
    assertEquals(List.of(), u.summary(), "nothing new, no line");
    u.handle(thrown("Promise already completed"));
    assertTrue(u.summary().get(0).startsWith("web: 1 more"), "the next minute counts from the last line");
  }

  @Test
  void distinctMessagesCannotGrowTheKindsWithoutBound() {
    UnhandledExceptions u = new UnhandledExceptions("hub");
    for (int i = 0; i < 5_000; i++) u.handle(thrown("device " + i + " said no"));
    assertEquals(UnhandledExceptions.MAX_KINDS + 1, records.size(), "one record per kept kind and one for the rest");
    assertTrue(records.get(records.size() - 1).getMessage().endsWith(UnhandledExceptions.OTHER));
    assertEquals(5_000, u.total());
    List<String> lines = u.summary();
    assertEquals(1, lines.size(), "only the rest came again: " + lines);
    assertTrue(lines.get(0).contains(UnhandledExceptions.OTHER), lines.get(0));
  }

  @Test
  void aKindIsTheClassTheMessageCutShortAndWhereItWasThrown() {
    String kind = UnhandledExceptions.kind(thrown("x".repeat(1000)));
    assertTrue(kind.startsWith("java.lang.IllegalStateException: " + "x".repeat(200) + "… at io.ifpulse.logging.UnhandledExceptionsTest.thrown"), kind);
  }

  @Test
  void installedOnAVertxItTakesWhatAHandlerThrew() {
    Vertx vertx = Vertx.vertx();
    try {
      UnhandledExceptions u = UnhandledExceptions.install(vertx, "hub");
      for (int i = 0; i < 3; i++) vertx.runOnContext(v -> { throw thrown("from a handler"); });
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> u.total() == 3);
      assertEquals(1, records.size(), "logged once: " + records);
    } finally {
      vertx.close().await();
    }
  }
}
