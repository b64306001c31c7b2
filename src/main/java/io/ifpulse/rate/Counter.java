package io.ifpulse.rate;

/**
 * The interface counters the poller reads, in a fixed order so that readings can be plain arrays.
 * Each constant knows its 64-bit (ifXTable HC) column and its 32-bit fallback column; a 32-bit
 * fallback of 0 means the counter has no 32-bit form and is simply absent on such devices.
 */
public enum Counter {
  IN_OCTETS("1.3.6.1.2.1.31.1.1.1.6", "1.3.6.1.2.1.2.2.1.10"),
  OUT_OCTETS("1.3.6.1.2.1.31.1.1.1.10", "1.3.6.1.2.1.2.2.1.16"),
  IN_UCAST("1.3.6.1.2.1.31.1.1.1.7", "1.3.6.1.2.1.2.2.1.11"),
  IN_MCAST("1.3.6.1.2.1.31.1.1.1.8", "1.3.6.1.2.1.31.1.1.1.2"),
  IN_BCAST("1.3.6.1.2.1.31.1.1.1.9", "1.3.6.1.2.1.31.1.1.1.3"),
  OUT_UCAST("1.3.6.1.2.1.31.1.1.1.11", "1.3.6.1.2.1.2.2.1.17"),
  OUT_MCAST("1.3.6.1.2.1.31.1.1.1.12", "1.3.6.1.2.1.31.1.1.1.4"),
  OUT_BCAST("1.3.6.1.2.1.31.1.1.1.13", "1.3.6.1.2.1.31.1.1.1.5"),
  // Errors and discards exist only as Counter32, in ifTable.
  IN_ERRORS(null, "1.3.6.1.2.1.2.2.1.14"),
  OUT_ERRORS(null, "1.3.6.1.2.1.2.2.1.20"),
  IN_DISCARDS(null, "1.3.6.1.2.1.2.2.1.13"),
  OUT_DISCARDS(null, "1.3.6.1.2.1.2.2.1.19");

  public static final int COUNT = values().length;
  private static final Counter[] ALL = values();

  /** ifXTable HC column, or null when the counter only exists as Counter32. */
  public final String hcColumn;
  /** Counter32 column (ifTable or ifXTable). */
  public final String column32;

  Counter(String hcColumn, String column32) {
    this.hcColumn = hcColumn;
    this.column32 = column32;
  }

  public static Counter of(int ordinal) {
    return ALL[ordinal];
  }
}
