package io.ifpulse.web;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.WebConfig;
import io.ifpulse.registry.DeviceRegistry;
import io.vertx.ext.web.handler.BodyHandler;
import io.ifpulse.history.HistoryVerticle;
import io.ifpulse.poll.PollerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The hub's HTTP face: the dashboard's static files, the REST API, Prometheus metrics and the
 * SockJS event-bus bridge at {@code /eventbus}. Runs on the separate "web" Vert.x (see {@link
 * BrowserFanout} for why); talks to the hub's bus only through the fan-out and a few requests.
 *
 * <p>Per browser socket it tracks the addresses registered (to hold hub subscriptions), the devices
 * it declared it watches (released when the socket closes, so the device drops back to its base
 * interval at once), and the messages dropped because its write queue was full: a slow browser
 * loses its own messages and never delays anyone else's.
 */
public final class WebVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(WebVerticle.class.getName());
  static final long INTEREST_TTL_MS = 15_000;
  // Pinned in pom.xml; the dashboard loads them from these paths.
  private static final String UPLOT_DIST = "META-INF/resources/webjars/uplot/1.6.30/dist";
  private static final String SOCKJS_DIST = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";

  private final Vertx hub;
  private final WebConfig config;
  private final DeviceRegistry registry;
  private final String webroot;
  private final String nodeTag = UUID.randomUUID().toString().substring(0, 8);
  private final Map<SockJSSocket, Client> clients = new IdentityHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final EnvelopeEncoder envelopes = new EnvelopeEncoder();
  private BrowserFanout fanout;
  private HttpServer server;
  private long nextClientId;

  private static final class Client {
    final String watcherId;
    final Map<String, Integer> registrations = new HashMap<>();
    final Set<String> watching = new HashSet<>();
    long dropped;

    Client(String watcherId) {
      this.watcherId = watcherId;
    }
  }

  public WebVerticle(Vertx hub, WebConfig config, DeviceRegistry registry, String webroot) {
    this.hub = hub;
    this.config = config;
    this.registry = registry;
    this.webroot = webroot;
  }

  private java.util.function.Supplier<JsonObject> clusterView;

  /** In a cluster: what /api/cluster shows about members and owners. */
  public WebVerticle withClusterView(java.util.function.Supplier<JsonObject> view) {
    this.clusterView = view;
    return this;
  }

  /** The port the server listens on (the configured one, or the one picked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    // Only what browsers register for crosses to this side; the history lives on the hub.
    fanout = new BrowserFanout(hub, vertx);
    Router router = Router.router(vertx);
    router.route().handler(this::securityHeaders);

    SockJSHandlerOptions sockOptions = new SockJSHandlerOptions()
        .setLibraryURL("/vendor/sockjs/sockjs.min.js")
        .setRegisterWriteHandler(false)
        .setMaxBytesStreaming(128 * 1024);
    router.route("/eventbus/*").handler(this::originAndSize);
    router.route("/eventbus/*")
        .subRouter(SockJSHandler.create(vertx, sockOptions).bridge(BridgePolicy.options(config.maxHandlersPerSocket()), this::bridgeEvent));
    // The bridge delivers accepted interest declarations here; bridgeEvent already acted on them.
    vertx.eventBus().localConsumer(BridgePolicy.INTEREST, m -> {});

    router.get("/api/devices").handler(this::devices);
    router.post("/api/devices").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::putDevice);
    router.put("/api/devices/:id").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::putDevice);
    router.delete("/api/devices/:id").handler(this::deleteDevice);
    router.get("/api/devices/:id").handler(this::device);
    router.get("/api/devices/:id/history").handler(this::history);
    router.get("/api/devices/:id/interfaces/:ifIndex/history").handler(this::history);
    router.get("/api/alerts").handler(this::alerts);
    router.get("/api/cluster").handler(this::cluster);
    router.get("/api/poller/timing").handler(ctx -> pollerTiming().onComplete(ar -> json(ctx, ar)));
    router.get("/health").handler(this::health);
    router.get("/ready").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("ready", true).encode()));
    router.get("/metrics").handler(this::metrics);
    router.get("/vendor/uplot/*").handler(StaticHandler.create(UPLOT_DIST).setCachingEnabled(true));
    router.get("/vendor/sockjs/*").handler(StaticHandler.create(SOCKJS_DIST).setCachingEnabled(true));
    router.get("/*").handler(StaticHandler.create(webroot).setIndexPage("index.html").setCachingEnabled(false));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxWebSocketFrameSize(config.maxFrameBytes())
        .setMaxWebSocketMessageSize(config.maxFrameBytes());
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> {
      server = s;
      LOG.info("dashboard on http://" + config.host() + ":" + s.actualPort() + "/");
    });
  }

  // ---- security

  private void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    ctx.next();
  }

  /**
   * Browsers send Origin with every WebSocket and cross-site request: only the hub's own origin
   * and the configured ones may open the bridge, so a page elsewhere cannot ride an operator's
   * browser into the bus. Requests without Origin (tools, same-origin GETs) pass.
   */
  private void originAndSize(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !originAllowed(origin, ctx.request().getHeader("Host"))) {
      ctx.response().setStatusCode(403).end("origin not allowed");
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length) > config.maxFrameBytes()) {
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

  boolean originAllowed(String origin, String host) {
    if (host != null && (origin.equals("http://" + host) || origin.equals("https://" + host))) return true;
    return config.allowedOrigins().contains(origin);
  }

  // ---- bridge

  private void bridgeEvent(BridgeEvent e) {
    SockJSSocket sock = e.socket();
    Client c = clients.get(sock);
    switch (e.type()) {
      case SOCKET_CREATED -> {
        clients.put(sock, new Client("web-" + nodeTag + "-" + (++nextClientId)));
        e.complete(true);
      }
      case REGISTER -> {
        String address = address(e);
        if (c != null && BridgePolicy.outboundPermitted(address) && !c.registrations.containsKey(address)
            && c.registrations.size() < config.maxHandlersPerSocket()) {
          c.registrations.put(address, 1);
          fanout.acquire(address);
        }
        e.complete(true);
      }
      case UNREGISTER -> {
        String address = address(e);
        if (c != null && c.registrations.remove(address) != null) fanout.release(address);
        e.complete(true);
      }
      case RECEIVE -> {
        if (sock.writeQueueFull()) {
          dropped.incrementAndGet();
          if (c != null) c.dropped++;
          e.complete(false);
        } else {
          delivered.incrementAndGet();
          // Written here with the encoding every browser of this message shares; false only keeps
          // the bridge from encoding and writing it once more (it then just logs at debug level).
          sock.write(envelopes.encode(e.getRawMessage()));
          e.complete(false);
        }
      }
      case SEND -> {
        if (BridgePolicy.INTEREST.equals(address(e)) && c != null) {
          JsonObject body = e.getRawMessage().getJsonObject("body");
          String device = body == null ? null : body.getString("device");
          if (!"watch".equals(body == null ? null : body.getString("type")) || device == null || registry.device(device) == null) {
            e.complete(false);
            return;
          }
          c.watching.add(device);
          hub.eventBus().publish(PollerVerticle.INTEREST_ADDRESS,
              new JsonObject().put("device", device).put("watcher", c.watcherId).put("ttlMs", INTEREST_TTL_MS));
        }
        e.complete(true); // the bridge still applies the inbound permissions
      }
      case PUBLISH -> e.complete(false); // browsers never publish
      case SOCKET_CLOSED -> {
        if (c != null) {
          clients.remove(sock);
          c.registrations.keySet().forEach(fanout::release);
          for (String device : c.watching) {
            hub.eventBus().publish(PollerVerticle.INTEREST_ADDRESS,
                new JsonObject().put("device", device).put("watcher", c.watcherId).put("release", true));
          }
        }
        e.complete(true);
      }
      default -> e.complete(true);
    }
  }

  private static String address(BridgeEvent e) {
    JsonObject raw = e.getRawMessage();
    return raw == null ? null : raw.getString("address");
  }

  // ---- REST

  private void devices(RoutingContext ctx) {
    hubRequest(HistoryVerticle.DEVICES, null).compose(body -> {
      return pollerStats().map(stats -> {
        for (Object o : body.getJsonArray("devices")) {
          JsonObject d = (JsonObject) o;
          JsonObject s = stats.getJsonObject(d.getString("id"));
          if (s != null) d.put("stats", s).put("live", s.getBoolean("live", false)).put("intervalMs", s.getLong("intervalMs"));
        }
        return body;
      });
    }).onComplete(ar -> json(ctx, ar));
  }

  /** POST /api/devices and PUT /api/devices/{id}: the body is a device entry as in the config file. */
  private void putDevice(RoutingContext ctx) {
    JsonObject entry;
    try {
      entry = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      entry = null;
    }
    if (entry == null) {
      error(ctx, 400, "the body must be a JSON object: a device entry as in the config file");
      return;
    }
    String pathId = ctx.pathParam("id");
    if (pathId != null && !pathId.equals(entry.getString("id", pathId))) {
      error(ctx, 400, "id = \"" + entry.getString("id") + "\": differs from the path (" + pathId + ")");
      return;
    }
    if (pathId != null) entry.put("id", pathId);
    boolean existed = entry.getValue("id") instanceof String id && registry.device(id) != null;
    if (pathId == null && existed) {
      error(ctx, 409, "id = \"" + entry.getString("id") + "\": exists already; PUT /api/devices/" + entry.getString("id") + " changes it");
      return;
    }
    registry.put(entry).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, ar.cause() instanceof io.ifpulse.config.ConfigException ? 400 : 500, ar.cause().getMessage());
        return;
      }
      LOG.info("device " + ar.result().id() + (existed ? " changed" : " added") + " through the REST API");
      ctx.response().setStatusCode(existed ? 200 : 201).putHeader("content-type", "application/json")
          .end(new JsonObject().put("id", ar.result().id()).put("host", ar.result().host()).put("port", ar.result().port())
              .put("version", ar.result().version().label).encode());
    });
  }

  private void deleteDevice(RoutingContext ctx) {
    registry.remove(ctx.pathParam("id")).onComplete(ar -> {
      if (ar.failed()) error(ctx, 500, ar.cause().getMessage());
      else if (!ar.result()) error(ctx, 404, "no such device");
      else ctx.response().setStatusCode(204).end();
    });
  }

  private static void error(RoutingContext ctx, int code, String message) {
    ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  private void device(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    hubRequest(HistoryVerticle.DEVICE, new JsonObject().put("device", id))
        .compose(body -> pollerStats().map(stats -> {
          JsonObject s = stats.getJsonObject(id);
          if (s != null) body.getJsonObject("device").put("stats", s).put("live", s.getBoolean("live", false));
          return body;
        }))
        .onComplete(ar -> json(ctx, ar));
  }

  private void history(RoutingContext ctx) {
    JsonObject q = new JsonObject().put("device", ctx.pathParam("id"));
    try {
      String seconds = ctx.request().getParam("seconds");
      if (seconds != null) q.put("seconds", Integer.parseInt(seconds));
      String ifIndex = ctx.pathParam("ifIndex");
      if (ifIndex != null) q.put("ifIndex", Integer.parseInt(ifIndex));
    } catch (NumberFormatException e) {
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "seconds and ifIndex must be whole numbers").encode());
      return;
    }
    hubRequest(HistoryVerticle.SERIES, q).onComplete(ar -> json(ctx, ar));
  }

  /** Members, the owner of every device, and what this node's poller polls right now. */
  private void cluster(RoutingContext ctx) {
    pollerStats().onComplete(ar -> {
      JsonObject view;
      if (clusterView != null) {
        view = clusterView.get();
      } else {
        JsonObject owners = new JsonObject();
        registry.devices().forEach(d -> owners.put(d.id(), "local"));
        view = new JsonObject().put("node", "local").put("members",
            new JsonArray().add(new JsonObject().put("id", "local").put("poller", true).put("local", true))).put("owners", owners);
      }
      JsonArray polling = new JsonArray();
      if (ar.succeeded()) ar.result().fieldNames().forEach(polling::add);
      json(ctx, Future.succeededFuture(view.put("polling", polling)));
    });
  }

  private void alerts(RoutingContext ctx) {
    hubRequest(io.ifpulse.alerts.AlertsVerticle.QUERY_ADDRESS, null)
        .recover(e -> Future.succeededFuture(new JsonObject().put("active", new JsonArray()).put("recent", new JsonArray())))
        .onComplete(ar -> json(ctx, ar));
  }

  private void health(RoutingContext ctx) {
    hubRequest(HistoryVerticle.DEVICES, null).onComplete(ar -> {
      JsonObject h = new JsonObject().put("status", ar.succeeded() ? "UP" : "DOWN");
      if (ar.succeeded()) {
        int reachable = 0;
        int total = 0;
        for (Object o : ar.result().getJsonArray("devices")) {
          total++;
          if (Boolean.TRUE.equals(((JsonObject) o).getBoolean("reachable"))) reachable++;
        }
        h.put("devices", total).put("reachable", reachable);
      }
      h.put("bridgeClients", clients.size());
      ctx.response().setStatusCode(ar.succeeded() ? 200 : 503).putHeader("content-type", "application/json").end(h.encode());
    });
  }

  private void metrics(RoutingContext ctx) {
    Future<JsonObject> devicesF = hubRequest(HistoryVerticle.DEVICES, null);
    Future<JsonObject> countersF = hubRequest(PollerVerticle.COUNTERS_ADDRESS, null).recover(e -> Future.succeededFuture(new JsonObject()));
    Future<JsonObject> statsF = pollerStats();
    List<Future<JsonObject>> details = registry.devices().stream()
        .map(d -> hubRequest(HistoryVerticle.DEVICE, new JsonObject().put("device", d.id())))
        .toList();
    Future<JsonObject> timingF = pollerTiming();
    Future.all(devicesF, countersF, statsF, timingF).compose(v -> Future.join(details).map(x -> v)).onComplete(ar -> {
      MetricsText m = new MetricsText();
      for (Future<JsonObject> f : details) if (f.succeeded()) m.device(f.result());
      if (countersF.succeeded()) m.counters(countersF.result());
      if (statsF.succeeded()) m.pollStats(statsF.result());
      if (timingF.succeeded() && !timingF.result().isEmpty()) m.pollTiming(timingF.result());
      m.bridge(clients.size(), dropped.get(), delivered.get(), fanout.hubSubscriptions());
      ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(m.toString());
    });
  }

  private Future<JsonObject> pollerStats() {
    // No poller on this node (bridge-only): no local statistics, not an error.
    return hubRequest(PollerVerticle.STATS_ADDRESS, null).recover(e -> Future.succeededFuture(new JsonObject()));
  }

  private Future<JsonObject> pollerTiming() {
    return hubRequest(PollerVerticle.TIMING_ADDRESS, null).recover(e -> Future.succeededFuture(new JsonObject()));
  }

  /** A request on the hub's bus, completed back on this verticle's event loop. */
  private Future<JsonObject> hubRequest(String address, Object body) {
    Promise<JsonObject> p = Promise.promise();
    io.vertx.core.Context here = context;
    hub.eventBus().<JsonObject>request(address, body)
        .onComplete(ar -> here.runOnContext(v -> {
          if (ar.succeeded()) p.complete(ar.result().body());
          else p.fail(ar.cause());
        }));
    return p.future();
  }

  private static void json(RoutingContext ctx, io.vertx.core.AsyncResult<JsonObject> ar) {
    if (ar.succeeded()) {
      ctx.response().putHeader("content-type", "application/json").end(ar.result().encode());
    } else {
      int code = ar.cause() instanceof ReplyException re && re.failureCode() == 404 ? 404 : 500;
      ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", String.valueOf(ar.cause().getMessage())).encode());
    }
  }

  // ---- figures for tests and /metrics

  long droppedMessages() {
    return dropped.get();
  }

  int bridgeClients() {
    return clients.size();
  }

  int hubSubscriptions() {
    return fanout.hubSubscriptions();
  }
}
