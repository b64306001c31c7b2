package io.ifpulse.poll;

/**
 * Decides which devices this node polls. A single node owns every device; in a cluster the
 * decision is made cluster-wide and changes as nodes join and leave — the poller only follows it.
 */
public interface DeviceOwnership {
  boolean owns(String deviceId);

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
