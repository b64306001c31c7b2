package io.ifpulse.discovery;

import io.ifpulse.config.InterfaceFilter;
import io.ifpulse.snmp.TableWalker;
import io.vertx.core.Future;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;

/**
 * Reads ifTable and ifXTable once (not on every poll): names, speeds, states, and which counters
 * exist. The poller then asks only for the counter columns of the interfaces the filter keeps.
 */
public final class InterfaceDiscovery {
  static final OID IF_DESCR = new OID("1.3.6.1.2.1.2.2.1.2");
  static final OID IF_TYPE = new OID("1.3.6.1.2.1.2.2.1.3");
  static final OID IF_SPEED = new OID("1.3.6.1.2.1.2.2.1.5");
  static final OID IF_ADMIN = new OID("1.3.6.1.2.1.2.2.1.7");
  static final OID IF_OPER = new OID("1.3.6.1.2.1.2.2.1.8");
  static final OID IF_NAME = new OID("1.3.6.1.2.1.31.1.1.1.1");
  static final OID IF_HC_IN_OCTETS = new OID("1.3.6.1.2.1.31.1.1.1.6");
  static final OID IF_HIGH_SPEED = new OID("1.3.6.1.2.1.31.1.1.1.15");
  static final OID IF_ALIAS = new OID("1.3.6.1.2.1.31.1.1.1.18");
  static final OID IF_DISCONTINUITY = new OID("1.3.6.1.2.1.31.1.1.1.19");

  private static final List<OID> IF_TABLE = List.of(IF_DESCR, IF_TYPE, IF_SPEED, IF_ADMIN, IF_OPER);
  private static final List<OID> IF_X_TABLE = List.of(IF_NAME, IF_HC_IN_OCTETS, IF_HIGH_SPEED, IF_ALIAS, IF_DISCONTINUITY);

  /**
   * Everything discovery found, and which of it the filter keeps.
   *
   * @param limits what the walk cut short (an agent with more interfaces than the device may have,
   *     strings past 255 bytes, more bytes than a discovery may read)
   * @param maxInterfaces the device's cap, for saying why
   */
  public record Result(List<InterfaceInfo> all, List<InterfaceInfo> polled, TableWalker.Limits limits, int maxInterfaces) {
    public Result(List<InterfaceInfo> all, List<InterfaceInfo> polled) {
      this(all, polled, new TableWalker.Limits(0, 0, false, 0), Integer.MAX_VALUE);
    }

    /** Why this discovery is incomplete, for the device's state; null when it is not. */
    public String limited() {
      List<String> why = new ArrayList<>();
      if (limits.rowsCut() > 0) why.add("the agent has more than " + maxInterfaces + " interfaces (maxInterfaces); the first are polled");
      if (limits.budgetSpent()) why.add("discovery stopped after " + limits.bytes() + " bytes of answers; " + all.size() + " interfaces read");
      if (limits.stringsCut() > 0) why.add(limits.stringsCut() + " strings longer than " + TableWalker.MAX_STRING_BYTES + " bytes cut");
      return why.isEmpty() ? null : String.join("; ", why);
    }
  }

  /**
   * Bytes of answers one discovery may read: room for every row of ten columns with strings at
   * their 255-byte limit (about 320 bytes a varbind), so only an agent that sends more than any
   * DisplayString allows, or loops, reaches it. 32 MB at the default 10,000 interfaces.
   */
  public static long byteBudget(int maxInterfaces) {
    return Math.max(1L << 20, maxInterfaces * 10L * 320);
  }

  private InterfaceDiscovery() {}

  /** Walks both tables (ifXTable may be missing: v1-era agents) and applies the filter. */
  public static Future<Result> discover(TableWalker walker, InterfaceFilter filter) {
    return discover(walker, filter, Integer.MAX_VALUE);
  }

  public static Future<Result> discover(TableWalker walker, InterfaceFilter filter, int maxInterfaces) {
    return walker.walk(IF_TABLE).compose(ifTable -> walker.walk(IF_X_TABLE).map(ifX -> {
      List<InterfaceInfo> all = build(ifTable, ifX);
      List<InterfaceInfo> polled = new ArrayList<>();
      for (InterfaceInfo i : all) {
        if (filter.accepts(i.name(), i.alias(), i.descr(), i.type(), i.adminStatus(), i.operStatus())) polled.add(i);
      }
      return new Result(List.copyOf(all), List.copyOf(polled), walker.limits(), maxInterfaces);
    }));
  }

  static List<InterfaceInfo> build(Map<OID, TreeMap<OID, Variable>> ifTable, Map<OID, TreeMap<OID, Variable>> ifX) {
    TreeSet<Integer> indexes = new TreeSet<>();
    for (TreeMap<OID, Variable> col : ifTable.values()) indexes.addAll(singleIndexes(col));
    List<InterfaceInfo> out = new ArrayList<>();
    for (int ifIndex : indexes) {
      OID idx = new OID(new int[] {ifIndex});
      String descr = text(ifTable.get(IF_DESCR).get(idx));
      String name = text(ifX.get(IF_NAME).get(idx));
      if (name.isEmpty()) name = descr.isEmpty() ? "if" + ifIndex : descr;
      long highSpeed = number(ifX.get(IF_HIGH_SPEED).get(idx));
      long speed = number(ifTable.get(IF_SPEED).get(idx));
      long speedBps;
      if (highSpeed > 0) speedBps = highSpeed * 1_000_000L;
      else if (speed > 0 && speed < 0xFFFF_FFFFL) speedBps = speed;
      else speedBps = 0;
      out.add(new InterfaceInfo(
          ifIndex,
          name,
          descr,
          text(ifX.get(IF_ALIAS).get(idx)),
          (int) number(ifTable.get(IF_TYPE).get(idx)),
          speedBps,
          InterfaceInfo.status((int) number(ifTable.get(IF_ADMIN).get(idx))),
          InterfaceInfo.status((int) number(ifTable.get(IF_OPER).get(idx))),
          ifX.get(IF_HC_IN_OCTETS).get(idx) instanceof Counter64,
          ifX.get(IF_DISCONTINUITY).get(idx) != null,
          ifX.get(IF_NAME).containsKey(idx) || ifX.get(IF_HIGH_SPEED).containsKey(idx)));
    }
    return out;
  }

  private static List<Integer> singleIndexes(TreeMap<OID, Variable> col) {
    List<Integer> out = new ArrayList<>();
    for (OID o : col.keySet()) {
      if (o.size() == 1 && o.get(0) > 0) out.add(o.get(0));
    }
    return out;
  }

  private static long number(Variable v) {
    if (v == null || v.isException()) return 0;
    try {
      return v.toLong();
    } catch (UnsupportedOperationException e) {
      return 0;
    }
  }

  /** DisplayString as text; agents put anything in there, so bytes that are not UTF-8 become hex. */
  static String text(Variable v) {
    if (!(v instanceof OctetString s)) return "";
    byte[] bytes = s.getValue();
    int len = bytes.length;
    while (len > 0 && bytes[len - 1] == 0) len--; // some agents NUL-terminate
    String t;
    try {
      t = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes, 0, len))
          .toString();
    } catch (CharacterCodingException e) {
      t = s.toHexString();
    }
    // At most 255 characters, whatever came (hex doubles the length).
    return t.length() > TableWalker.MAX_STRING_BYTES ? t.substring(0, TableWalker.MAX_STRING_BYTES) : t;
  }
}
