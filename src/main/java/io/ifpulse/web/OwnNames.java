package io.ifpulse.web;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names this hub answers to, and so which {@code Host} and {@code Origin} values are its own.
 *
 * <p>DNS rebinding makes an attacker's name ({@code evil.test}) resolve to the hub: the browser
 * then sends {@code Host: evil.test} and a matching {@code Origin}, so comparing the two proves
 * nothing. The {@code Host} must be one of the hub's names: its bind address, {@code localhost}
 * on loopback, its own addresses when it listens on all of them, and the hosts of {@code
 * web.publicUrls}. An attacker cannot make a browser send those for a page of theirs.
 *
 * <p>Pure: built once at start from what the server knows, then asked per request.
 */
final class OwnNames {
  /** host[:port] values accepted in Host, lower case; a default port may be left out. */
  private final Set<String> hosts = new HashSet<>();
  /** scheme://host[:port] values that are the hub's own origins. */
  private final Set<String> origins = new HashSet<>();
  private final Set<String> allowedOrigins;

  /**
   * @param names host names and IP literals of this server (IPv6 in brackets), any case
   * @param scheme http or https, as the server itself listens
   * @param port the port it listens on
   * @param publicUrls URLs browsers use through a proxy or a DNS name
   * @param allowedOrigins other origins an operator trusts to send changes and open the bridge
   */
  OwnNames(Set<String> names, String scheme, int port, List<URI> publicUrls, List<String> allowedOrigins) {
    for (String n : names) add(scheme, n.toLowerCase(Locale.ROOT), port);
    for (URI u : publicUrls) {
      String host = u.getHost() == null ? u.getAuthority() : u.getHost();
      // An address as the browser writes it ([2001:db8::6], not [2001:DB8:0:0:0:0:0:6]).
      java.net.InetAddress literal = io.ifpulse.config.Cidr.literal(host);
      if (literal != null) host = text(literal);
      add(u.getScheme(), host.toLowerCase(Locale.ROOT), u.getPort() > 0 ? u.getPort() : defaultPort(u.getScheme()));
    }
    this.allowedOrigins = Set.copyOf(allowedOrigins);
  }

  private void add(String scheme, String host, int port) {
    hosts.add(host + ":" + port);
    origins.add(scheme + "://" + host + ":" + port);
    if (port == defaultPort(scheme)) {
      hosts.add(host);
      origins.add(scheme + "://" + host);
    }
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  /** Whether a Host header value (host[:port]) names this hub. */
  boolean hostAllowed(String host) {
    return host != null && hosts.contains(host.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether a request from a page of this origin may change things or open the bridge: one of
   * the hub's own origins, or one the operator listed.
   */
  boolean originAllowed(String origin) {
    if (origin == null) return false;
    return allowedOrigins.contains(origin) || origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /**
   * An address as a browser writes it in Host: IPv4 dotted, IPv6 in brackets in the short form of
   * RFC 5952 ({@code [::1]}, not Java's {@code 0:0:0:0:0:0:0:1}), without a zone.
   */
  static String text(java.net.InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) return a.getHostAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    int bestStart = -1;
    int bestLen = 1; // a single zero group is not shortened
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 1 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.append(']').toString();
  }

  /** For the log at start. */
  Set<String> hosts() {
    return Set.copyOf(hosts);
  }
}
