package io.ifpulse.web;

import io.ifpulse.auth.Account;
import io.ifpulse.auth.Accounts;
import io.ifpulse.auth.Role;
import io.ifpulse.web.Refusals.Reason;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;

/**
 * Who a request comes from, and whether that account may do what it asks.
 *
 * <p>{@link #authenticate} resolves the account, in this order: an open hub answers everyone as
 * {@link Account#OPEN}; an {@code Authorization: Bearer} token is looked up by its hash; else the
 * session's user (restored by Vert.x's SessionHandler) is looked up in the users file as it is
 * now, so a user removed or with a new password loses their sessions at the next request.
 * Nothing found: 401. The account is then kept in the routing context for the handlers and the
 * bridge.
 *
 * <p>Roles are checked at each route ({@link #require}); device limits by the handlers, which
 * answer 404 for a device outside the account's devices, never 403, so ids do not leak.
 */
final class AccessControl {
  static final String ACCOUNT = "ifpulse.account";
  /** The password hash's stamp the session was signed in with; a new password ends old sessions. */
  static final String STAMP = "stamp";

  private final Accounts accounts;
  private final Refusals refusals;

  AccessControl(Accounts accounts, Refusals refusals) {
    this.accounts = accounts;
    this.refusals = refusals;
  }

  static Account account(RoutingContext ctx) {
    return ctx.get(ACCOUNT);
  }

  /** The account of the request, or null; never answers the request. */
  Account resolve(RoutingContext ctx) {
    if (accounts.open()) return Account.OPEN;
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return accounts.bearer(authorization.substring(7).trim());
    }
    User user = ctx.user();
    if (user == null) return null;
    String name = user.principal().getString("username");
    Account a = accounts.user(name);
    if (a == null || !accounts.stamp(name).equals(user.principal().getString(STAMP))) {
      // Removed, or the password changed since this session signed in: the session ends here.
      Session s = ctx.session();
      if (s != null) s.destroy();
      ctx.userContext().clear();
      return null;
    }
    return a;
  }

  /** Requires an account; 401 without one. */
  Handler<RoutingContext> authenticate() {
    return ctx -> {
      Account a = resolve(ctx);
      if (a == null) {
        refusals.count(Reason.UNAUTHENTICATED);
        ctx.response().setStatusCode(401).putHeader("content-type", "application/json")
            .putHeader("WWW-Authenticate", "Bearer realm=\"ifpulse\"")
            .end(new JsonObject().put("error", "sign in first (the dashboard's sign-in page), or send a bearer token").encode());
        return;
      }
      ctx.put(ACCOUNT, a);
      ctx.next();
    };
  }

  /** Requires at least {@code role} of the account {@link #authenticate} found; 403 otherwise. */
  Handler<RoutingContext> require(Role role) {
    return ctx -> {
      Account a = account(ctx);
      if (a == null || !a.may(role)) {
        refusals.count(Reason.FORBIDDEN);
        ctx.response().setStatusCode(403).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", "this needs the " + role.word() + " role").encode());
        return;
      }
      ctx.next();
    };
  }
}
