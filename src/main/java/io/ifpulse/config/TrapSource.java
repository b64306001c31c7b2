package io.ifpulse.config;

import java.util.regex.Pattern;

/**
 * Where a device's notifications come from, when its polled address does not say it: several agents
 * behind one NAT address, or the embedded simulator's agents, which all answer on 127.0.0.1. An IP
 * address, optionally with the UDP port the device sends from ({@code "127.0.0.5"},
 * {@code "10.0.0.1:1162"}, {@code "[::1]:1162"}). Only literals: a name would need a lookup on every
 * notification, and would say nothing a literal does not.
 *
 * @param ip the address in its canonical text (java.net.InetAddress#getHostAddress)
 * @param port the source port, or 0 for any
 */
public record TrapSource(String ip, int port) {
  private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** Parses {@code ip}, {@code ip:port} or {@code [v6]:port}; throws IllegalArgumentException with the reason. */
  public static TrapSource parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) throw new IllegalArgumentException("must be an IP address, optionally with :port");
    String ip = text;
    int port = 0;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) throw new IllegalArgumentException("has no closing ]");
      ip = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) throw new IllegalArgumentException("must be [v6] or [v6]:port");
        port = port(rest.substring(1));
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      ip = text.substring(0, text.indexOf(':'));
      port = port(text.substring(text.indexOf(':') + 1));
    }
    if (!isIpLiteral(ip)) throw new IllegalArgumentException("must be an IP address (not a name), optionally with :port");
    return new TrapSource(canonical(ip), port);
  }

  private static int port(String s) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 1 && p <= 65535) return p;
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("has a port that is not 1-65535");
  }

  public static boolean isIpLiteral(String s) {
    return s != null && (V4.matcher(s).matches() || (s.indexOf(':') >= 0 && V6.matcher(s).matches() && canonicalOrNull(s) != null));
  }

  /** The canonical text of an IP literal (no lookup is made for a literal). */
  public static String canonical(String ip) {
    String c = canonicalOrNull(ip);
    return c == null ? ip : c;
  }

  private static String canonicalOrNull(String ip) {
    try {
      return java.net.InetAddress.getByName(ip).getHostAddress(); // a literal: parsed, never looked up
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return port == 0 ? host : host + ":" + port;
  }
}
