package io.ifpulse.web;

import io.ifpulse.config.Cidr;
import java.net.InetAddress;
import java.util.List;

/**
 * What a request says about its browser once proxies are taken into account: the Host it asked
 * for, the scheme it used and its address. {@code X-Forwarded-Host}, {@code -Proto} and {@code
 * -For} are believed only when the connection comes from one of {@code web.trustedProxies};
 * from anyone else they are ignored, or any client could pick its own address and name.
 *
 * @param host the Host to check against the hub's names
 * @param scheme http or https as the browser sees it
 * @param client the browser's address (for sign-in throttling and the audit)
 */
record Forwarded(String host, String scheme, String client) {

  static Forwarded of(String peer, String hostHeader, boolean tls, String xfHost, String xfProto, String xfFor,
      List<Cidr> trustedProxies) {
    String scheme = tls ? "https" : "http";
    if (!trusted(peer, trustedProxies)) return new Forwarded(hostHeader, scheme, peer);
    String host = xfHost != null ? first(xfHost) : hostHeader;
    String proto = xfProto != null ? first(xfProto).toLowerCase(java.util.Locale.ROOT) : scheme;
    if (!"http".equals(proto) && !"https".equals(proto)) proto = scheme;
    return new Forwarded(host, proto, clientOf(xfFor, peer, trustedProxies));
  }

  private static boolean trusted(String address, List<Cidr> proxies) {
    if (proxies.isEmpty() || address == null) return false;
    InetAddress a = Cidr.literal(address);
    for (Cidr c : proxies) if (c.contains(a)) return true;
    return false;
  }

  /**
   * The nearest address in X-Forwarded-For that is not a trusted proxy, read from the right: the
   * left part is whatever the client wrote.
   */
  private static String clientOf(String xfFor, String peer, List<Cidr> proxies) {
    if (xfFor == null) return peer;
    String[] hops = xfFor.split(",", 32);
    String leftmost = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = unbracket(hops[i].trim());
      if (Cidr.literal(hop) == null) return leftmost; // not an address: believe nothing further left
      if (!trusted(hop, proxies)) return hop;
      leftmost = hop;
    }
    // Every hop is trusted (a client inside a trusted range): the one that started the chain.
    return leftmost;
  }

  private static String unbracket(String hop) {
    return hop.startsWith("[") && hop.endsWith("]") ? hop.substring(1, hop.length() - 1) : hop;
  }

  private static String first(String list) {
    int comma = list.indexOf(',');
    return (comma < 0 ? list : list.substring(0, comma)).trim();
  }
}
