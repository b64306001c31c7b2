package io.ifpulse.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.testing.Unit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a group publishes which window: one row per case (times in ms, windows on whole seconds). */
@Unit
class NextWindowTest {

  /** last end | now | members covered until (-1: one has nothing) | lag | window to publish (0: none) */
  @ParameterizedTest(name = "{5}")
  @CsvSource(delimiter = '|', textBlock = """
      0      | 20400 | 19950 | 2000  | 19000 | the first window: the latest all members cover
      19000  | 20400 | 19950 | 2000  | 0     | the next is not covered yet and not overdue: wait
      19000  | 20900 | 20010 | 2000  | 20000 | covered: published at once
      19000  | 21100 | 19950 | 2000  | 0     | one member behind, deadline (19000) not reached
      18000  | 21100 | 18500 | 2000  | 19000 | a silent member: published at the deadline, partial
      0      | 21100 | -1    | 2000  | 19000 | a member with no sample yet: at the deadline
      19000  | 30000 | 29900 | 2000  | 29000 | fell far behind (members went live): skips ahead
      19000  | 21400 | 21300 | 2000  | 20000 | two windows ready: one at a time, in order
      19000  | 30000 | 20500 | 11000 | 20000 | members at a 10 s base interval: follows what they cover
      """)
  void nextWindow(long lastEnd, long now, double covered, long lag, long expected, String what) {
    assertEquals(expected, GroupsVerticle.nextWindow(lastEnd, now, covered < 0 ? Double.NEGATIVE_INFINITY : covered, lag), what);
  }
}
