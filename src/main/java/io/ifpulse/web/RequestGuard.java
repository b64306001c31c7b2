package io.ifpulse.web;

import io.ifpulse.config.Cidr;
import io.ifpulse.web.Refusals.Reason;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The first handler of every request, whatever the auth mode: DNS rebinding and CSRF defences
 * and the security headers.
 *
 * <ul>
 *   <li>{@code Host} must be one of the hub's names ({@link OwnNames}), else 421.
 *   <li>An {@code Origin}, when sent, must be the hub's own or listed in {@code
 *       web.allowedOrigins}, else 403: that covers the bridge's WebSocket and every cross-site
 *       fetch.
 *   <li>A change (any method but GET, HEAD, OPTIONS) outside the bridge must be {@code
 *       application/json}, so none of the CORS "simple request" bodies (text/plain, forms,
 *       multipart) that a foreign page can send without a preflight is accepted (415). A change that
 *       carries the session cookie must carry an Origin too: browsers always send one with such
 *       requests, so a cookie without it is not a page of ours. A request with neither cookie nor
 *       Origin is not from a browser at all (a script with a token, or any client of an open hub),
 *       which CSRF cannot forge.
 * </ul>
 *
 * The bridge's own transports post {@code text/plain} (SockJS); they are guarded by the Origin
 * check above and by their unguessable session ids.
 */
final class RequestGuard implements Handler<RoutingContext> {
  static final String FORWARDED = "ifpulse.forwarded";

  private final java.util.function.Supplier<OwnNames> names;
  private final List<Cidr> trustedProxies;
  private final boolean tls;
  private final String sessionCookie;
  private final Refusals refusals;

  RequestGuard(java.util.function.Supplier<OwnNames> names, List<Cidr> trustedProxies, boolean tls, String sessionCookie, Refusals refusals) {
    this.names = names;
    this.trustedProxies = trustedProxies;
    this.tls = tls;
    this.sessionCookie = sessionCookie;
    this.refusals = refusals;
  }

  static Forwarded forwarded(RoutingContext ctx) {
    return ctx.get(FORWARDED);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest r = ctx.request();
    // Host of HTTP/1.1, :authority of HTTP/2 (Java's HttpClient upgrades to it).
    io.vertx.core.net.HostAndPort authority = r.authority();
    Forwarded f = Forwarded.of(r.remoteAddress() == null ? null : r.remoteAddress().hostAddress(),
        authority == null ? null : authority.toString(), tls,
        r.getHeader("X-Forwarded-Host"), r.getHeader("X-Forwarded-Proto"), r.getHeader("X-Forwarded-For"), trustedProxies);
    ctx.put(FORWARDED, f);
    headers(ctx);
    OwnNames names = this.names.get();
    if (names == null) { // between listen and the first request: the port is not known yet
      ctx.response().setStatusCode(503).end();
      return;
    }
    if (!names.hostAllowed(f.host())) {
      refuse(ctx, 421, Reason.HOST, "Host " + quoted(f.host()) + " is not a name of this hub; add the URL you use to web.publicUrls");
      return;
    }
    String origin = r.getHeader("Origin");
    if (origin != null && !names.originAllowed(origin)) {
      refuse(ctx, 403, Reason.ORIGIN, "origin " + quoted(origin) + " is not allowed; add it to web.allowedOrigins if you trust it");
      return;
    }
    HttpMethod m = r.method();
    boolean change = m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS;
    if (change && !ctx.normalizedPath().startsWith("/eventbus/")) {
      if (origin == null && r.getCookie(sessionCookie) != null) {
        refuse(ctx, 403, Reason.ORIGIN, "a change with a session cookie must come with an Origin header");
        return;
      }
      if ((m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH) && !json(r.getHeader("Content-Type"))) {
        refuse(ctx, 415, Reason.CONTENT_TYPE, "the body must be application/json");
        return;
      }
    }
    ctx.next();
  }

  private void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'");
    // Browsers keep to HTTPS for a year once they saw this over HTTPS (never sent over plain HTTP).
    if (tls) ctx.response().putHeader("Strict-Transport-Security", "max-age=31536000");
  }

  static boolean json(String contentType) {
    if (contentType == null) return false;
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  private void refuse(RoutingContext ctx, int status, Reason reason, String message) {
    refusals.count(reason);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  /** A header value in a message, cut short: it comes from the client. */
  private static String quoted(String s) {
    if (s == null) return "(missing)";
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "\"" + t.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
  }
}
