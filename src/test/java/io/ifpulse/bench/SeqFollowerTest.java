package io.ifpulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.testing.Unit;
import org.junit.jupiter.api.Test;

/** The soak checker's reading of sample numbers: what is lost, late, duplicated or a new run. */
@Unit
class SeqFollowerTest {
  private final SeqFollower f = new SeqFollower();

  private void take(long... seqs) {
    for (long s : seqs) f.take("d", s, () -> true);
  }

  @Test
  void aSampleOvertakenAtAHandOverIsLateNotLost() {
    // As in the two-hour soak: two runs (the second from a node that polled the device afresh),
    // then the old owner's last sample (6477) arrives after the new owner's first (6478).
    take(6475, 6476, 3868, 3869, 6478);
    assertEquals(1, f.gapsAtKill.get(), "6477 missing for now");
    take(6477);
    assertEquals(0, f.gapsAtKill.get(), "6477 came after all (the old checker counted 2,607 here)");
    assertEquals(1, f.late.get());
    take(6479);
    assertEquals(0, f.gapsAtKill.get());
  }

  @Test
  void aSampleThatNeverComesIsLost() {
    take(1, 2, 4, 5, 6);
    assertEquals(1, f.gapsAtKill.get());
    assertEquals(0, f.late.get());
  }

  @Test
  void duplicatesAndNewRunsAreNotGaps() {
    take(10, 11, 11, 1, 2, 12);
    assertEquals(1, f.duplicates.get());
    assertEquals(0, f.gapsAtKill.get() + f.gaps.get());
  }

  @Test
  void aLongGapIsALossEvenIfItsEndArrivesLate() {
    take(1, 2 + SeqFollower.OWED_MAX + 1);
    assertEquals(SeqFollower.OWED_MAX + 1, f.gapsAtKill.get());
    take(2);
    assertEquals(SeqFollower.OWED_MAX + 1, f.gapsAtKill.get(), "not owed: a gap longer than OWED_MAX is not kept");
  }
}
