package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;

import io.ifpulse.config.SimDeviceSpec.Model;

/**
 * The deterministic traffic of one simulated device, in closed form. Everything is a function of
 * model time {@code t} in seconds since the device was created, so a counter read at any instant
 * is exact (nothing is accumulated per request) and the ground truth for any interval is one
 * subtraction.
 *
 * <p>{@link #bits(int, boolean, double)} is the antiderivative of the bit rate: the number of bits
 * sent from t = 0 to t. Octets are bits / 8; packets are octets / 1000 (a 1000-byte average
 * packet).
 */
final class TrafficModel {
  static final double OUT_RATIO = 0.6;
  static final double PEAK_CAP = 0.95;
  static final double PACKET_BYTES = 1000;

  private final Model model;
  private final double period;
  private final double amplitude;
  /** Mean in-rate (bit/s) of each interface. */
  private final double[] meanIn;

  TrafficModel(SimDeviceSpec spec, int interfaces, long[] speedBps) {
    this.model = spec.model();
    this.period = spec.periodSeconds();
    this.amplitude = spec.amplitude();
    double peakFactor =
        switch (model) {
          case SINE -> 1 + amplitude;
          case BURSTS -> 1 / amplitude;
          default -> 1;
        };
    meanIn = new double[interfaces];
    for (int n = 0; n < interfaces; n++) {
      double wanted = (1 + 0.25 * n) * spec.rateBps();
      double cap = PEAK_CAP * speedBps[n] / peakFactor;
      meanIn[n] = Math.min(wanted, cap);
    }
  }

  /** Mean bit rate of interface n (0-based) in one direction. */
  double meanBps(int n, boolean in) {
    return in ? meanIn[n] : OUT_RATIO * meanIn[n];
  }

  /** Instantaneous bit rate at model time t (seconds). */
  double rateAt(int n, boolean in, double t) {
    double r = meanBps(n, in);
    return switch (model) {
      case SINE -> r * (1 + amplitude * Math.sin(2 * Math.PI * t / period));
      case BURSTS -> {
        double u = t - Math.floor(t / period) * period;
        yield u < amplitude * period ? r / amplitude : 0;
      }
      default -> r;
    };
  }

  /** Bits sent by interface n in one direction from model time 0 to t (seconds). */
  double bits(int n, boolean in, double t) {
    double r = meanBps(n, in);
    return switch (model) {
      case SINE -> r * (t + amplitude * period / (2 * Math.PI) * (1 - Math.cos(2 * Math.PI * t / period)));
      case BURSTS -> {
        double k = Math.floor(t / period);
        double u = t - k * period;
        yield r * k * period + (r / amplitude) * Math.min(u, amplitude * period);
      }
      case STEADY -> r * t;
      case HOST -> throw new UnsupportedOperationException("HOST traffic is real, it has no model");
    };
  }
}
