package io.ifpulse.snmp;

import io.ifpulse.config.Cidr;
import io.ifpulse.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an agent's host name into an address without blocking anyone: through Vert.x's own
 * asynchronous resolver (Netty's DNS client, reading the hosts file and resolv.conf), never
 * {@code InetAddress.getByName}, whose lookup holds a thread for as long as the name server takes
 * and whose answers the JDK caches for the life of the process. A name that does not resolve is
 * {@link UnresolvedName}: the state of that one device, never a failure of anything else.
 *
 * <p>{@value #ENV} names the DNS servers to ask ({@code host:port}, comma-separated) instead of
 * those of /etc/resolv.conf: for a hub whose agents are named in a DNS of their own, and for tests,
 * which answer names from a server of their own on loopback.
 */
public final class AgentNames {
  public static final String ENV = "IFPULSE_DNS_SERVERS";

  /** A host name that did not resolve (no such name, no answer from the DNS). */
  public static final class UnresolvedName extends RuntimeException {
    UnresolvedName(String host, Throwable why) {
      super(host + ": " + (why == null || why.getMessage() == null ? "does not resolve" : why.getMessage()), null, false, false);
    }
  }

  private AgentNames() {}

  /** The options with the DNS servers the environment names; a malformed list is a ConfigException. */
  public static VertxOptions apply(VertxOptions options, Map<String, String> env) {
    List<String> servers = servers(env);
    if (servers.isEmpty()) return options;
    // Answers are cached for their TTL, a failure not at all: the device asks again on its own
    // schedule, and a name that appears in the DNS is polled at the next try.
    return options.setAddressResolverOptions(new AddressResolverOptions().setServers(servers).setCacheNegativeTimeToLive(0));
  }

  /** The servers of {@value #ENV}, each checked as host:port with a literal address. */
  public static List<String> servers(Map<String, String> env) {
    String v = env.getOrDefault(ENV, "").trim();
    List<String> out = new ArrayList<>();
    if (v.isEmpty()) return out;
    for (String s : v.split(",")) {
      String t = s.trim();
      String host = t;
      String portText = "53";
      int close = t.indexOf(']');
      if (t.startsWith("[") && close > 0) {
        host = t.substring(1, close);
        if (t.length() > close + 1) portText = t.startsWith(":", close + 1) ? t.substring(close + 2) : "x";
      } else if (t.indexOf(':') == t.lastIndexOf(':') && t.indexOf(':') > 0) {
        host = t.substring(0, t.indexOf(':'));
        portText = t.substring(t.indexOf(':') + 1);
      }
      int port;
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (Cidr.literal(host) == null || port < 1 || port > 65535) {
        throw new ConfigException(ENV, v, "must be DNS servers as address:port (literal addresses), comma-separated");
      }
      if (host.indexOf(':') >= 0) host = "[" + host + "]";
      out.add(host + ":" + port);
    }
    return out;
  }

  /** The address of {@code host}: at once for a literal, else asked of the resolver. */
  public static Future<InetAddress> resolve(Vertx vertx, String host) {
    InetAddress literal = Cidr.literal(host);
    if (literal != null) return Future.succeededFuture(literal);
    // Vert.x's resolver has no public face in 5.0 beyond its clients: the internal one is what its
    // own HTTP and TCP clients use, with the options above.
    return ((VertxInternal) vertx).nameResolver().resolve(host)
        .recover(e -> Future.failedFuture(new UnresolvedName(host, e)));
  }

  /** Whether {@code host} is a name (to look up again now and then), not a literal address. */
  public static boolean isName(String host) {
    return Cidr.literal(host) == null;
  }
}
