package io.ifpulse.poll;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class PollPhaseTest {
  private static final long MS = 1000000L;

  /** Phases of 2,000 devices named as an operator would (sw-0001 …), counted per phase. */
  private static Map<Long, Integer> phases(long liveMs, long slotMs) {
    Map<Long, Integer> count = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      long p = PollPhase.phaseNanos(String.format("sw-%04d", i), liveMs * MS, slotMs * MS);
      assertTrue(p >= 0 && p < liveMs * MS, "phase " + p + " outside the live interval " + liveMs + " ms");
      assertEquals(0, p % (slotMs * MS), "phase " + p + " not on a " + slotMs + " ms slot");
      count.merge(p, 1, Integer::sum);
    }
    return count;
  }

  @ParameterizedTest(name = "live {0} ms, slot {1} ms: {2} slots")
  @CsvSource({
    // Every slot is used, and none holds much more than its share: a slot is one burst of polls.
    "1000,   10,  100",
    "1000,  100,   10",
    "1000,  300,    3", // 1000 is not a multiple of 300: three slots, the last gap 400 ms
    "1000, 1000,    1",
    "1000, 5000,    1", // a slot longer than the interval: every device at one instant
    "10000, 100,  100",
  })
  void devicesFillTheSlotsEvenly(long liveMs, long slotMs, int slots) {
    Map<Long, Integer> count = phases(liveMs, slotMs);
    assertEquals(slots, count.size(), "slots in use");
    double share = 2000.0 / slots;
    int most = count.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    // Binomial spread of 2,000 ids: the fullest of up to 100 slots stays within 2× + 6 of its share.
    assertTrue(most <= 2 * share + 6, "fullest slot holds " + most + " devices, share " + share);
  }

  @Test
  void aDeviceKeepsItsPhase() {
    // Every node of a cluster, and every restart, must put a device in the same slot.
    long a = PollPhase.phaseNanos("core-sw1", 1000 * MS, 100 * MS);
    for (int i = 0; i < 5; i++) assertEquals(a, PollPhase.phaseNanos(new String("core-sw1"), 1000 * MS, 100 * MS));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'slot later in this interval',   10300000000,  500000000, 1000000000, 200000000",
    "'slot earlier: next interval',   10700000000,  500000000, 1000000000, 800000000",
    "'now is the slot: a full one',   10500000000,  500000000, 1000000000, 1000000000",
    "'base grid of 10 s',             25000000000,  500000000, 10000000000, 5500000000",
  })
  void delayToTheNextSlot(String name, long epochNanos, long phase, long spacing, long expected) {
    assertEquals(expected, PollPhase.delayNanos(epochNanos, phase, spacing), name);
  }
}
