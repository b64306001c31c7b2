package io.ifpulse.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block such as {@code 10.0.0.0/8}, {@code 192.0.2.7} or {@code fd00::/8}. Parsed from
 * literals only: a config value never triggers a name lookup.
 */
public record Cidr(byte[] network, int prefix, String text) {

  public static Cidr parse(String field, Object value) {
    if (!(value instanceof String s)) throw new ConfigException(field, value, "must be an address or block like 10.0.0.0/8");
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    InetAddress a = literal(addr);
    if (a == null) throw new ConfigException(field, s, "must be an IP address or block like 10.0.0.0/8 (no host names)");
    int max = a.getAddress().length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) throw new ConfigException(field, s, "has a prefix length outside 0-" + max);
    }
    return new Cidr(a.getAddress(), prefix, s);
  }

  /** The address of an IPv4 or IPv6 literal, or null for anything else. Never a name lookup. */
  public static InetAddress literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) return null;
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    boolean v4 = t.matches("((25[0-5]|2[0-4]\\d|[01]?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|[01]?\\d?\\d)");
    // Hex digits and colons only (a zone after '%'): the JDK then parses, and never looks up, the text.
    boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
    if (!v4 && !v6) return null;
    try {
      return InetAddress.getByName(t); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean contains(InetAddress a) {
    if (a == null) return false;
    byte[] b = a.getAddress();
    if (b.length != network.length) return false;
    int full = prefix / 8;
    for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
    int rest = prefix % 8;
    if (rest == 0) return true;
    int mask = 0xff << (8 - rest) & 0xff;
    return (b[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
