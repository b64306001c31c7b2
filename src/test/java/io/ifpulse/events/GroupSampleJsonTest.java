package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.groups.MemberRef;
import io.ifpulse.groups.MemberSeries;
import io.ifpulse.groups.GroupWindow;
import io.ifpulse.testing.Unit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A group sample's JSON, held to {@code group-golden.txt} (one line per case below, made by the
 * group computation itself): keys, order, rounding, absent values and the partial fields. The
 * decoder reads each line back into the record, and the bus codec carries it unchanged.
 */
@Unit
class GroupSampleJsonTest {
  private static final MemberRef A = new MemberRef("core-1", 1, "ge-0/0/1");
  private static final MemberRef B = new MemberRef("core-2", 7, "xe-1/0/0");

  static List<String> golden() {
    try (InputStream in = GroupSampleJsonTest.class.getResourceAsStream("group-golden.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MemberSeries series(long speed, double in, double pps) {
    MemberSeries s = new MemberSeries();
    double[] r = {in, in * 0.6, pps, pps * 0.6, 0.25, 0, 1.5, 0};
    s.add(9_400, 1000.123, r, speed);
    s.add(10_400, 999.877, r, speed);
    return s;
  }

  static List<GroupSample> cases() {
    MemberSeries a = series(1_000_000_000L, 123_456_789.123, 15_432.1234);
    MemberSeries b = series(10_000_000_000L, 2_345_678_901.987, 293_210.98765);
    MemberSeries v1 = series(0, 1_000_000, Double.NaN);
    return List.of(
        GroupWindow.compute("transit", 42, List.of(A, B), List.of(), Map.of(A, a, B, b), 10_000, 1000, 1042),
        GroupWindow.compute("transit", 43, List.of(A, B), List.of("core-3"), Map.of(A, a), 10_000, 1000, 2000),
        GroupWindow.compute("lag1", 1, List.of(A, B), List.of(), Map.of(A, a, B, v1), 10_000, 1000, 1500),
        GroupWindow.compute("empty", 7, List.of(A), List.of(), Map.of(), 10_000, 1000, 2000));
  }

  @Test
  void theEncoderWritesTheGoldenJson() {
    List<GroupSample> cases = cases();
    List<String> golden = golden();
    assertEquals(cases.size(), golden.size(), "one golden line per case");
    for (int k = 0; k < cases.size(); k++) {
      assertArrayEquals(golden.get(k).getBytes(StandardCharsets.UTF_8), EventJson.encode(cases.get(k)).getBytes(), "case " + k);
      assertEquals(golden.get(k), cases.get(k).toJson().encode(), "case " + k + " as a JsonObject");
    }
  }

  @Test
  void theDecoderReadsItBack() {
    List<GroupSample> cases = cases();
    List<String> golden = golden();
    for (int k = 0; k < cases.size(); k++) {
      assertEquals(cases.get(k), GroupSample.fromJson(new JsonObject(golden.get(k))), "case " + k);
      Buffer wire = Buffer.buffer();
      EventCodecs.GROUP.encodeToWire(wire, cases.get(k));
      assertEquals(cases.get(k), EventCodecs.GROUP.decodeFromWire(0, wire), "case " + k + " over the wire");
    }
  }
}
