package io.ifpulse.groups;

import io.ifpulse.events.GroupSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A group's sample for one window: every member's mean rates over the same span
 * ({@link MemberSeries#integrate}), summed. Pure and table-tested; docs/EVENTS.md states the
 * method and its error bound.
 *
 * <p>A member whose steps do not cover the whole window (no sample yet, a gap, a silent agent) is
 * named in {@code missing} and left out of every sum, its speed included: the totals are those of
 * the members named as counted, never a total that silently lost one of them.
 */
public final class GroupWindow {
  private GroupWindow() {}

  /**
   * @param members the group's interfaces now
   * @param undiscovered devices a rule names whose interfaces are not known yet
   * @param series each member's steps (a member without an entry has no sample yet)
   * @param to the window's end, epoch ms
   */
  public static GroupSample compute(String group, long seq, List<MemberRef> members, List<String> undiscovered,
      Map<MemberRef, MemberSeries> series, long to, long windowMs, long lagMs) {
    double[] sums = new double[MemberSeries.FIELDS];
    double[] one = new double[MemberSeries.FIELDS];
    List<String> missing = new ArrayList<>();
    List<GroupSample.Member> stack = new ArrayList<>();
    long speed = 0;
    boolean speedKnown = true;
    for (MemberRef m : members) {
      MemberSeries s = series.get(m);
      if (s == null || !s.integrate(to - windowMs, to, one)) {
        missing.add(m.label());
        continue;
      }
      for (int f = 0; f < sums.length; f++) sums[f] += one[f];
      if (s.speedBps() > 0) speed += s.speedBps();
      else speedKnown = false;
      stack.add(new GroupSample.Member(m.device(), m.ifIndex(), m.name(), one[MemberSeries.IN_BPS], one[MemberSeries.OUT_BPS]));
    }
    for (String d : undiscovered) missing.add(d + "/*");
    // Utilisation of a sum is only meaningful when every counted member has a speed: a virtual
    // interface's nominal speed would make it up, and a missing one would inflate it.
    boolean util = speedKnown && speed > 0;
    double inUtil = util ? sums[MemberSeries.IN_BPS] / speed * 100 : Double.NaN;
    double outUtil = util ? sums[MemberSeries.OUT_BPS] / speed * 100 : Double.NaN;
    if (stack.isEmpty()) {
      // Nothing counted: no total is known, which is not a total of 0.
      java.util.Arrays.fill(sums, Double.NaN);
    }
    return GroupSample.of(group, seq, to, windowMs, lagMs, members.size(), missing, sums, util ? speed : 0, inUtil, outUtil, stack);
  }
}
