package io.ifpulse.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.testing.Unit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class RoundingTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0, 0",
      "1, 1",
      "1.2345, 1.23",
      "1.235, 1.24",
      "999.4, 999",
      "999.5, 1000",
      "123456789, 123000000",
      "987654321012, 988000000000",
      "0.0012345, 0.00123",
      "37.549, 37.5",
      "-1234, -1230",
      "1.0E15, 1.0E15",
      "NaN, NaN",
      "Infinity, Infinity",
  })
  void keepsThreeSignificantDigits(double in, double out) {
    double r = Rounding.significant3(in);
    if (Double.isFinite(out) && out != 0) assertEquals(out, r, Math.abs(out) * 1e-12);
    else assertEquals(out, r);
  }

  @ParameterizedTest(name = "{0} and {1} round alike")
  @CsvSource({"1000000001, 1000000009", "123400, 123449", "9.991E9, 9.994E9"})
  void smallWobblesAreNoChange(double a, double b) {
    assertEquals(Rounding.significant3(a), Rounding.significant3(b));
  }
}
