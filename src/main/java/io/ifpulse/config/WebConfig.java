package io.ifpulse.config;

import java.net.URI;
import java.util.List;

/**
 * The HTTP side: REST, static dashboard and the SockJS event-bus bridge.
 *
 * @param host the address the server binds (also one of the names it answers to)
 * @param allowedOrigins origins (scheme://host:port) allowed to open the bridge and change devices
 *     besides the hub's own
 * @param publicUrls the URLs browsers use when the hub sits behind a proxy or a DNS name: their
 *     host names are accepted in {@code Host} and their origins as the hub's own
 * @param trustedProxies addresses (or CIDR blocks) whose {@code X-Forwarded-*} headers are
 *     believed; from anyone else those headers are ignored
 * @param tls certificate and key for HTTPS, or null for plain HTTP
 * @param maxHandlersPerSocket addresses one browser may register at once
 * @param maxFrameBytes largest SockJS frame a browser may send
 * @param maxSockets bridge sockets this node holds at once
 * @param maxSocketsPerUser bridge sockets one signed-in user or token holds at once
 * @param watchesPerSecond watch declarations one socket may send per second (a burst of ten times
 *     that is allowed)
 * @param idleTimeoutS an HTTP connection with no traffic either way for this long is closed
 */
public record WebConfig(boolean enabled, String host, int port, List<String> allowedOrigins, List<URI> publicUrls,
    List<Cidr> trustedProxies, Tls tls, AuthConfig auth, int maxHandlersPerSocket, int maxFrameBytes, int maxSockets,
    int maxSocketsPerUser, double watchesPerSecond, int idleTimeoutS) {

  /** PEM files of the server's certificate (chain) and private key. */
  public record Tls(String certFile, String keyFile) {}

  /**
   * Sign-in. {@code mode} {@code users} (the default) asks for a user or token once {@code
   * usersFile} exists, and requires it unless the hub listens on loopback only; {@code none}
   * turns sign-in off for a hub that something else protects.
   */
  public record AuthConfig(Mode mode, String usersFile, int sessionIdleMinutes, RateLimit signInPerSource,
      RateLimit signInPerUser) {
    public enum Mode {
      USERS,
      NONE
    }
  }

  /** A token bucket: {@code burst} at once, refilled at {@code perMinute}. */
  public record RateLimit(int burst, double perMinute) {}

  /** True when the server listens on loopback only, where only this machine can reach it. */
  public boolean loopback() {
    return isLoopback(host);
  }

  public static boolean isLoopback(String host) {
    if ("localhost".equalsIgnoreCase(host) || "::1".equals(host) || "[::1]".equals(host)) return true;
    return host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  public String scheme() {
    return tls != null ? "https" : "http";
  }
}
