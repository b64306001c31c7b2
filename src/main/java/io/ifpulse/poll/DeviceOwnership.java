package io.ifpulse.poll;

/**
 * Decides which devices this node polls. A single node owns every device; in a cluster the
 * decision is made cluster-wide and changes as nodes join and leave — the poller only follows it.
 */
public interface DeviceOwnership {
  boolean owns(String deviceId);

  /**
   * Whether this node speaks for a device that no node can poll (none has its credential): the
   * one node that publishes its "no-credentials" status. A single hub owns every device and says
   * it itself.
   */
  default boolean reportsUnpollable(String deviceId) {
    return false;
  }

  /** Registers a callback run (on any thread) whenever {@link #owns} may answer differently. */
  void onChange(Runnable listener);

  /** Every device is ours: the standalone hub. */
  static DeviceOwnership everything() {
    return new DeviceOwnership() {
      @Override
      public boolean owns(String deviceId) {
        return true;
      }

      @Override
      public void onChange(Runnable listener) {}
    };
  }
}
