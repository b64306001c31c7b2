package io.ifpulse.traps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.Unit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A burst, then the rate; each source its own; a bounded number of sources. */
@Unit
class SourceBucketsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstThenTheRate() {
    SourceBuckets b = new SourceBuckets(10, 5, 100, now::get);
    for (int i = 0; i < 5; i++) assertTrue(b.take("a"), "burst " + i);
    assertFalse(b.take("a"), "the burst spent");
    assertTrue(b.take("b"), "another source has its own bucket");
    now.addAndGet(100_000_000L); // 0.1 s at 10/s: one token
    assertTrue(b.take("a"));
    assertFalse(b.take("a"));
    now.addAndGet(10_000_000_000L); // long idle: refilled to the burst, no more
    int taken = 0;
    for (int i = 0; i < 20; i++) if (b.take("a")) taken++;
    assertEquals(5, taken);
  }

  @Test
  void aStormFromOneSourceIsCutToItsRate() {
    SourceBuckets b = new SourceBuckets(100, 200, 100, now::get);
    int taken = 0;
    for (int i = 0; i < 10_000; i++) { // 10,000 datagrams in one second
      now.addAndGet(100_000L);
      if (b.take("storm")) taken++;
    }
    assertTrue(taken >= 299 && taken <= 301, "burst + rate x 1 s, got " + taken);
  }

  @Test
  void atMostMaxSourcesAreKept() {
    SourceBuckets b = new SourceBuckets(1, 1, 3, now::get);
    for (int i = 0; i < 10; i++) b.take("s" + i);
    assertEquals(3, b.size());
  }
}
