package io.ifpulse;

import io.ifpulse.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The Netty transport under the hub's Vert.x instances: Linux's native epoll by default, Java's
 * NIO with {@code IFPULSE_TRANSPORT=nio}.
 *
 * <p>Why native: the hub's event loop sleeps until the next poll slot and is woken by the SNMP
 * receive thread for every reply. On NIO a timer is only as fine as a millisecond, so the loop
 * spins through empty selects for the last half millisecond before each slot, and a wake-up from
 * another thread costs two rounds through the selector (Netty wakes its own selector again in case
 * it missed one). On a virtual machine those system calls were a large share of the hub's CPU
 * while polling 20 devices (docs/BENCHMARKS.md, "Native transport"). Epoll waits with a
 * nanosecond timeout (epoll_pwait2), and a hand-off wakes the loop once. NIO stays available for
 * comparison and as the fallback where the native library cannot load (another CPU or OS): then
 * the hub logs why and goes on.
 *
 * <p>{@link Main#main} checks the variable itself to exit with 2 and a message naming it;
 * {@link Main#start} checks it again first for callers that start a hub in-process.
 */
public final class IoTransport {
  public static final String ENV = "IFPULSE_TRANSPORT";
  private static final Logger LOG = Logger.getLogger(IoTransport.class.getName());

  private IoTransport() {}

  /** Whether the environment asks for the native transport; a value other than native or nio is an error. */
  public static boolean preferNative(Map<String, String> env) {
    String v = env.getOrDefault(ENV, "native");
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "native", "" -> true;
      case "nio" -> false;
      default -> throw new ConfigException(ENV, v, "must be native or nio");
    };
  }

  /** The options with the transport the environment asks for. */
  public static VertxOptions apply(VertxOptions options, Map<String, String> env) {
    return options.setPreferNativeTransport(preferNative(env));
  }

  /** Logs what a Vert.x instance runs on; a warning when native was asked for and not loaded. */
  public static void report(String what, Vertx vertx, Map<String, String> env) {
    if (vertx.isNativeTransportEnabled()) {
      LOG.info(what + ": event loops on native epoll");
    } else if (preferNative(env)) {
      Throwable why = vertx.unavailableNativeTransportCause();
      LOG.warning(what + ": native transport not available, event loops on NIO"
          + (why != null ? " (" + why + ")" : ""));
    } else {
      LOG.info(what + ": event loops on NIO (" + ENV + "=nio)");
    }
  }
}
