package io.ifpulse.web;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every request, frame or sign-in the web side refused, by reason, for {@code /metrics}: an
 * attack shows up as a count an operator can alert on, not only as lines in a log.
 */
final class Refusals {
  /** Why something from outside was refused. */
  enum Reason {
    /** HTTP: a Host that is not one of the hub's names (DNS rebinding). */
    HOST(Where.HTTP),
    /** HTTP: a change or a bridge socket from a page of a foreign origin, or a session cookie without Origin. */
    ORIGIN(Where.HTTP),
    /** HTTP: a change whose body is not application/json (the CORS "simple request" kinds). */
    CONTENT_TYPE(Where.HTTP),
    /** HTTP: no session and no valid token. */
    UNAUTHENTICATED(Where.HTTP),
    /** HTTP: signed in, but the role does not allow it, or the device is outside the account's devices. */
    FORBIDDEN(Where.HTTP),
    /** HTTP: a body or frame over the size limit. */
    TOO_LARGE(Where.HTTP),
    /** HTTP: a summary search whose text is empty, too long or holds control characters. */
    BAD_QUERY(Where.HTTP),
    /** Sign-in: a wrong user name or password. */
    WRONG_PASSWORD(Where.SIGN_IN),
    /** Sign-in: refused unchecked while the source's or user's bucket is empty. */
    THROTTLED(Where.SIGN_IN),
    /** Sign-in: too many password checks waiting already. */
    BUSY(Where.SIGN_IN),
    /** Bridge: a REGISTER for a device that does not exist or that the account may not see. */
    DEVICE(Where.BRIDGE),
    /** Bridge: a REGISTER for a group that does not exist or that names a device the account may not see. */
    GROUP(Where.BRIDGE),
    /** Bridge: a REGISTER past web.maxHandlersPerSocket. */
    REGISTRATIONS(Where.BRIDGE),
    /** Bridge: a REGISTER of an address the socket has registered already, or of one too long. */
    BAD_REGISTER(Where.BRIDGE),
    /** Bridge: a socket past web.maxSocketsPerUser. */
    USER_SOCKETS(Where.BRIDGE),
    /** Bridge: a socket past web.maxSockets. */
    NODE_SOCKETS(Where.BRIDGE),
    /** Bridge: a watch past web.watchesPerSecond, or for a device the account may not see. */
    WATCH(Where.BRIDGE),
    /** Bridge: a socket closed after pings stopped. */
    IDLE(Where.BRIDGE),
    /** Bridge: a socket closed because its session ended (sign-out, expiry, user removed). */
    SESSION_ENDED(Where.BRIDGE);

    final Where where;

    Reason(Where where) {
      this.where = where;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  enum Where {
    HTTP,
    SIGN_IN,
    BRIDGE
  }

  private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

  Refusals() {
    for (Reason r : Reason.values()) counts.put(r, new LongAdder());
  }

  void count(Reason r) {
    counts.get(r).increment();
  }

  long get(Reason r) {
    return counts.get(r).sum();
  }
}
