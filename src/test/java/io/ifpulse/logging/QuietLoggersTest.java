package io.ifpulse.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.LogCapture;
import io.ifpulse.testing.Unit;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A library logger that writes a line per frame from outside costs one line per kind, then a line
 * a minute, whatever the frames say and however many they are.
 */
@Unit
class QuietLoggersTest {
  private static final String NAME = "io.ifpulse.logging.QuietLoggersTest.library";
  private final Logger library = Logger.getLogger(NAME);
  private LogCapture log;
  private List<LogRecord> written;
  private QuietLoggers quiet;

  @BeforeEach
  void listen() {
    library.setUseParentHandlers(false);
    log = LogCapture.on(NAME);
    written = log.records;
    quiet = QuietLoggers.install(List.of(NAME));
  }

  @AfterEach
  void stop() {
    quiet.uninstall();
    log.close();
    library.setUseParentHandlers(true);
  }

  @Test
  void aFloodOfOneKindIsWrittenOnceThenCounted() {
    for (int i = 0; i < 10_000; i++) library.warning("Refusing to register as address is already registered");
    assertEquals(1, written.size());
    assertTrue(written.get(0).getMessage().startsWith("Refusing to register as address is already registered [more"), written.get(0).getMessage());
    List<String> lines = quiet.lines();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("9,999 more log lines since the last minute's line (10,000 in all): " + NAME + " WARNING Refusing"), lines.get(0));
    assertEquals(List.of(), quiet.lines(), "nothing new, nothing said");
    library.warning("Refusing to register as address is already registered");
    assertTrue(quiet.lines().get(0).startsWith("1 more log lines since the last minute's line (10,001 in all)"));
  }

  @Test
  void whatTheSenderChoseAfterAColonMakesNoNewKindAndIsCutShort() {
    // As Vert.x's bridge writes a frame's type: "Invalid type in incoming message: <what the browser sent>".
    for (int i = 0; i < 1000; i++) library.severe("Invalid type in incoming message: " + ("x" + i).repeat(20_000 / (2 + String.valueOf(i).length())));
    assertEquals(1, written.size());
    String m = written.get(0).getMessage();
    assertTrue(m.length() < QuietLoggers.MESSAGE_MAX + 100, "cut to " + m.length());
    assertTrue(m.contains("characters)"), m);
  }

  @Test
  void kindsAreKeptApartUpToABoundAndTheRestShareOneCount() {
    for (int i = 0; i < 1000; i++) library.warning("kind " + i + " of a flood of distinct messages");
    assertEquals(QuietLoggers.MAX_KINDS + 1, written.size(), "one line per kept kind and one for all the others");
    library.warning("kind 5000 of a flood of distinct messages");
    assertEquals(QuietLoggers.MAX_KINDS + 1, written.size());
    List<String> lines = quiet.lines();
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(QuietLoggers.OTHER) && l.startsWith("900 more") && l.contains("(901 in all)")),
        lines.toString());
  }

  @Test
  void theFirstOfAKindKeepsItsStackTraceAndLevel() {
    IllegalArgumentException e = new IllegalArgumentException("promise already done");
    library.log(Level.WARNING, "An exception was thrown by a listener", e);
    library.log(Level.WARNING, "An exception was thrown by a listener", e);
    assertEquals(1, written.size());
    assertEquals(e, written.get(0).getThrown());
    assertEquals(Level.WARNING, written.get(0).getLevel());
  }

  @Test
  void uninstalledItFiltersNothing() {
    quiet.uninstall();
    library.warning("same");
    library.warning("same");
    assertEquals(2, written.size());
    assertNull(library.getFilter());
  }
}
