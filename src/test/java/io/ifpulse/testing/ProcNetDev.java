package io.ifpulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's own interface counters from /proc/net/dev: the ground truth SNMP agents report. */
public final class ProcNetDev {

  private static final Path PROC_NET_DEV = Path.of("/proc/net/dev");

  private ProcNetDev() {}

  /** Counters of one interface at one instant. */
  public record Counters(long rxBytes, long rxPackets, long txBytes, long txPackets) {
    /** {@code this - earlier}, field by field. */
    public Counters minus(Counters earlier) {
      return new Counters(
          rxBytes - earlier.rxBytes,
          rxPackets - earlier.rxPackets,
          txBytes - earlier.txBytes,
          txPackets - earlier.txPackets);
    }
  }

  /** Reads the counters of {@code iface} (e.g. {@code "lo"}). */
  public static Counters read(String iface) {
    try {
      for (String line : Files.readAllLines(PROC_NET_DEV)) {
        int colon = line.indexOf(':');
        if (colon < 0 || !line.substring(0, colon).trim().equals(iface)) {
          continue;
        }
        String[] f = line.substring(colon + 1).trim().split("\\s+");
        // rx: bytes packets errs drop fifo frame compressed multicast | tx: bytes packets ...
        return new Counters(
            Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[8]), Long.parseLong(f[9]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no interface " + iface + " in " + PROC_NET_DEV);
  }

  /** The MTU of {@code iface} from sysfs. */
  public static int mtu(String iface) {
    try {
      return Integer.parseInt(Files.readString(Path.of("/sys/class/net", iface, "mtu")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
