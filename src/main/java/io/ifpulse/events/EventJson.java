package io.ifpulse.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.ifpulse.events.InterfaceSample.Gap;
import io.ifpulse.events.InterfaceSample.Rate;
import io.ifpulse.events.InterfaceSample.State;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one encoder and the one decoder of the events (docs/EVENTS.md): {@link TrafficSample},
 * {@link StatusEvent} and {@link AlertEvent} to their JSON and back. The bus codecs ({@link
 * EventCodecs}), the bridge, the tail, the history's REST view and the alerts' hand-over all go
 * through here, so the JSON is written in one place.
 *
 * <p>It writes with Vert.x's own JSON library (Jackson's streaming generator), field by field,
 * in the order and with the number formats a JsonObject of the same content is encoded with: the
 * JSON is the same, byte for byte, as when samples were JsonObjects ({@code
 * TrafficSampleJsonTest} holds it to that). Going straight from the record to bytes spares the
 * map and the boxed number per field that a JsonObject costs, some 1 KB per interface of a
 * sample. It reads with the streaming parser into the records, for the same reason.
 *
 * <p>Other values (a JsonObject, a list, a string) are written as Vert.x writes them, records
 * inside them included: that is how the bridge's envelopes are written.
 */
public final class EventJson {
  /**
   * A character beyond the BMP (an emoji in an interface name) as its four UTF-8 bytes, as the
   * bridge has always sent it, rather than as the escaped surrogate pair Jackson's byte writer
   * makes by default.
   */
  private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  /**
   * Bytes of a sample's JSON per interface: a typical 320 at first, then the most seen, so that the
   * buffer a sample is written into is large enough from the start. One that grows is copied into
   * one twice its size: at 50 interfaces a third more allocation for the message. A stale read by
   * another thread only costs that once.
   */
  private static volatile int bytesPerInterface = 320;

  // Field names, quoted and encoded once.
  private static final SerializedString DEVICE = key("device");
  private static final SerializedString GROUP = key("group");
  private static final SerializedString SEQ = key("seq");
  private static final SerializedString TS = key("ts");
  private static final SerializedString POLL_MS = key("pollMs");
  private static final SerializedString INTERVAL_MS = key("intervalMs");
  private static final SerializedString REACHABLE = key("reachable");
  private static final SerializedString INTERFACES = key("interfaces");
  private static final SerializedString IF_INDEX = key("ifIndex");
  private static final SerializedString NAME = key("name");
  private static final SerializedString OPER = key("oper");
  private static final SerializedString SPEED_BPS = key("speedBps");
  private static final SerializedString STATE = key("state");
  private static final SerializedString GAP = key("gap");
  private static final SerializedString[] RATES = new SerializedString[Rate.ALL.length];
  private static final SerializedString EVENT = key("event");
  private static final SerializedString HOST = key("host");
  private static final SerializedString PORT = key("port");
  private static final SerializedString VERSION = key("version");
  private static final SerializedString CREDENTIALS = key("credentials");
  private static final SerializedString ERROR = key("error");
  private static final SerializedString DISCOVERED = key("discovered");
  private static final SerializedString ADDED = key("added");
  private static final SerializedString REMOVED = key("removed");
  private static final SerializedString STATS = key("stats");
  private static final SerializedString IF_NAME = key("ifName");
  private static final SerializedString DESCR = key("descr");
  private static final SerializedString ALIAS = key("alias");
  private static final SerializedString TYPE = key("type");
  private static final SerializedString ADMIN = key("admin");
  private static final SerializedString HC = key("hc");
  private static final SerializedString ID = key("id");
  private static final SerializedString KIND = key("kind");
  private static final SerializedString SEVERITY = key("severity");
  private static final SerializedString VALUE = key("value");
  private static final SerializedString THRESHOLD = key("threshold");
  private static final SerializedString SINCE = key("since");
  private static final SerializedString REASON = key("reason");
  // Values of a few words, likewise.
  private static final State[] STATES = State.values();
  private static final Gap[] GAPS = Gap.values();
  private static final SerializedString[] STATE_LABELS = labels(STATES);
  private static final SerializedString[] GAP_LABELS = labels(GAPS);
  /** ifOperStatus names: read into these instances rather than a new string per interface. */
  private static final String[] OPER_NAMES = {"up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown"};

  static {
    for (Rate r : Rate.ALL) RATES[r.ordinal()] = key(r.key);
  }

  private EventJson() {}

  // ------------------------------------------------------------------------------- encoding

  /** The JSON of an event (or of any JSON value, records inside it included), as bytes. */
  public static Buffer encode(Object value) {
    int hint = sizeHint(value);
    Buffer out = Buffer.buffer(hint);
    appendTo(out, value);
    if (out.length() > hint) learn(value, out.length());
    return out;
  }

  /** Appends the JSON of {@code value} to {@code out}. */
  public static void appendTo(Buffer out, Object value) {
    try (JsonGenerator g = FACTORY.createGenerator(new BufferOutput(out))) {
      write(g, value);
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    }
  }

  /** The event as a new JsonObject: for code that wants one, not for the path of every sample. */
  public static JsonObject toJson(Object event) {
    return new JsonObject(encode(event));
  }

  /**
   * One JSON line of an event with {@code "type": type} first, as {@code --print} writes them:
   * {@code {"type":"traffic","device":...}}.
   */
  public static String line(String type, Object event) {
    Buffer out = Buffer.buffer(sizeHint(event) + 20);
    try (JsonGenerator g = FACTORY.createGenerator(new BufferOutput(out))) {
      g.writeStartObject();
      g.writeStringField("type", type);
      writeFields(g, event);
      g.writeEndObject();
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    }
    return out.toString();
  }

  /** Writes {@code value} as JSON: an event, or any value Vert.x encodes (with events inside it). */
  public static void write(JsonGenerator g, Object value) throws IOException {
    if (value instanceof TrafficSample || value instanceof InterfaceSample || value instanceof StatusEvent
        || value instanceof StatusEvent.Interface || value instanceof AlertEvent || value instanceof GroupSample
        || value instanceof GroupSample.Member || value instanceof JsonObject
        || value instanceof Map) {
      g.writeStartObject();
      writeFields(g, value);
      g.writeEndObject();
    } else if (value instanceof JsonArray a) {
      writeArray(g, a.getList());
    } else if (value instanceof List<?> l) {
      writeArray(g, l);
    } else {
      JacksonCodec.encodeJson(value, g); // a string, number, boolean or null: as Vert.x writes it
    }
  }

  private static void writeFields(JsonGenerator g, Object value) throws IOException {
    if (value instanceof TrafficSample s) {
      traffic(g, s);
    } else if (value instanceof InterfaceSample i) {
      iface(g, i);
    } else if (value instanceof StatusEvent e) {
      status(g, e);
    } else if (value instanceof StatusEvent.Interface i) {
      statusInterface(g, i);
    } else if (value instanceof AlertEvent a) {
      alert(g, a);
    } else if (value instanceof GroupSample gs) {
      group(g, gs);
    } else if (value instanceof GroupSample.Member m) {
      groupMember(g, m);
    } else if (value instanceof JsonObject j) {
      mapFields(g, j.getMap());
    } else if (value instanceof Map<?, ?> m) {
      mapFields(g, m);
    } else {
      throw new EncodeException("not a JSON object: " + (value == null ? "null" : value.getClass().getName()));
    }
  }

  private static void mapFields(JsonGenerator g, Map<?, ?> m) throws IOException {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      g.writeFieldName((String) e.getKey());
      write(g, e.getValue());
    }
  }

  private static void writeArray(JsonGenerator g, List<?> items) throws IOException {
    g.writeStartArray();
    for (Object o : items) write(g, o);
    g.writeEndArray();
  }

  private static void traffic(JsonGenerator g, TrafficSample s) throws IOException {
    g.writeFieldName(DEVICE);
    g.writeString(s.device());
    g.writeFieldName(SEQ);
    g.writeNumber(s.seq());
    g.writeFieldName(TS);
    g.writeNumber(s.ts());
    if (!Double.isNaN(s.pollMs())) {
      g.writeFieldName(POLL_MS);
      g.writeNumber(s.pollMs());
    }
    g.writeFieldName(INTERVAL_MS);
    g.writeNumber(s.intervalMs());
    g.writeFieldName(REACHABLE);
    g.writeBoolean(s.reachable());
    g.writeFieldName(INTERFACES);
    g.writeStartArray();
    List<InterfaceSample> ifs = s.interfaces();
    for (int k = 0, n = ifs.size(); k < n; k++) {
      g.writeStartObject();
      iface(g, ifs.get(k));
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void iface(JsonGenerator g, InterfaceSample i) throws IOException {
    g.writeFieldName(IF_INDEX);
    g.writeNumber(i.ifIndex());
    g.writeFieldName(NAME);
    g.writeString(i.name());
    g.writeFieldName(OPER);
    g.writeString(i.oper());
    if (i.speedBps() > 0) {
      g.writeFieldName(SPEED_BPS);
      g.writeNumber(i.speedBps());
    }
    g.writeFieldName(STATE);
    g.writeString(STATE_LABELS[i.state().ordinal()]);
    if (i.state() == State.GAP) {
      g.writeFieldName(GAP);
      g.writeString(GAP_LABELS[i.gap().ordinal()]);
      return;
    }
    number(g, INTERVAL_MS, i.intervalMs());
    for (Rate r : Rate.ALL) number(g, RATES[r.ordinal()], r.of(i));
  }

  private static void status(JsonGenerator g, StatusEvent e) throws IOException {
    g.writeFieldName(DEVICE);
    g.writeString(e.device());
    g.writeFieldName(TS);
    g.writeNumber(e.ts());
    g.writeFieldName(EVENT);
    g.writeString(e.event().label);
    g.writeFieldName(REACHABLE);
    g.writeBoolean(e.reachable());
    g.writeFieldName(HOST);
    g.writeString(e.host());
    g.writeFieldName(PORT);
    g.writeNumber(e.port());
    if (e.version() != null) {
      g.writeFieldName(VERSION);
      g.writeString(e.version());
    }
    g.writeFieldName(CREDENTIALS);
    g.writeString(e.credentials());
    if (e.error() != null) {
      g.writeFieldName(ERROR);
      g.writeString(e.error());
    }
    if (e.interfaces() != null) {
      g.writeFieldName(INTERFACES);
      writeArray(g, e.interfaces());
      g.writeFieldName(DISCOVERED);
      g.writeNumber(e.discovered());
    }
    if (e.added() != null) {
      g.writeFieldName(ADDED);
      writeArray(g, e.added());
    }
    if (e.removed() != null) {
      g.writeFieldName(REMOVED);
      writeArray(g, e.removed());
    }
    if (e.ifIndex() > 0) {
      g.writeFieldName(IF_INDEX);
      g.writeNumber(e.ifIndex());
      if (e.ifName() != null) {
        g.writeFieldName(IF_NAME);
        g.writeString(e.ifName());
      }
      if (e.oper() != null) {
        g.writeFieldName(OPER);
        g.writeString(e.oper());
      }
    }
    if (e.stats() != null) {
      g.writeFieldName(STATS);
      write(g, e.stats());
    }
  }

  private static void statusInterface(JsonGenerator g, StatusEvent.Interface i) throws IOException {
    g.writeFieldName(IF_INDEX);
    g.writeNumber(i.ifIndex());
    g.writeFieldName(NAME);
    g.writeString(i.name());
    g.writeFieldName(DESCR);
    g.writeString(i.descr());
    g.writeFieldName(ALIAS);
    g.writeString(i.alias());
    g.writeFieldName(TYPE);
    g.writeNumber(i.type());
    g.writeFieldName(SPEED_BPS);
    g.writeNumber(i.speedBps());
    g.writeFieldName(ADMIN);
    g.writeString(i.admin());
    g.writeFieldName(OPER);
    g.writeString(i.oper());
    g.writeFieldName(HC);
    g.writeBoolean(i.hc());
  }

  private static void alert(JsonGenerator g, AlertEvent a) throws IOException {
    g.writeFieldName(ID);
    g.writeString(a.id());
    // A group's alert has no device: the field is left out rather than null, and "group" names it.
    if (a.group() != null) {
      g.writeFieldName(GROUP);
      g.writeString(a.group());
    } else {
      g.writeFieldName(DEVICE);
      g.writeString(a.device());
    }
    g.writeFieldName(IF_INDEX);
    g.writeNumber(a.ifIndex());
    g.writeFieldName(NAME);
    g.writeString(a.name());
    g.writeFieldName(KIND);
    g.writeString(a.kind().label);
    g.writeFieldName(STATE);
    g.writeString(a.state().label);
    g.writeFieldName(SEVERITY);
    g.writeString(a.severity().label);
    g.writeFieldName(VALUE);
    write(g, a.value());
    g.writeFieldName(THRESHOLD);
    write(g, a.threshold());
    g.writeFieldName(SINCE);
    g.writeNumber(a.since());
    g.writeFieldName(TS);
    g.writeNumber(a.ts());
    if (a.reason() != null) {
      g.writeFieldName(REASON);
      g.writeString(a.reason());
    }
  }

  private static void group(JsonGenerator g, GroupSample s) throws IOException {
    g.writeStringField("group", s.group());
    g.writeNumberField("seq", s.seq());
    g.writeNumberField("ts", s.ts());
    g.writeNumberField("windowMs", s.windowMs());
    g.writeNumberField("lagMs", s.lagMs());
    g.writeNumberField("members", s.members());
    g.writeBooleanField("partial", s.partial());
    if (s.partial()) {
      g.writeNumberField("missingCount", s.missing().size());
      g.writeFieldName("missing");
      g.writeStartArray();
      for (String m : s.missing()) g.writeString(m);
      g.writeEndArray();
    }
    number(g, RATES[Rate.IN_BPS.ordinal()], s.inBps());
    number(g, RATES[Rate.OUT_BPS.ordinal()], s.outBps());
    number(g, RATES[Rate.IN_PPS.ordinal()], s.inPps());
    number(g, RATES[Rate.OUT_PPS.ordinal()], s.outPps());
    number(g, RATES[Rate.IN_ERRORS.ordinal()], s.inErrors());
    number(g, RATES[Rate.OUT_ERRORS.ordinal()], s.outErrors());
    number(g, RATES[Rate.IN_DISCARDS.ordinal()], s.inDiscards());
    number(g, RATES[Rate.OUT_DISCARDS.ordinal()], s.outDiscards());
    if (s.speedBps() > 0) {
      g.writeFieldName(SPEED_BPS);
      g.writeNumber(s.speedBps());
    }
    number(g, RATES[Rate.IN_UTIL.ordinal()], s.inUtil());
    number(g, RATES[Rate.OUT_UTIL.ordinal()], s.outUtil());
    g.writeFieldName("stack");
    g.writeStartArray();
    for (GroupSample.Member m : s.stack()) {
      g.writeStartObject();
      groupMember(g, m);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void groupMember(JsonGenerator g, GroupSample.Member m) throws IOException {
    g.writeFieldName(DEVICE);
    g.writeString(m.device());
    g.writeFieldName(IF_INDEX);
    g.writeNumber(m.ifIndex());
    if (m.name() != null) {
      g.writeFieldName(NAME);
      g.writeString(m.name());
    }
    number(g, RATES[Rate.IN_BPS.ordinal()], m.inBps());
    number(g, RATES[Rate.OUT_BPS.ordinal()], m.outBps());
  }

  /** A value the JSON leaves out when it is not known (NaN). */
  private static void number(JsonGenerator g, SerializableString key, double v) throws IOException {
    if (Double.isNaN(v)) return;
    g.writeFieldName(key);
    g.writeNumber(v);
  }

  private static int sizeHint(Object value) {
    if (value instanceof TrafficSample s) return 256 + bytesPerInterface * s.interfaces().size();
    if (value instanceof StatusEvent e) return 768 + (e.interfaces() == null ? 0 : 160 * e.interfaces().size());
    if (value instanceof JsonObject j && j.getValue("body") != null) return 64 + sizeHint(j.getValue("body"));
    return 256;
  }

  /** A sample (alone or as an envelope's body) took {@code length} bytes, more than expected. */
  private static void learn(Object value, int length) {
    Object body = value instanceof JsonObject j ? j.getValue("body") : value;
    if (!(body instanceof TrafficSample s) || s.interfaces().isEmpty()) return;
    int per = Math.min(4096, length / s.interfaces().size() + 8);
    if (per > bytesPerInterface) bytesPerInterface = per;
  }

  // ------------------------------------------------------------------------------- decoding

  /** A sample from its JSON (docs/EVENTS.md). Fields it does not know are skipped. */
  public static TrafficSample traffic(Buffer json) {
    return decode(json, "traffic sample", EventJson::traffic);
  }

  public static TrafficSample traffic(JsonObject json) {
    return traffic(json.toBuffer());
  }

  /**
   * What a consumer of {@code ifpulse.traffic.<deviceId>} received, as a sample: the published
   * record itself, or one decoded from the JSON a verticle of another kind published there.
   */
  public static TrafficSample traffic(Object body) {
    return body instanceof TrafficSample s ? s : traffic(asJson(body, "a traffic sample"));
  }

  /** A status event from its JSON. */
  public static StatusEvent status(Buffer json) {
    return decode(json, "status event", EventJson::status);
  }

  public static StatusEvent status(JsonObject json) {
    return status(json.toBuffer());
  }

  /** As {@link #traffic(Object)}, for {@code ifpulse.status.<deviceId>}. */
  public static StatusEvent status(Object body) {
    return body instanceof StatusEvent e ? e : status(asJson(body, "a status event"));
  }

  /** An alert event from its JSON ({@code id} is not read: it follows from device, ifIndex and kind). */
  public static AlertEvent alert(Buffer json) {
    return decode(json, "alert event", EventJson::alert);
  }

  public static AlertEvent alert(JsonObject json) {
    return alert(json.toBuffer());
  }

  /** As {@link #traffic(Object)}, for {@code ifpulse.alerts}. */
  public static AlertEvent alert(Object body) {
    return body instanceof AlertEvent a ? a : alert(asJson(body, "an alert event"));
  }

  /** One of the streaming readers below, on a parser standing before the object. */
  private interface Reader<T> {
    T read(JsonParser p) throws IOException;
  }

  /** One whole event from {@code json}: nothing may follow it; any failure names {@code what}. */
  private static <T> T decode(Buffer json, String what, Reader<T> reader) {
    try (JsonParser p = JacksonCodec.createParser(json)) {
      p.nextToken();
      T t = reader.read(p);
      end(p);
      return t;
    } catch (IOException | RuntimeException e) {
      throw decodeFailure(what, e);
    }
  }

  /** A body published as JSON by a verticle of another kind; anything else is not {@code what}. */
  private static JsonObject asJson(Object body, String what) {
    if (body instanceof JsonObject j) return j;
    throw new DecodeException("not " + what + ": " + (body == null ? "null" : body.getClass().getName()));
  }

  /**
   * A group sample from its JSON. Read through a JsonObject: group samples are one a second per
   * group, decoded only on another node, so the streaming parser of the samples is not needed.
   */
  public static GroupSample group(JsonObject json) {
    try {
      List<String> missing = new ArrayList<>();
      JsonArray m = json.getJsonArray("missing");
      if (m != null) for (int i = 0; i < m.size(); i++) missing.add(m.getString(i));
      List<GroupSample.Member> stack = new ArrayList<>();
      JsonArray st = json.getJsonArray("stack");
      if (st != null) {
        for (int i = 0; i < st.size(); i++) {
          JsonObject e = st.getJsonObject(i);
          stack.add(new GroupSample.Member(e.getString("device"), e.getInteger("ifIndex"), e.getString("name"),
              nan(e, "inBps"), nan(e, "outBps")));
        }
      }
      return new GroupSample(json.getString("group"), json.getLong("seq", 0L), json.getLong("ts", 0L), json.getLong("windowMs", 0L),
          json.getLong("lagMs", 0L), json.getInteger("members", 0), missing, nan(json, "inBps"), nan(json, "outBps"),
          nan(json, "inPps"), nan(json, "outPps"), nan(json, "inErrors"), nan(json, "outErrors"), nan(json, "inDiscards"),
          nan(json, "outDiscards"), json.getLong("speedBps", 0L), nan(json, "inUtil"), nan(json, "outUtil"), stack);
    } catch (RuntimeException e) {
      throw decodeFailure("group sample", e);
    }
  }

  /** As {@link #traffic(Object)}, for {@code ifpulse.group.<name>}. */
  public static GroupSample group(Object body) {
    if (body instanceof GroupSample s) return s;
    if (body instanceof JsonObject j) return group(j);
    if (body instanceof Buffer b) return group(new JsonObject(b));
    throw new DecodeException("not a group sample: " + (body == null ? "null" : body.getClass().getName()));
  }

  private static double nan(JsonObject j, String key) {
    Number n = j.getNumber(key);
    return n == null ? Double.NaN : n.doubleValue();
  }

  private static TrafficSample traffic(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT);
    String device = null;
    long seq = 0;
    long ts = 0;
    boolean hasTs = false;
    double pollMs = Double.NaN;
    long intervalMs = 0;
    boolean reachable = false;
    List<InterfaceSample> interfaces = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      if (p.nextToken() == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "device" -> device = p.getText();
        case "seq" -> seq = p.getLongValue();
        case "ts" -> {
          ts = p.getLongValue();
          hasTs = true;
        }
        case "pollMs" -> pollMs = p.getDoubleValue();
        case "intervalMs" -> intervalMs = p.getLongValue();
        case "reachable" -> reachable = p.getBooleanValue();
        case "interfaces" -> {
          expect(p, JsonToken.START_ARRAY);
          List<InterfaceSample> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) list.add(iface(p));
          interfaces = Collections.unmodifiableList(list);
        }
        default -> p.skipChildren();
      }
    }
    if (device == null || !hasTs || interfaces == null) throw new DecodeException("a traffic sample needs device, ts and interfaces");
    return new TrafficSample(device, seq, ts, pollMs, intervalMs, reachable, interfaces);
  }

  private static InterfaceSample iface(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT);
    int ifIndex = 0;
    boolean hasIfIndex = false;
    String name = null;
    String oper = null;
    long speedBps = 0;
    State state = null;
    Gap gap = null;
    double intervalMs = Double.NaN;
    double inBps = Double.NaN;
    double outBps = Double.NaN;
    double inPps = Double.NaN;
    double outPps = Double.NaN;
    double inErrors = Double.NaN;
    double outErrors = Double.NaN;
    double inDiscards = Double.NaN;
    double outDiscards = Double.NaN;
    double inUtil = Double.NaN;
    double outUtil = Double.NaN;
    // Runs for every interface of every sample another node sends: locals, no map, no boxing.
    String field;
    while ((field = p.nextFieldName()) != null) {
      if (p.nextToken() == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "ifIndex" -> {
          ifIndex = p.getIntValue();
          hasIfIndex = true;
        }
        case "name" -> name = p.getText();
        case "oper" -> oper = oper(p);
        case "speedBps" -> speedBps = p.getLongValue();
        case "state" -> state = label(p, STATES, STATE_LABELS);
        case "gap" -> gap = label(p, GAPS, GAP_LABELS);
        case "intervalMs" -> intervalMs = p.getDoubleValue();
        case "inBps" -> inBps = p.getDoubleValue();
        case "outBps" -> outBps = p.getDoubleValue();
        case "inPps" -> inPps = p.getDoubleValue();
        case "outPps" -> outPps = p.getDoubleValue();
        case "inErrors" -> inErrors = p.getDoubleValue();
        case "outErrors" -> outErrors = p.getDoubleValue();
        case "inDiscards" -> inDiscards = p.getDoubleValue();
        case "outDiscards" -> outDiscards = p.getDoubleValue();
        case "inUtil" -> inUtil = p.getDoubleValue();
        case "outUtil" -> outUtil = p.getDoubleValue();
        default -> p.skipChildren();
      }
    }
    if (!hasIfIndex || state == null || (state == State.GAP) != (gap != null)) {
      throw new DecodeException("an interface of a sample needs ifIndex and state, and gap exactly with state gap");
    }
    return new InterfaceSample(ifIndex, name, oper, Math.max(0, speedBps), state, gap, intervalMs, inBps, outBps, inPps, outPps,
        inErrors, outErrors, inDiscards, outDiscards, inUtil, outUtil);
  }

  private static StatusEvent status(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT);
    String device = null;
    long ts = 0;
    StatusEvent.Event event = null;
    boolean reachable = false;
    String host = null;
    int port = 0;
    String version = null;
    String credentials = null;
    String error = null;
    List<StatusEvent.Interface> interfaces = null;
    int discovered = 0;
    List<Integer> added = null;
    List<Integer> removed = null;
    JsonObject stats = null;
    int ifIndex = 0;
    String ifName = null;
    String oper = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      if (p.nextToken() == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "ifIndex" -> ifIndex = p.getIntValue();
        case "ifName" -> ifName = p.getText();
        case "oper" -> oper = p.getText();
        case "device" -> device = p.getText();
        case "ts" -> ts = p.getLongValue();
        case "event" -> event = labelled(p.getText(), StatusEvent.Event.values(), ev -> ev.label);
        case "reachable" -> reachable = p.getBooleanValue();
        case "host" -> host = p.getText();
        case "port" -> port = p.getIntValue();
        case "version" -> version = p.getText();
        case "credentials" -> credentials = p.getText();
        case "error" -> error = p.getText();
        case "interfaces" -> {
          expect(p, JsonToken.START_ARRAY);
          List<StatusEvent.Interface> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) list.add(statusInterface(p));
          interfaces = Collections.unmodifiableList(list);
        }
        case "discovered" -> discovered = p.getIntValue();
        case "added" -> added = ints(p);
        case "removed" -> removed = ints(p);
        case "stats" -> {
          expect(p, JsonToken.START_OBJECT);
          stats = (JsonObject) value(p);
        }
        default -> p.skipChildren();
      }
    }
    if (device == null || event == null) throw new DecodeException("a status event needs device and event");
    return new StatusEvent(device, ts, event, reachable, host, port, version, credentials, error, interfaces, discovered, added, removed,
        stats, ifIndex, ifName, oper);
  }

  /** One interface of a status event; also how the history reads the interfaces of a hand-over state. */
  public static StatusEvent.Interface statusInterface(JsonObject json) {
    try (JsonParser p = JacksonCodec.createParser(json.toBuffer())) {
      p.nextToken();
      StatusEvent.Interface i = statusInterface(p);
      end(p);
      return i;
    } catch (IOException | RuntimeException e) {
      throw decodeFailure("interface", e);
    }
  }

  private static StatusEvent.Interface statusInterface(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT);
    int ifIndex = 0;
    boolean hasIfIndex = false;
    String name = null;
    String descr = null;
    String alias = null;
    int type = 0;
    long speedBps = 0;
    String admin = null;
    String oper = null;
    boolean hc = false;
    String field;
    while ((field = p.nextFieldName()) != null) {
      if (p.nextToken() == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "ifIndex" -> {
          ifIndex = p.getIntValue();
          hasIfIndex = true;
        }
        case "name" -> name = p.getText();
        case "descr" -> descr = p.getText();
        case "alias" -> alias = p.getText();
        case "type" -> type = p.getIntValue();
        case "speedBps" -> speedBps = p.getLongValue();
        case "admin" -> admin = oper(p);
        case "oper" -> oper = oper(p);
        case "hc" -> hc = p.getBooleanValue();
        default -> p.skipChildren();
      }
    }
    if (!hasIfIndex) throw new DecodeException("an interface needs ifIndex");
    return new StatusEvent.Interface(ifIndex, name, descr, alias, type, speedBps, admin, oper, hc);
  }

  private static AlertEvent alert(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT);
    String device = null;
    int ifIndex = 0;
    String name = null;
    AlertEvent.Kind kind = null;
    AlertEvent.State state = null;
    AlertEvent.Severity severity = null;
    Object value = null;
    Object threshold = null;
    long since = 0;
    long ts = 0;
    String reason = null;
    String group = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      if (p.nextToken() == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "device" -> device = p.getText();
        case "group" -> group = p.getText();
        case "ifIndex" -> ifIndex = p.getIntValue();
        case "name" -> name = p.getText();
        case "kind" -> kind = labelled(p.getText(), AlertEvent.Kind.values(), k -> k.label);
        case "state" -> state = labelled(p.getText(), AlertEvent.State.values(), st -> st.label);
        case "severity" -> severity = labelled(p.getText(), AlertEvent.Severity.values(), sv -> sv.label);
        case "value" -> value = measure(p);
        case "threshold" -> threshold = measure(p);
        case "since" -> since = p.getLongValue();
        case "ts" -> ts = p.getLongValue();
        case "reason" -> reason = p.getText();
        default -> p.skipChildren();
      }
    }
    if ((device == null) == (group == null) || kind == null || state == null || severity == null) {
      throw new DecodeException("an alert event needs one of device and group, kind, state and severity");
    }
    return new AlertEvent(device, ifIndex, name, kind, state, severity, value, threshold, since, ts, reason, group);
  }

  /** An alert's value or threshold: a number (as a Double, the type the rules measure in) or a string. */
  private static Object measure(JsonParser p) throws IOException {
    if (p.currentToken().isNumeric()) return p.getDoubleValue();
    if (p.currentToken() == JsonToken.VALUE_STRING) return p.getText();
    return value(p);
  }

  /** The constant of {@code values} whose label is {@code text}. */
  private static <E> E labelled(String text, E[] values, java.util.function.Function<E, String> label) {
    for (E e : values) if (label.apply(e).equals(text)) return e;
    throw new DecodeException("unknown label " + text);
  }

  /** The constant whose label the current string token spells, compared in place (no string made). */
  private static <E> E label(JsonParser p, E[] values, SerializedString[] labels) throws IOException {
    for (int k = 0; k < labels.length; k++) if (spells(p, labels[k].getValue())) return values[k];
    throw new DecodeException("unknown label " + p.getText());
  }

  /** An ifOperStatus / ifAdminStatus name: one of the MIB's shared instances when it is one. */
  private static String oper(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) throw new DecodeException("not a string: " + p.getText());
    for (String known : OPER_NAMES) if (spells(p, known)) return known;
    return p.getText();
  }

  private static boolean spells(JsonParser p, String word) throws IOException {
    int n = p.getTextLength();
    if (n != word.length()) return false;
    char[] chars = p.getTextCharacters();
    int at = p.getTextOffset();
    for (int k = 0; k < n; k++) if (chars[at + k] != word.charAt(k)) return false;
    return true;
  }

  private static List<Integer> ints(JsonParser p) throws IOException {
    expect(p, JsonToken.START_ARRAY);
    List<Integer> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) out.add(p.getIntValue());
    return Collections.unmodifiableList(out);
  }

  /** Any JSON value at the current token, as Vert.x's own decoder makes it. */
  private static Object value(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          p.nextToken();
          m.put(k, value(p));
        }
        yield new JsonObject(m);
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(p));
        yield new JsonArray(l);
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new DecodeException("unexpected " + p.currentToken());
    };
  }

  private static void expect(JsonParser p, JsonToken token) {
    if (p.currentToken() != token) throw new DecodeException("expected " + token + ", found " + p.currentToken());
  }

  private static void end(JsonParser p) throws IOException {
    if (p.nextToken() != null) throw new DecodeException("trailing content after the event");
  }

  private static DecodeException decodeFailure(String what, Exception e) {
    return e instanceof DecodeException d ? d : new DecodeException("not a " + what + ": " + e.getMessage(), e);
  }

  private static SerializedString key(String name) {
    return new SerializedString(name);
  }

  private static SerializedString[] labels(Enum<?>[] values) {
    SerializedString[] out = new SerializedString[values.length];
    for (Enum<?> v : values) {
      String label = v instanceof State s ? s.label : ((Gap) v).label;
      out[v.ordinal()] = new SerializedString(label);
    }
    return out;
  }

  /** Jackson's generator writes through this into a Vert.x buffer: no intermediate array. */
  private static final class BufferOutput extends OutputStream {
    private final Buffer out;

    BufferOutput(Buffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.appendBytes(b, off, len);
    }
  }
}
