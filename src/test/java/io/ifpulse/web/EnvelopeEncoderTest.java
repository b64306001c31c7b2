package io.ifpulse.web;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ifpulse.events.TrafficSample;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

@Unit
class EnvelopeEncoderTest {

  private static JsonObject rec(String address, Object body) {
    return new JsonObject().put("type", "rec").put("address", address).put("body", body);
  }

  @Test
  void oneMessageIsEncodedOnceForAllItsBrowsers() {
    EnvelopeEncoder enc = new EnvelopeEncoder();
    JsonObject sample = new JsonObject().put("device", "r1").put("seq", 7).put("inBps", 1.5e9);
    // The bridge wraps the same body in a fresh envelope for each socket.
    var first = enc.encode(rec("ifpulse.traffic.r1", sample));
    var second = enc.encode(rec("ifpulse.traffic.r1", sample));
    assertSame(first, second);
    assertEquals(rec("ifpulse.traffic.r1", sample), new JsonObject(first), "the envelope as the stock bridge writes it");
  }

  @Test
  void aPublishedSampleIsWrittenOnceAndAsTheStockBridgeWroteItsJson() {
    String json = "{\"device\":\"r1\",\"seq\":7,\"ts\":1795677257912,\"pollMs\":2.281,\"intervalMs\":1000,\"reachable\":true,"
        + "\"interfaces\":[{\"ifIndex\":1,\"name\":\"eth0\",\"oper\":\"up\",\"speedBps\":1000000000,\"state\":\"ok\","
        + "\"intervalMs\":1000.3,\"inBps\":1.000219989E8,\"outBps\":6.00131913E7,\"inUtil\":10.0022},"
        + "{\"ifIndex\":2,\"name\":\"eth1\",\"oper\":\"down\",\"state\":\"gap\",\"gap\":\"no-data\"}]}";
    TrafficSample sample = TrafficSample.fromJson(new JsonObject(json));
    EnvelopeEncoder enc = new EnvelopeEncoder();
    var first = enc.encode(rec("ifpulse.traffic.r1", sample));
    assertSame(first, enc.encode(rec("ifpulse.traffic.r1", sample)));
    assertEquals(rec("ifpulse.traffic.r1", new JsonObject(json)).encode(), first.toString());
  }

  @Test
  void anythingElseIsEncodedAfresh() {
    EnvelopeEncoder enc = new EnvelopeEncoder();
    JsonObject sample = new JsonObject().put("device", "r1").put("seq", 7);
    JsonObject same = sample.copy(); // equal content, another message
    var a = enc.encode(rec("ifpulse.traffic.r1", sample));

    var next = enc.encode(rec("ifpulse.traffic.r1", same));
    assertNotSame(a, next, "another message");
    assertEquals(rec("ifpulse.traffic.r1", same), new JsonObject(next));

    var other = enc.encode(rec("ifpulse.status.r1", same));
    assertEquals(rec("ifpulse.status.r1", same), new JsonObject(other), "another address");

    JsonObject withHeaders = rec("ifpulse.status.r1", same).put("headers", new JsonObject().put("h", "1"));
    var h1 = enc.encode(withHeaders);
    assertEquals(withHeaders, new JsonObject(h1), "headers are kept");
    JsonObject otherHeaders = rec("ifpulse.status.r1", same).put("headers", new JsonObject().put("h", "2"));
    assertEquals(otherHeaders, new JsonObject(enc.encode(otherHeaders)), "and never taken from the last message");
  }
}
