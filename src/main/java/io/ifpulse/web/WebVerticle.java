package io.ifpulse.web;

import io.ifpulse.auth.Accounts;
import io.ifpulse.auth.SignInThrottle;
import io.ifpulse.config.WebConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.registry.DeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The hub's HTTP face: the dashboard's static files, the REST API ({@link RestApi}), sign-in
 * ({@link SignIn}), Prometheus metrics and the SockJS event-bus bridge at {@code /eventbus}
 * ({@link BridgeSockets}). Runs on the separate "web" Vert.x (see {@link BrowserFanout} for why);
 * talks to the hub's bus only through the fan-out and a few requests.
 *
 * <p>Every request passes {@link RequestGuard} (Host, Origin, content type) first; everything but
 * the static files, {@code /ready} and {@code /api/session} then needs an account ({@link
 * AccessControl}), which on an open hub is everyone's.
 */
public final class WebVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(WebVerticle.class.getName());
  static final String SESSION_COOKIE = "ifpulse-session";
  private static final long ACCOUNTS_RELOAD_MS = 2_000;
  // Pinned in pom.xml; the dashboard loads them from these paths.
  private static final String UPLOT_DIST = "META-INF/resources/webjars/uplot/1.6.30/dist";
  private static final String SOCKJS_DIST = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";

  private final Vertx hub;
  private final WebConfig config;
  private final DeviceRegistry registry;
  private final Accounts accounts;
  private final String webroot;
  private final Refusals refusals = new Refusals();
  private Supplier<JsonObject> clusterView;
  private io.ifpulse.cluster.ClusterRejections clusterRejections;
  private Function<Vertx, SessionStore> sessionStores = LocalSessionStore::create;
  private volatile OwnNames names;
  private io.ifpulse.summary.SummaryCost summaryCost = new io.ifpulse.summary.SummaryCost();
  private BrowserFanout fanout;
  private BridgeSockets bridge;
  private HttpServer server;

  public WebVerticle(Vertx hub, WebConfig config, DeviceRegistry registry, Accounts accounts, String webroot) {
    this.hub = hub;
    this.config = config;
    this.registry = registry;
    this.accounts = accounts;
    this.webroot = webroot;
  }

  /** In a cluster: what /api/cluster shows about members and owners. */
  /** The interface groups (config and REST): listed and changed over REST, on the bridge, cut to each account. */
  public WebVerticle withGroups(io.ifpulse.registry.GroupRegistry groups) {
    this.groupRegistry = groups;
    return this;
  }

  private io.ifpulse.registry.GroupRegistry groupRegistry = io.ifpulse.registry.GroupRegistry.fixed(java.util.List.of());

  public WebVerticle withClusterView(Supplier<JsonObject> view) {
    this.clusterView = view;
    return this;
  }

  /** In a cluster: the shared-map entries this node refused, for /metrics. */
  public WebVerticle withClusterRejections(io.ifpulse.cluster.ClusterRejections rejections) {
    this.clusterRejections = rejections;
    return this;
  }

  /** The notification receiver's outcomes on this node (outcome → count), for /metrics. */
  public WebVerticle withTrapOutcomes(Supplier<Map<String, Long>> outcomes) {
    this.trapOutcomes = outcomes;
    return this;
  }

  private Supplier<Map<String, Long>> trapOutcomes = Map::of;

  /** Exceptions no handler caught, per Vert.x instance ("hub", "web"), for /metrics. */
  public WebVerticle withUnhandledExceptions(Supplier<Map<String, Long>> counts) {
    this.unhandled = counts;
    return this;
  }

  private Supplier<Map<String, Long>> unhandled = Map::of;

  /** In a cluster: sessions every web node shares, so a browser that fails over stays signed in. */
  public WebVerticle withSessionStore(Function<Vertx, SessionStore> stores) {
    this.sessionStores = stores;
    return this;
  }

  /** Where the summary's CPU is counted: the history's building and this side's delivery, for /metrics. */
  public WebVerticle withSummaryCost(io.ifpulse.summary.SummaryCost cost) {
    this.summaryCost = cost;
    return this;
  }

  /** The port the server listens on (the configured one, or the one picked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      accounts.reload();
      return ownAddresses(config.host());
    }).compose(this::listen);
  }

  private Future<HttpServer> listen(Set<String> hostNames) {
    // Only what browsers register for crosses to this side; the history lives on the hub.
    fanout = new BrowserFanout(hub, vertx);
    SessionStore store = sessionStores.apply(vertx);
    GroupAccess groupAccess = new GroupAccess(registry, groupRegistry);
    bridge = new BridgeSockets(hub, config, registry, accounts, refusals, fanout).withSessions(store).withSummaryCost(summaryCost)
        .withGroups(groupAccess);
    boolean secureCookie = config.tls() != null || config.publicUrls().stream().anyMatch(u -> "https".equals(u.getScheme()));
    SessionHandler sessions = SessionHandler.create(store)
        .setSessionCookieName(SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.STRICT)
        .setCookieSecureFlag(secureCookie)
        .setLazySession(true) // a request without a signed-in user stores nothing
        .setSessionTimeout(config.auth().sessionIdleMinutes() * 60_000L)
        .setMinLength(32);
    AccessControl access = new AccessControl(accounts, refusals);
    SignInThrottle throttle = new SignInThrottle(
        new SignInThrottle.Limits(config.auth().signInPerSource().burst(), config.auth().signInPerSource().perMinute()),
        new SignInThrottle.Limits(config.auth().signInPerUser().burst(), config.auth().signInPerUser().perMinute()),
        10_000, System::nanoTime);
    SignIn signIn = new SignIn(vertx, accounts, throttle, sessions, refusals, bridge::sessionEnded);
    RestApi rest = new RestApi(hub, registry, clusterView, this::bridgeFigures, refusals, summaryCost)
        .withClusterRejections(clusterRejections == null ? Map::of : clusterRejections::snapshot)
        .withTrapOutcomes(trapOutcomes).withUnhandledExceptions(unhandled).withGroups(groupAccess);

    Router router = Router.router(vertx);
    // A body over its route's limit: the body handler fails the request with 413. Answered and
    // counted here; with no handler for it Vert.x writes a log line for every such request.
    router.errorHandler(413, ctx -> {
      refusals.count(Refusals.Reason.TOO_LARGE);
      if (!ctx.response().ended() && !ctx.response().closed()) RestApi.error(ctx, 413, "request body too large");
    });
    router.route().handler(new RequestGuard(this::names, config.trustedProxies(), config.tls() != null, SESSION_COOKIE, refusals));
    for (String path : new String[] {"/api/*", "/metrics", "/health", "/eventbus/*"}) router.route(path).handler(sessions);
    signIn.mount(router, access);
    for (String path : new String[] {"/api/*", "/metrics", "/health", "/eventbus/*"}) router.route(path).handler(access.authenticate());

    SockJSHandlerOptions sockOptions = new SockJSHandlerOptions()
        .setLibraryURL("/vendor/sockjs/sockjs.min.js")
        .setRegisterWriteHandler(false)
        .setMaxBytesStreaming(128 * 1024);
    router.route("/eventbus/*").handler(this::frameSize);
    // SockJS's HTTP transports (xhr_send, the fallback where a proxy blocks WebSockets) read their
    // frames from the request body, which Vert.x leaves unread without a BodyHandler: every frame
    // sent that way failed. Bounded like a WebSocket frame, with no file uploads.
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(config.maxFrameBytes()));
    router.route("/eventbus/*")
        .subRouter(SockJSHandler.create(vertx, sockOptions).bridge(BridgePolicy.options(config.maxHandlersPerSocket()), bridge));
    // The bridge delivers accepted interest declarations here; BridgeSockets already acted on them.
    vertx.eventBus().localConsumer(Addresses.BROWSER_SENDS, m -> {});

    rest.mount(router, context, access);
    router.get("/ready").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("ready", true).encode()));
    router.get("/vendor/uplot/*").handler(StaticHandler.create(UPLOT_DIST).setCachingEnabled(true));
    router.get("/vendor/sockjs/*").handler(StaticHandler.create(SOCKJS_DIST).setCachingEnabled(true));
    router.get("/*").handler(StaticHandler.create(webroot).setIndexPage("index.html").setCachingEnabled(false));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setIdleTimeout(config.idleTimeoutS())
        .setMaxWebSocketFrameSize(config.maxFrameBytes())
        .setMaxWebSocketMessageSize(config.maxFrameBytes());
    if (config.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tls().certFile()).setKeyPath(config.tls().keyFile()));
    }
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> {
      server = s;
      names = new OwnNames(hostNames, config.scheme(), s.actualPort(), config.publicUrls(), config.allowedOrigins());
      vertx.setPeriodic(ACCOUNTS_RELOAD_MS, t -> vertx.executeBlocking(accounts::reload, false));
      vertx.setPeriodic(BridgeSockets.CHECK_MS, t -> bridge.check());
      String where = config.scheme() + "://" + config.host() + ":" + s.actualPort() + "/";
      LOG.info("dashboard on " + where + ", answering to " + new java.util.TreeSet<>(names.hosts()));
      if (accounts.disabled()) {
        LOG.warning("web.auth.mode = none: no sign-in; anyone who reaches " + where + " can read everything and change the device"
            + " list. Keep it behind something that asks who they are.");
      } else if (accounts.open()) {
        LOG.info("no users file (" + accounts.file() + "): the dashboard and API are open to anyone on this machine, on loopback"
            + " only. scripts/run.sh --add-user NAME --role operator turns sign-in on.");
      }
    });
  }

  private OwnNames names() {
    return names;
  }

  /** SockJS's HTTP transports carry frames as request bodies: bound them like WebSocket frames. */
  private void frameSize(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length) > config.maxFrameBytes()) {
          refusals.count(Refusals.Reason.TOO_LARGE);
          ctx.response().setStatusCode(413).end("frame too large");
          return;
        }
      } catch (NumberFormatException e) {
        ctx.response().setStatusCode(400).end();
        return;
      }
    }
    ctx.next();
  }

  /**
   * The names of the bind address: itself, localhost on loopback, and every address of this
   * machine when it listens on all of them. Names behind a proxy or in DNS come from
   * web.publicUrls; none is looked up here.
   */
  static Set<String> ownAddresses(String bind) throws SocketException {
    Set<String> out = new LinkedHashSet<>();
    String b = bind.startsWith("[") ? bind.substring(1, bind.length() - 1) : bind;
    boolean any = "0.0.0.0".equals(b) || "::".equals(b) || "0:0:0:0:0:0:0:0".equals(b);
    out.add("localhost");
    if (!any) {
      InetAddress literal = io.ifpulse.config.Cidr.literal(b);
      out.add(literal != null ? OwnNames.text(literal) : b);
      if (WebConfig.isLoopback(b)) {
        out.add("127.0.0.1");
        out.add("[::1]");
      }
      return out;
    }
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(ni.getInetAddresses())) out.add(OwnNames.text(a));
    }
    return out;
  }

  private JsonObject bridgeFigures() {
    return new JsonObject().put("clients", bridge.clients()).put("dropped", bridge.dropped()).put("delivered", bridge.delivered())
        .put("hubSubscriptions", fanout.hubSubscriptions()).put("summaryScopes", bridge.summaryScopes());
  }

  // ---- figures for tests

  long droppedMessages() {
    return bridge.dropped();
  }

  int bridgeClients() {
    return bridge.clients();
  }

  int hubSubscriptions() {
    return fanout.hubSubscriptions();
  }
}
