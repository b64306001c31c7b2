package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.auth.DeviceScope;
import io.ifpulse.summary.DeviceEntry;
import io.ifpulse.summary.DeviceState;
import io.ifpulse.summary.SummaryBuilder;
import io.ifpulse.summary.SummaryTick;
import io.ifpulse.testing.Unit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One encoding per distinct scope per tick, and a scope that missed a tick starts again whole. */
@Unit
class SummaryScopesTest {
  private static DeviceEntry entry(String id, double in) {
    return new DeviceEntry(id, "h", List.of(), DeviceState.UP, in, 0, Double.NaN, null, 1, 0, 0, 0, 1, List.of(), List.of(), id);
  }

  private static JsonObject body(Buffer envelope) {
    return new JsonObject(envelope).getJsonObject("body");
  }

  @Test
  void socketsOfOneScopeShareOneEncodingAndOthersSeeOnlyTheirDevices() {
    SummaryBuilder b = new SummaryBuilder("e");
    SummaryScopes scopes = new SummaryScopes();
    DeviceScope a = new DeviceScope(List.of("a-*"), List.of());
    DeviceScope sameAsA = new DeviceScope(List.of("a-*"), List.of());
    SummaryTick t1 = b.tick(1, List.of(entry("a-1", 1), entry("b-1", 2)));
    Buffer first = scopes.envelope(t1, a);
    assertSame(first, scopes.envelope(t1, sameAsA), "an equal scope: the same bytes, encoded once");
    Buffer all = scopes.envelope(t1, DeviceScope.ALL);
    assertNotSame(first, all);
    assertFalse(first.toString().contains("b-1"), first.toString());
    assertTrue(all.toString().contains("b-1"));
    assertEquals(2, scopes.scopes());

    // Only b-1 changes: the a-* scope's message has no device and no fleet or top.
    SummaryTick t2 = b.tick(2, List.of(entry("a-1", 1), entry("b-1", 3)));
    JsonObject m2 = body(scopes.envelope(t2, a));
    assertEquals(2, m2.getLong("seq"));
    assertTrue(m2.getJsonArray("devices").isEmpty());
    assertFalse(m2.containsKey("fleet") || m2.containsKey("top"), m2.encode());

    // The unlimited scope skips tick 2: at tick 3 it is sent fleet and top again.
    SummaryTick t3 = b.tick(3, List.of(entry("a-1", 1), entry("b-1", 4)));
    JsonObject m3 = body(scopes.envelope(t3, DeviceScope.ALL));
    assertTrue(m3.containsKey("fleet") && m3.containsKey("top"), m3.encode());
  }
}
