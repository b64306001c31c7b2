package io.ifpulse.poll;

import io.ifpulse.config.ReadGroup;
import io.ifpulse.discovery.InterfaceInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a discovery changed against the interfaces polled so far. An ifIndex with the same name is
 * the same interface: it keeps the column choices it learned (unless the agent's HC counters came
 * or went) and its counters stay comparable. An ifIndex that now names another interface, as after
 * a restart that renumbered them, counts as added: its counters start over.
 *
 * @param polled what to poll from now on, in discovery's order
 * @param same the ifIndexes still the same interface, whose rate anchors stay
 * @param added ifIndexes new, or naming another interface than before
 * @param removed ifIndexes no longer polled
 */
record InterfaceChanges(List<PolledInterface> polled, Set<Integer> same, List<Integer> added, List<Integer> removed) {

  static InterfaceChanges of(List<PolledInterface> before, List<InterfaceInfo> discovered, Set<ReadGroup> read) {
    Map<Integer, PolledInterface> old = new HashMap<>();
    for (PolledInterface p : before) old.put(p.info.ifIndex(), p);
    List<PolledInterface> polled = new ArrayList<>();
    Set<Integer> same = new HashSet<>();
    List<Integer> added = new ArrayList<>();
    for (InterfaceInfo info : discovered) {
      PolledInterface was = old.remove(info.ifIndex());
      boolean kept = was != null && was.info.name().equals(info.name());
      polled.add(kept && was.info.hasHcCounters() == info.hasHcCounters() ? was.refreshed(info, read) : new PolledInterface(info, read));
      if (kept) same.add(info.ifIndex());
      else added.add(info.ifIndex());
    }
    return new InterfaceChanges(polled, same, added, new ArrayList<>(old.keySet()));
  }

  boolean any() {
    return !added.isEmpty() || !removed.isEmpty();
  }
}
