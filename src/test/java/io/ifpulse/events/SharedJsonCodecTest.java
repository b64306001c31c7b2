package io.ifpulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.testing.Unit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A JsonObject goes to other nodes as the JSON it was. */
@Unit
class SharedJsonCodecTest {

  @Test
  void theWireFormRoundTripsAnObject() {
    JsonObject sample = new JsonObject()
        .put("device", "sw1").put("seq", 7L).put("ts", 1_795_677_262_257L).put("pollMs", 1.25).put("reachable", true)
        .put("interfaces", new JsonArray()
            .add(new JsonObject().put("ifIndex", 1).put("name", "eth0").put("state", "ok").put("inBps", 9.5e9).put("outUtil", 0.0001))
            .add(new JsonObject().put("ifIndex", 2).put("name", "eth1").put("state", "gap").put("gap", "no-data")));
    SharedJsonCodec codec = new SharedJsonCodec();
    Buffer wire = Buffer.buffer().appendString("header");
    codec.encodeToWire(wire, sample);
    assertEquals(sample, codec.decodeFromWire("header".length(), wire));
  }
}
