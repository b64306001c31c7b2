package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ifpulse.events.TrafficGoldenCases.Case;
import io.ifpulse.events.TrafficGoldenCases.Iface;
import io.ifpulse.testing.Unit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample's JSON is the same, byte for byte, as before samples were records: {@code
 * traffic-golden.txt} holds, for each row of {@link TrafficGoldenCases}, the JSON the hub
 * published for those inputs (same keys, order, rounding and number formats, gaps and absent
 * values included). The encoder must write exactly that, and the decoder read it back into the
 * record the poller built.
 */
@Unit
class TrafficSampleJsonTest {

  static List<String> golden() {
    try (InputStream in = TrafficSampleJsonTest.class.getResourceAsStream("traffic-golden.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample as the poller builds it from the rate engine's conclusions. */
  static TrafficSample built(Case c) {
    List<InterfaceSample> ifs = new ArrayList<>();
    for (Iface i : c.interfaces()) ifs.add(InterfaceSample.of(i.ifIndex(), i.name(), i.oper(), i.speedBps(), i.rate()));
    return TrafficSample.of(c.device(), c.seq(), c.ts(), c.pollMs(), c.intervalMs(), c.reachable(), List.copyOf(ifs));
  }

  @Test
  void theEncoderWritesTodaysJsonByteForByte() {
    List<Case> cases = TrafficGoldenCases.cases();
    List<String> golden = golden();
    assertEquals(cases.size(), golden.size(), "one golden line per case");
    for (int k = 0; k < cases.size(); k++) {
      TrafficSample s = built(cases.get(k));
      byte[] expected = golden.get(k).getBytes(StandardCharsets.UTF_8);
      String name = cases.get(k).name();
      assertArrayEquals(expected, EventJson.encode(s).getBytes(), name);
      // The wire form other nodes receive, and the JsonObject a consumer may ask for, say the same.
      Buffer wire = Buffer.buffer();
      EventJson.appendTo(wire, s);
      assertArrayEquals(expected, wire.getBytes(), name + ": appended");
      assertEquals(golden.get(k), s.toJson().encode(), name + ": as a JsonObject");
      assertEquals("{\"type\":\"traffic\"," + golden.get(k).substring(1), EventJson.line("traffic", s), name + ": --print");
    }
  }

  @Test
  void theDecoderReadsItBackIntoTheRecordThePollerBuilt() {
    List<Case> cases = TrafficGoldenCases.cases();
    List<String> golden = golden();
    for (int k = 0; k < cases.size(); k++) {
      TrafficSample s = built(cases.get(k));
      assertEquals(s, EventJson.traffic(Buffer.buffer(golden.get(k))), cases.get(k).name());
      assertEquals(s, TrafficSample.fromJson(new JsonObject(golden.get(k))), cases.get(k).name() + ": from a JsonObject");
    }
  }

  @Test
  void absentIsNaNAndZeroIsZero() {
    TrafficSample s = EventJson.traffic(Buffer.buffer(golden().get(3)));
    InterfaceSample virtual = s.interfaces().get(0);
    assertEquals(10_000_000L, virtual.speedBps());
    assertEquals(0.0, virtual.inErrors());
    assertEquals(false, virtual.has(InterfaceSample.Rate.IN_UTIL));
    InterfaceSample noSpeed = s.interfaces().get(1);
    assertEquals(0, noSpeed.speedBps(), "absent speed");
    assertEquals(true, Double.isNaN(noSpeed.outPps()));
    InterfaceSample gap = EventJson.traffic(Buffer.buffer(golden().get(2))).interfaces().get(6);
    assertEquals(InterfaceSample.State.GAP, gap.state());
    assertEquals(InterfaceSample.Gap.NO_DATA, gap.gap());
    assertEquals(true, Double.isNaN(gap.intervalMs()) && Double.isNaN(gap.inBps()));
  }

  @Test
  void unknownFieldsAreSkippedAndMalformedSamplesRefused() {
    JsonObject future = new JsonObject(golden().get(0)).put("later", new JsonObject().put("x", List.of(1, 2)));
    future.getJsonArray("interfaces").getJsonObject(0).put("inMulticastPps", 3.5);
    assertEquals(built(TrafficGoldenCases.cases().get(0)), TrafficSample.fromJson(future));

    assertThrows(DecodeException.class, () -> EventJson.traffic(Buffer.buffer("{\"device\":\"x\",\"ts\":1}")), "no interfaces");
    assertThrows(DecodeException.class, () -> EventJson.traffic(Buffer.buffer("[]")));
    assertThrows(DecodeException.class, () -> EventJson.traffic(Buffer.buffer("{\"device\":\"x\",\"ts\":1,\"interfaces\":[{\"ifIndex\":1,"
        + "\"state\":\"gap\",\"gap\":\"tuesday\"}]}")), "a gap the contract does not name");
    assertThrows(DecodeException.class, () -> EventJson.traffic(Buffer.buffer("{\"device\":\"x\",\"ts\":1,\"interfaces\":[{\"ifIndex\":1,"
        + "\"state\":\"ok\"}]} {}")), "trailing content");
    assertThrows(DecodeException.class, () -> EventJson.traffic((Object) "a string"));
  }
}
