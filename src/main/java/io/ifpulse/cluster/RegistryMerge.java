package io.ifpulse.cluster;

import io.ifpulse.registry.DeviceRegistry;
import io.vertx.core.json.JsonObject;

/**
 * The registry's merge rule, for two entries of one device: the newest change wins. An entry's age
 * is the time of its change ({@code _change.at}, epoch milliseconds, stamped where the change was
 * made), then its seal's version (the writer's clock in microseconds) between two changes of the
 * same millisecond or entries without a change time; a tie keeps what is there. A tombstone is an
 * entry like any other, so a removal newer than an edit wins, and an edit newer than a removal
 * brings the device back. Tombstones are never purged: a purged one would let an older copy of the
 * device (a node that was away, or a device of the config file) come back.
 *
 * <p>Only an entry sealed under the cluster key takes part: an entry that does not verify never
 * wins, whatever age it claims, and is counted as rejected ({@link ClusterRejections}).
 */
public final class RegistryMerge {
  private final SignedMap signed;

  public RegistryMerge(SignedMap signed) {
    this.signed = signed;
  }

  /**
   * Which of two sealed texts of {@code key} the merged map keeps: {@code merging} (from the
   * smaller side of a split), {@code existing} (the larger side's), or null for neither (only
   * when there is no existing entry and the merging one does not verify).
   */
  public String winner(String key, String merging, String existing) {
    SignedMap.Opened m = merging == null ? null : signed.open(key, merging, false);
    SignedMap.Opened e = existing == null ? null : signed.open(key, existing, false);
    if (m == null) return existing;
    if (e == null) return merging;
    return newer(m, e) ? merging : existing;
  }

  /** Whether {@code a} is a newer change than {@code b} by the rule above. */
  public static boolean newer(SignedMap.Opened a, SignedMap.Opened b) {
    int byTime = Long.compare(changedAt(a.value()), changedAt(b.value()));
    if (byTime != 0) return byTime > 0;
    return a.version() > b.version();
  }

  /** When an entry's change was made, epoch milliseconds; 0 when it does not say. */
  public static long changedAt(JsonObject entry) {
    if (entry != null && entry.getValue(DeviceRegistry.CHANGE) instanceof JsonObject c && c.getValue("at") instanceof Number at) {
      return at.longValue();
    }
    return 0;
  }
}
