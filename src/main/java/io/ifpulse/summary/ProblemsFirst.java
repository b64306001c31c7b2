package io.ifpulse.summary;

import java.util.Comparator;

/**
 * The overview's default order: unreachable, no credential, critical alerts, other alerts,
 * interfaces down, no data, disabled, up; ties by id. The overview sorts by it in the browser; it
 * is here as the definition the docs and tests hold it to.
 */
public final class ProblemsFirst implements Comparator<DeviceEntry> {
  public static final ProblemsFirst ORDER = new ProblemsFirst();

  private ProblemsFirst() {}

  /** 0 for the most urgent kind of trouble, 7 for a device that is simply up. */
  public static int rank(DeviceEntry e) {
    return switch (e.state()) {
      case UNREACHABLE -> 0;
      case NO_CREDENTIALS -> 1;
      case UP -> e.critical() > 0 ? 2 : e.alerts() > 0 ? 3 : e.ifDown() > 0 ? 4 : 7;
      case NO_DATA -> 5;
      case DISABLED -> 6;
    };
  }

  @Override
  public int compare(DeviceEntry a, DeviceEntry b) {
    int r = Integer.compare(rank(a), rank(b));
    return r != 0 ? r : a.id().compareTo(b.id());
  }
}
