package io.ifpulse.summary;

import java.util.List;

/**
 * What changed in one second of a node's summary, and the whole summary after it: immutable, made
 * once a second at most by the history and shared as it is with the web side, which cuts it to
 * each account's devices ({@link ScopedSummary}).
 *
 * @param epoch random per start of the node's summary
 * @param seq 1, 2, 3 … per tick since the start
 * @param all every device's entry after this tick, in the registry's order
 * @param changes the entries that changed, with the fields that did and the entry before
 * @param removed the last entries of the devices that left the hub
 * @param fleet the counts over every device
 * @param top the top lists over every device
 */
public record SummaryTick(String epoch, long seq, long ts, List<DeviceEntry> all, List<Change> changes, List<DeviceEntry> removed,
    Fleet fleet, TopLists top) {

  /**
   * @param fields the bits ({@link DeviceEntry#HOST} …) of the fields that changed
   * @param previous the entry before; null for a device new to the summary
   */
  public record Change(DeviceEntry entry, int fields, DeviceEntry previous) {}
}
