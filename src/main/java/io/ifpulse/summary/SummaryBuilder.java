package io.ifpulse.summary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns each second's entries into a {@link SummaryTick}: what changed since the previous tick,
 * or nothing at all when nothing did. Holds the previous entries; not thread-safe (the history's
 * loop owns it).
 */
public final class SummaryBuilder {
  private final String epoch;
  private long seq;
  private Map<String, DeviceEntry> previous = new HashMap<>();
  private Fleet fleet;
  private TopLists top;
  private SummaryTick latest;

  public SummaryBuilder() {
    this(UUID.randomUUID().toString());
  }

  public SummaryBuilder(String epoch) {
    this.epoch = epoch;
  }

  /**
   * The tick for the entries now (every device, in order); null when nothing changed since the
   * previous one. An entry that is the very object of the previous tick is not compared again.
   */
  public SummaryTick tick(long ts, List<DeviceEntry> all) {
    Map<String, DeviceEntry> now = new HashMap<>(Math.max(16, all.size() * 2));
    List<SummaryTick.Change> changes = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      DeviceEntry e = all.get(i);
      now.put(e.id(), e);
      DeviceEntry before = previous.get(e.id());
      if (e == before) continue;
      int fields = e.changedSince(before);
      if (fields != 0) changes.add(new SummaryTick.Change(e, fields, before));
    }
    List<DeviceEntry> removed = new ArrayList<>();
    for (DeviceEntry e : previous.values()) if (!now.containsKey(e.id())) removed.add(e);
    removed.sort(java.util.Comparator.comparing(DeviceEntry::id));
    previous = now;
    Fleet f = Fleet.of(all, null);
    TopLists t = TopLists.of(all, null);
    boolean changed = !changes.isEmpty() || !removed.isEmpty() || !f.equals(fleet) || !t.equals(top) || latest == null;
    fleet = f;
    top = t;
    if (!changed) return null;
    latest = new SummaryTick(epoch, ++seq, ts, List.copyOf(all), List.copyOf(changes), List.copyOf(removed), f, t);
    return latest;
  }

  /** The last tick made; an empty seq-0 tick before the first. */
  public SummaryTick latest() {
    if (latest != null) return latest;
    return new SummaryTick(epoch, 0, 0, List.of(), List.of(), List.of(), Fleet.of(List.of(), null), TopLists.of(List.of(), null));
  }
}
