package io.ifpulse.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * This machine's interfaces and their real counters, from /proc/net/dev. The interface list is
 * fixed when the device is created (ifIndex = position + 1, stable); counters are read at most
 * every {@code minAgeNanos} and cached, so a burst of requests costs one small file read. An
 * interface that disappears later keeps its last values.
 */
final class HostCounters {
  static final Path PROC_NET_DEV = Path.of("/proc/net/dev");

  /** Column indexes in a snapshot row. */
  static final int IN_OCTETS = 0, IN_PKTS = 1, IN_ERRS = 2, IN_DROP = 3, IN_MCAST = 4;
  static final int OUT_OCTETS = 5, OUT_PKTS = 6, OUT_ERRS = 7, OUT_DROP = 8;
  static final int COLUMNS = 9;

  final String[] names;
  final long[] speedBps;
  private final long minAgeNanos;
  private long readAtNanos;
  private long[][] snapshot;

  HostCounters(long minAgeNanos) throws IOException {
    this.minAgeNanos = minAgeNanos;
    List<String> found = new ArrayList<>();
    for (String[] row : parse(read())) found.add(row[0]);
    if (found.isEmpty()) throw new IOException("no interfaces in " + PROC_NET_DEV);
    names = found.toArray(new String[0]);
    speedBps = new long[names.length];
    for (int i = 0; i < names.length; i++) speedBps[i] = speedOf(names[i]);
    snapshot = new long[names.length][COLUMNS];
    refresh(System.nanoTime());
  }

  int size() {
    return names.length;
  }

  /** Counters of all interfaces, at most minAge old. The returned arrays must not be modified. */
  synchronized long[][] snapshot() {
    long nowNanos = System.nanoTime();
    if (nowNanos - readAtNanos >= minAgeNanos) refresh(nowNanos);
    return snapshot;
  }

  private void refresh(long nowNanos) {
    long[][] next = new long[names.length][];
    for (int i = 0; i < names.length; i++) next[i] = snapshot[i];
    try {
      for (String[] row : parse(read())) {
        int i = Arrays.asList(names).indexOf(row[0]);
        if (i < 0) continue;
        long[] v = new long[COLUMNS];
        v[IN_OCTETS] = num(row[1]);
        v[IN_PKTS] = num(row[2]);
        v[IN_ERRS] = num(row[3]);
        v[IN_DROP] = num(row[4]);
        v[IN_MCAST] = num(row[8]);
        v[OUT_OCTETS] = num(row[9]);
        v[OUT_PKTS] = num(row[10]);
        v[OUT_ERRS] = num(row[11]);
        v[OUT_DROP] = num(row[12]);
        next[i] = v;
      }
    } catch (IOException | RuntimeException e) {
      // Keep the previous values: a simulator must answer, and stale counters are what a real
      // agent shows when its own data source hiccups.
    }
    snapshot = next;
    readAtNanos = nowNanos;
  }

  private static String read() throws IOException {
    return new String(Files.readAllBytes(PROC_NET_DEV), StandardCharsets.US_ASCII);
  }

  /** Rows of [name, 16 numbers]; the two header lines are skipped. */
  static List<String[]> parse(String text) {
    List<String[]> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String name = line.substring(0, colon).trim();
      String[] nums = line.substring(colon + 1).trim().split("\\s+");
      if (name.isEmpty() || nums.length < 16) continue;
      String[] row = new String[17];
      row[0] = name;
      System.arraycopy(nums, 0, row, 1, 16);
      rows.add(row);
    }
    return rows;
  }

  private static long num(String s) {
    return Long.parseUnsignedLong(s);
  }

  static long speedOf(String name) {
    if (name.equals("lo")) return 10_000_000_000L;
    try {
      long mbps = Long.parseLong(Files.readString(Path.of("/sys/class/net", name, "speed")).trim());
      if (mbps > 0) return mbps * 1_000_000L;
    } catch (IOException | RuntimeException e) {
      // unreadable (virtual interfaces answer EINVAL): fall through
    }
    return 1_000_000_000L;
  }
}
