package io.ifpulse.web;

import io.ifpulse.auth.Account;
import io.ifpulse.auth.Accounts;
import io.ifpulse.auth.SignInThrottle;
import io.ifpulse.web.Refusals.Reason;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * {@code /api/session}: who am I ({@code GET}), sign in ({@code POST {"user","password"}}),
 * sign out ({@code DELETE}).
 *
 * <p>A sign-in is throttled before its password is checked ({@link SignInThrottle}: per source and
 * per user), and the check, a bcrypt of a few hundred milliseconds, runs on one worker thread
 * with a short queue: a flood of guesses is refused at once and costs at most one core, never an
 * event loop. A good password gets a new session id (no fixation) holding only the user's name
 * and the stamp of their password hash.
 */
final class SignIn {
  private static final Logger LOG = Logger.getLogger(SignIn.class.getName());
  /** Password checks waiting at most; more are refused with 503 rather than queued without end. */
  private static final int MAX_WAITING = 16;

  private final Accounts accounts;
  private final SignInThrottle throttle;
  private final SessionHandler sessions;
  private final Refusals refusals;
  private final Consumer<String> sessionEnded;
  private final WorkerExecutor checker;
  private final AtomicInteger waiting = new AtomicInteger();

  SignIn(Vertx vertx, Accounts accounts, SignInThrottle throttle, SessionHandler sessions, Refusals refusals,
      Consumer<String> sessionEnded) {
    this.accounts = accounts;
    this.throttle = throttle;
    this.sessions = sessions;
    this.refusals = refusals;
    this.sessionEnded = sessionEnded;
    this.checker = vertx.createSharedWorkerExecutor("ifpulse-sign-in", 1);
  }

  void mount(Router router, AccessControl access) {
    router.get("/api/session").handler(ctx -> whoAmI(ctx, access.resolve(ctx)));
    router.post("/api/session").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::signIn);
    router.delete("/api/session").handler(this::signOut);
  }

  private void whoAmI(RoutingContext ctx, Account a) {
    JsonObject j = new JsonObject().put("mode", accounts.open() ? "open" : "users");
    if (a == null) {
      j.putNull("user");
    } else {
      j.put("user", a.kind() == Account.Kind.OPEN ? null : a.name()).put("kind", a.kind().name().toLowerCase(java.util.Locale.ROOT))
          .put("role", a.role().word()).put("devices", new JsonArray(a.scope().patterns())).put("tags", new JsonArray(a.scope().tags()));
    }
    ctx.response().putHeader("content-type", "application/json").putHeader("Cache-Control", "no-store").end(j.encode());
  }

  private void signIn(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null || !(body.getValue("user") instanceof String user) || !(body.getValue("password") instanceof String password)
        || user.length() > 64 || password.length() > 1024) {
      answer(ctx, 400, "the body must be {\"user\": ..., \"password\": ...}");
      return;
    }
    if (accounts.open()) {
      answer(ctx, 409, "this hub has no users file: nobody needs to sign in");
      return;
    }
    String source = RequestGuard.forwarded(ctx).client();
    SignInThrottle.Decision d = throttle.acquire(source, user);
    if (!d.allowed()) {
      refusals.count(Reason.THROTTLED);
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, (d.retryAfterMillis() + 999) / 1000)));
      answer(ctx, 429, "too many failed sign-ins from this " + d.limitedBy() + "; try again later");
      return;
    }
    if (waiting.incrementAndGet() > MAX_WAITING) {
      waiting.decrementAndGet();
      throttle.refund(source, user);
      refusals.count(Reason.BUSY);
      answer(ctx, 503, "too many sign-ins at once; try again in a moment");
      return;
    }
    checker.executeBlocking(() -> accounts.signIn(user, password), false).onComplete(ar -> {
      waiting.decrementAndGet();
      Account a = ar.succeeded() ? ar.result() : null;
      if (a == null) {
        refusals.count(Reason.WRONG_PASSWORD);
        answer(ctx, 401, "wrong user name or password");
        return;
      }
      throttle.refund(source, user);
      Session s = ctx.session();
      if (s == null) {
        answer(ctx, 500, "no session store");
        return;
      }
      s.regenerateId();
      User u = User.create(new JsonObject().put("username", a.name()).put(AccessControl.STAMP, accounts.stamp(a.name())));
      sessions.setUser(ctx, u).onComplete(stored -> {
        if (stored.failed()) {
          answer(ctx, 503, "cannot store the session: " + stored.cause().getMessage());
          return;
        }
        LOG.info(a.label() + " signed in from " + source);
        whoAmI(ctx, a);
      });
    });
  }

  private void signOut(RoutingContext ctx) {
    Session s = ctx.session();
    Account a = ctx.user() == null ? null : accounts.user(ctx.user().principal().getString("username"));
    if (s != null) {
      String id = s.id();
      ctx.userContext().clear();
      sessionEnded.accept(id);
      if (a != null) LOG.info(a.label() + " signed out");
    }
    ctx.response().setStatusCode(204).end();
  }

  private static void answer(RoutingContext ctx, int status, String error) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(new JsonObject().put("error", error).encode());
  }
}
