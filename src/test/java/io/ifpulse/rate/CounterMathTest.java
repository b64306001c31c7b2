package io.ifpulse.rate;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class CounterMathTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'32-bit increase',              100,                  250,                  32, 150",
    "'32-bit wrap',                  4294967290,           5,                    32, 11",
    "'32-bit wrap to zero',          4294967295,           0,                    32, 1",
    "'32-bit unchanged',             7,                    7,                    32, 0",
    "'64-bit increase',              1000,                 2000,                 64, 1000",
    "'64-bit above 2^63 (unsigned)', -9223372036854775808, -9223372036854775000, 64, 808",
    "'64-bit backwards is a reset',  2000,                 1000,                 64, -1",
  })
  void delta(String name, long previous, long current, int width, long expected) {
    assertEquals(expected, CounterMath.delta(previous, current, width), name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'uptime grows',                          1000,       1100, 1000000000, false",
    "'uptime goes back: restart',             500000,     30,   1000000000, true",
    "'uptime wraps after 497 days',           4294967200, 4,    1000000000, false",
    "'back near the wrap but too far: restart', 4294967200, 900000, 1000000000, true",
  })
  void agentRestart(String name, long previous, long current, long elapsedNanos, boolean restarted) {
    assertEquals(restarted, CounterMath.agentRestarted(previous, current, elapsedNanos), name);
  }
}
