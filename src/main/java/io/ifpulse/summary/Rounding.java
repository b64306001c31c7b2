package io.ifpulse.summary;

/**
 * Rates in the summary keep three significant digits: a link whose traffic wobbles by a few
 * bit/s from one sample to the next keeps the same summary value, so it sends no update, and a
 * browser needs no more to show "1.23 Gbit/s".
 */
public final class Rounding {
  private static final double[] POW10 = new double[40];

  static {
    for (int i = 0; i < POW10.length; i++) POW10[i] = Math.pow(10, i);
  }

  private Rounding() {}

  /** {@code v} to three significant digits, half away from zero; NaN and infinities stay as they are, 0 stays 0. */
  public static double significant3(double v) {
    if (!Double.isFinite(v) || v == 0) return v;
    double a = Math.abs(v);
    int exp = (int) Math.floor(Math.log10(a)); // 1234 -> 3
    int shift = 2 - exp; // digits to keep after the point: 1234 -> -1
    double r;
    if (shift >= 0) {
      double f = shift < POW10.length ? POW10[shift] : Math.pow(10, shift);
      r = Math.round(a * f) / f;
    } else {
      double f = -shift < POW10.length ? POW10[-shift] : Math.pow(10, -shift);
      r = Math.round(a / f) * f;
    }
    return Math.copySign(r, v);
  }
}
