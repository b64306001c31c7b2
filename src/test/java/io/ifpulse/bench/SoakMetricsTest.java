package io.ifpulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.testing.Unit;
import org.junit.jupiter.api.Test;

/**
 * How the soak reads a node's figures: counters from its /metrics page (the sum over every label
 * set of one family only) and the live heap from jcmd's class histogram.
 */
@Unit
class SoakMetricsTest {
  private static final String PAGE = """
      # HELP ifpulse_bridge_dropped_messages_total messages dropped for slow browsers
      # TYPE ifpulse_bridge_dropped_messages_total counter
      ifpulse_bridge_dropped_messages_total 12.0
      # HELP ifpulse_poll_missed_slots_total slots of the schedule passed without a poll because the hub was busy
      # TYPE ifpulse_poll_missed_slots_total counter
      ifpulse_poll_missed_slots_total{device="a"} 3.0
      ifpulse_poll_missed_slots_total{device="b,\\"c\\""} 4.0
      ifpulse_poll_missed_slots_total_extra{device="a"} 100.0
      ifpulse_poll_overruns_total{device="a"} 7.0
      """;

  @Test
  void sumsEveryLabelSetOfTheFamilyAndNothingElse() {
    assertEquals(7, Soak.sumOf(PAGE, "ifpulse_poll_missed_slots_total"));
    assertEquals(12, Soak.sumOf(PAGE, "ifpulse_bridge_dropped_messages_total"));
    assertEquals(0, Soak.sumOf(PAGE, "ifpulse_poll_timeouts_total"), "a family the page lacks");
  }

  @Test
  void theLiveHeapIsTheHistogramsTotalBytes() {
    String histogram = """
        12345:
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:        310512       41234568  [B (java.base@17.0.15)
           2:          1000          16000  io.ifpulse.Total
        Total       1633908      114062368
        """;
    assertEquals(114_062_368L, Soak.liveBytesOf(histogram));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Soak.liveBytesOf("12345:\nNo such process"));
  }
}
