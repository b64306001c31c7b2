package io.ifpulse.web;

import io.ifpulse.auth.Account;
import io.ifpulse.auth.Role;
import io.ifpulse.config.ConfigException;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.history.CurrentRates;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.registry.RegistryUnavailable;
import io.ifpulse.summary.ScopedSummary;
import io.ifpulse.summary.SummaryTick;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The REST API (docs/API.md) over what the hub's verticles know, asked on the hub's bus.
 *
 * <p>Every answer is cut to the devices the account may see: a device outside them is "no such
 * device" (404) on every route, so its id does not leak; lists and {@code /metrics} leave it out.
 * Changes need the operator role, and a limited operator may only create or change devices
 * within its own devices and tags.
 */
final class RestApi {
  private static final long BODY_LIMIT = 64 * 1024;

  private final Vertx hub;
  private final DeviceRegistry registry;
  private final Supplier<JsonObject> clusterView;
  private final Supplier<JsonObject> bridgeFigures;
  private final Refusals refusals;
  private Context context;
  private Supplier<java.util.Map<String, Long>> clusterRejections = java.util.Map::of;
  private final NodeFamilies nodeFamilies;

  RestApi(Vertx hub, DeviceRegistry registry, Supplier<JsonObject> clusterView, Supplier<JsonObject> bridgeFigures, Refusals refusals,
      io.ifpulse.summary.SummaryCost summaryCost) {
    this.hub = hub;
    this.registry = registry;
    this.clusterView = clusterView;
    this.bridgeFigures = bridgeFigures;
    this.refusals = refusals;
    this.nodeFamilies = new NodeFamilies(bridgeFigures, refusals, () -> clusterRejections.get(), summaryCost, () -> trapOutcomes.get(),
        () -> unhandled.get());
  }

  private Supplier<java.util.Map<String, Long>> trapOutcomes = java.util.Map::of;
  private Supplier<java.util.Map<String, Long>> unhandled = java.util.Map::of;

  /** Exceptions no handler caught, per Vert.x instance ("hub", "web"), for /metrics. */
  RestApi withUnhandledExceptions(Supplier<java.util.Map<String, Long>> counts) {
    this.unhandled = counts;
    return this;
  }

  /** The notification receiver's outcomes (outcome → count), for /metrics; none without a receiver. */
  RestApi withTrapOutcomes(Supplier<java.util.Map<String, Long>> outcomes) {
    this.trapOutcomes = outcomes;
    return this;
  }

  /** The shared-map entries refused ("map\0reason" → count), for /metrics. */
  RestApi withClusterRejections(Supplier<java.util.Map<String, Long>> rejections) {
    this.clusterRejections = rejections;
    return this;
  }

  private GroupAccess groups;

  /** The interface groups, and who may see them. */
  RestApi withGroups(GroupAccess groups) {
    this.groups = groups;
    return this;
  }

  /** Mounts the routes; each expects {@link AccessControl#authenticate} before it. */
  void mount(Router router, Context context, AccessControl access) {
    this.context = context;
    // No file uploads: a multipart body never reaches a handler anyway (RequestGuard), and no
    // upload directory is ever created.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    router.get("/api/devices").handler(this::devices);
    // Vert.x wants the body handler first on a route; the body is bounded, so reading it before the
    // role check costs at most BODY_LIMIT.
    router.post("/api/devices").handler(body).handler(access.require(Role.OPERATOR)).handler(this::putDevice);
    router.put("/api/devices/:id").handler(body).handler(access.require(Role.OPERATOR)).handler(this::putDevice);
    router.delete("/api/devices/:id").handler(access.require(Role.OPERATOR)).handler(this::deleteDevice);
    router.get("/api/devices/:id").handler(this::device);
    router.get("/api/devices/:id/history").handler(this::history);
    router.get("/api/devices/:id/interfaces/:ifIndex/history").handler(this::history);
    router.get("/api/groups").handler(this::groups);
    router.get("/api/groups/:name").handler(this::group);
    // Groups are changed as devices are: operators only, JSON bodies bounded alike, audited.
    router.post("/api/groups/:name").handler(body).handler(access.require(Role.OPERATOR)).handler(this::putGroup);
    router.put("/api/groups/:name").handler(body).handler(access.require(Role.OPERATOR)).handler(this::putGroup);
    router.delete("/api/groups/:name").handler(access.require(Role.OPERATOR)).handler(this::deleteGroup);
    router.get("/api/groups/:name/history").handler(this::groupHistory);
    router.get("/api/alerts").handler(this::alerts);
    router.get("/api/summary").handler(this::summary);
    router.get("/api/summary/search").handler(this::summarySearch);
    router.get("/api/audit").handler(access.require(Role.OPERATOR)).handler(this::audit);
    router.get("/api/cluster").handler(this::cluster);
    router.get("/api/poller/timing").handler(ctx -> pollerTiming().onComplete(ar -> json(ctx, ar)));
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
  }

  // ---- access

  private boolean sees(RoutingContext ctx, String id) {
    return sees(AccessControl.account(ctx), id);
  }

  private boolean sees(Account a, String id) {
    DeviceConfig d = id == null ? null : registry.device(id);
    return d != null && a.scope().permits(d.id(), d.tags());
  }

  private static void noSuchDevice(RoutingContext ctx) {
    error(ctx, 404, "no such device");
  }

  // ---- groups

  /** GET /api/groups: the groups the account may see (docs/API.md). */
  private void groups(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    JsonArray out = new JsonArray();
    if (groups != null) {
      List<String> ids = groups.deviceIds();
      for (io.ifpulse.config.GroupConfig g : groups.all()) if (groups.sees(a, g.name())) out.add(g.describe(ids));
    }
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("groups", out).encode());
  }

  /** GET /api/groups/{name}: one group, or 404 alike for one that does not exist and one the account may not see. */
  private void group(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (groups == null || !groups.sees(AccessControl.account(ctx), name)) {
      error(ctx, 404, "no such group");
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json").end(groups.group(name).describe(groups.deviceIds()).encode());
  }

  /** GET /api/groups/{name}/history?seconds=N&members=true: the group's seconds, {"group","points":[[ts,inBps,outBps]...]} (docs/API.md). */
  private void groupHistory(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (groups == null || !groups.sees(AccessControl.account(ctx), name)) {
      error(ctx, 404, "no such group");
      return;
    }
    JsonObject q = new JsonObject().put("group", name);
    try {
      String seconds = ctx.request().getParam("seconds");
      if (seconds != null) q.put("seconds", Math.max(1, Math.min(86_400, Integer.parseInt(seconds))));
    } catch (NumberFormatException e) {
      error(ctx, 400, "seconds must be a whole number");
      return;
    }
    String members = ctx.request().getParam("members");
    if (members != null && !members.equals("true") && !members.equals("false")) {
      error(ctx, 400, "members must be true or false");
      return;
    }
    q.put("members", "true".equals(members));
    hubRequest(Addresses.GROUPS_SERIES, q).onComplete(ar -> json(ctx, ar));
  }

  /**
   * POST or PUT /api/groups/{name}: creates or replaces a group; the body is a group as in the
   * config's {@code "groups"} ({@code {"members": [...]}}), checked by the same code. An account
   * limited to some devices may create, change or remove only groups it may see, before and after.
   */
  private void putGroup(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    String name = ctx.pathParam("name");
    JsonObject entry = jsonBody(ctx, "a group as in the config's \"groups\" ({\"members\": [...]})");
    if (entry == null) return;
    io.ifpulse.config.GroupConfig current = groups.group(name);
    if (current != null && !groups.sees(a, current)) {
      error(ctx, 404, "no such group"); // another account's group: as if it did not exist
      return;
    }
    io.ifpulse.config.GroupConfig parsed;
    try {
      parsed = io.ifpulse.registry.GroupRegistry.validate(name, entry);
    } catch (ConfigException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    if (!groups.sees(a, parsed)) {
      refusals.count(Refusals.Reason.FORBIDDEN);
      error(ctx, 403, "the group's rules must name only devices this account may see");
      return;
    }
    boolean existed = current != null;
    onThisLoop(groups.registry().put(name, entry, change(ctx, a))).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, writeFailureStatus(ar.cause()), ar.cause().getMessage());
        return;
      }
      ctx.response().setStatusCode(existed ? 200 : 201).putHeader("content-type", "application/json")
          .end(ar.result().describe(groups.deviceIds()).encode());
    });
  }

  /** DELETE /api/groups/{name}: 204 once kept; 404 for a group that does not exist or is not the account's to see. */
  private void deleteGroup(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Account a = AccessControl.account(ctx);
    if (!groups.sees(a, name)) {
      error(ctx, 404, "no such group");
      return;
    }
    onThisLoop(groups.registry().remove(name, change(ctx, a))).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, writeFailureStatus(ar.cause()), ar.cause().getMessage());
      } else if (!ar.result()) {
        error(ctx, 404, "no such group");
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  // ---- devices

  private void devices(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    hubRequest(Addresses.HISTORY_DEVICES, null).compose(body -> pollerStats().map(stats -> {
      JsonArray visible = new JsonArray();
      for (Object o : body.getJsonArray("devices")) {
        JsonObject d = (JsonObject) o;
        String id = d.getString("id");
        if (!sees(a, id)) continue;
        d.put("tags", new JsonArray(registry.device(id).tags()));
        JsonObject s = stats.getJsonObject(id);
        if (s != null) d.put("stats", s).put("live", s.getBoolean("live", false)).put("intervalMs", s.getLong("intervalMs"));
        visible.add(d);
      }
      return body.put("devices", visible);
    })).onComplete(ar -> json(ctx, ar));
  }

  /** POST /api/devices and PUT /api/devices/{id}: the body is a device entry as in the config file. */
  private void putDevice(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    JsonObject entry = jsonBody(ctx, "a device entry as in the config file");
    if (entry == null) return;
    String pathId = ctx.pathParam("id");
    if (pathId != null && !pathId.equals(entry.getValue("id", pathId))) {
      error(ctx, 400, "id: differs from the path (" + pathId + ")");
      return;
    }
    if (pathId != null) entry.put("id", pathId);
    String id = entry.getValue("id") instanceof String s ? s : null;
    DeviceConfig current = id == null ? null : registry.device(id);
    if (current != null && !sees(a, id)) {
      // Another account's device: as if it did not exist for PUT, and not to be taken over by POST.
      if (pathId != null) noSuchDevice(ctx);
      else outsideScope(ctx);
      return;
    }
    if (id != null && !a.scope().unlimited() && !withinScope(a, id, entry.getValue("tags"))) {
      outsideScope(ctx);
      return;
    }
    if (pathId == null && current != null) {
      error(ctx, 409, "id = \"" + id + "\": exists already; PUT /api/devices/" + id + " changes it");
      return;
    }
    boolean existed = current != null;
    onThisLoop(registry.put(entry, change(ctx, a))).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, writeFailureStatus(ar.cause()), ar.cause().getMessage());
        return;
      }
      DeviceConfig d = ar.result();
      JsonObject answer = new JsonObject().put("id", d.id()).put("host", d.host()).put("port", d.port())
          .put("credentials", d.credentialsLabel()).put("tags", new JsonArray(d.tags()));
      if (d.version() != null) answer.put("version", d.version().label);
      ctx.response().setStatusCode(existed ? 200 : 201).putHeader("content-type", "application/json").end(answer.encode());
    });
  }

  /** The body as a JSON object; null once a 400 saying it must be {@code what} has been answered. */
  private static JsonObject jsonBody(RoutingContext ctx, String what) {
    JsonObject entry;
    try {
      entry = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      entry = null;
    }
    if (entry == null) error(ctx, 400, "the body must be a JSON object: " + what);
    return entry;
  }

  /**
   * A change is answered once it is kept (the registry file written, the cluster's map set): that
   * happens on the registry's writer or a Hazelcast thread, so the answer hops back to the loop of
   * the request.
   */
  private static <T> Future<T> onThisLoop(Future<T> f) {
    Context here = Vertx.currentContext();
    if (here == null) return f;
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> here.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  /** 400 for a bad entry; 503 when it could not be kept (nothing changed: try again later). */
  private static int writeFailureStatus(Throwable cause) {
    if (cause instanceof ConfigException) return 400;
    if (cause instanceof RegistryUnavailable) return 503;
    return 500;
  }

  /** Who makes a change, for the audit: the account and the browser's address, never a secret. */
  private static JsonObject change(RoutingContext ctx, Account a) {
    return new JsonObject().put("by", a.label()).put("from", RequestGuard.forwarded(ctx).client());
  }

  /**
   * GET /api/audit: the changes of the device list and of the groups, newest first, cut to the
   * account's devices (a removed group's records only to accounts that see everything).
   */
  private void audit(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    java.util.List<JsonObject> all = new java.util.ArrayList<>();
    // A removed device is no longer in the registry: its records are shown by the id's scope alone.
    all.addAll(registry.audit().records(id -> a.scope().unlimited() || sees(a, id) || a.scope().permits(id, List.of())));
    all.addAll(groups.registry().audit().records(name -> a.scope().unlimited() || groups.sees(a, name)));
    all.sort(java.util.Comparator.comparingLong((JsonObject r) -> r.getLong("ts", 0L)).reversed());
    JsonArray records = new JsonArray();
    all.forEach(records::add);
    json(ctx, Future.succeededFuture(new JsonObject().put("changes", records)));
  }

  /** A limited operator's device: its id (or one of its tags) in the scope, and no tags beyond it. */
  private static boolean withinScope(Account a, String id, Object tagsValue) {
    List<String> tags = tagsValue instanceof JsonArray t ? t.stream().map(String::valueOf).toList() : List.of();
    for (String t : tags) if (!a.scope().tags().contains(t)) return false;
    return a.scope().permits(id, tags);
  }

  private void outsideScope(RoutingContext ctx) {
    refusals.count(Refusals.Reason.FORBIDDEN);
    error(ctx, 403, "the id and tags must be within the devices this account may manage");
  }

  private void deleteDevice(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!sees(ctx, id)) {
      noSuchDevice(ctx);
      return;
    }
    Account a = AccessControl.account(ctx);
    onThisLoop(registry.remove(id, change(ctx, a))).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, writeFailureStatus(ar.cause()), ar.cause().getMessage());
      } else if (!ar.result()) {
        noSuchDevice(ctx);
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private void device(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!sees(ctx, id)) {
      noSuchDevice(ctx);
      return;
    }
    hubRequest(Addresses.HISTORY_DEVICE, new JsonObject().put("device", id))
        .compose(body -> pollerStats().map(stats -> {
          JsonObject s = stats.getJsonObject(id);
          JsonObject d = body.getJsonObject("device").put("tags", new JsonArray(registry.device(id).tags()));
          if (s != null) d.put("stats", s).put("live", s.getBoolean("live", false));
          return body;
        }))
        .onComplete(ar -> json(ctx, ar));
  }

  private void history(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!sees(ctx, id)) {
      noSuchDevice(ctx);
      return;
    }
    JsonObject q = new JsonObject().put("device", id);
    try {
      String seconds = ctx.request().getParam("seconds");
      if (seconds != null) q.put("seconds", Integer.parseInt(seconds));
      String ifIndex = ctx.pathParam("ifIndex");
      if (ifIndex != null) q.put("ifIndex", Integer.parseInt(ifIndex));
    } catch (NumberFormatException e) {
      error(ctx, 400, "seconds and ifIndex must be whole numbers");
      return;
    }
    hubRequest(Addresses.HISTORY_SERIES, q).onComplete(ar -> json(ctx, ar));
  }

  /** Members, the owner of every device, and what this node's poller polls right now. */
  private void cluster(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
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
      JsonObject owners = new JsonObject();
      JsonObject all = view.getJsonObject("owners", new JsonObject());
      for (String id : all.fieldNames()) if (sees(a, id)) owners.put(id, all.getValue(id));
      JsonArray polling = new JsonArray();
      if (ar.succeeded()) ar.result().fieldNames().stream().filter(id -> sees(a, id)).forEach(polling::add);
      // Which member computes each group the account sees: by the same rule and the same pollers
      // as that member decides it itself (ClusterOwnership.groupOwner).
      List<String> pollers = new ArrayList<>();
      for (Object m : view.getJsonArray("members", new JsonArray())) {
        if (m instanceof JsonObject member && member.getBoolean("poller", false)) pollers.add(member.getString("id"));
      }
      JsonObject groupOwners = new JsonObject();
      if (groups != null) {
        for (io.ifpulse.config.GroupConfig g : groups.all()) {
          if (!groups.sees(a, g.name())) continue;
          String owner = clusterView == null ? "local" : io.ifpulse.cluster.ClusterOwnership.groupOwner(g.name(), pollers);
          groupOwners.put(g.name(), owner);
        }
      }
      json(ctx, Future.succeededFuture(view.put("owners", owners).put("polling", polling).put("groups", groupOwners)));
    });
  }

  // ---- summary (docs/EVENTS.md, "ifpulse.summary")

  /** Longest search text accepted: longer than any id, host, tag, name or alias worth typing. */
  static final int MAX_QUERY = 100;

  /** GET /api/summary: the whole summary of the account's devices, as of the last message sent. */
  private void summary(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    this.<SummaryTick>onHub(Addresses.HISTORY_SUMMARY, null)
        .map(tick -> ScopedSummary.snapshot(tick, a.scope().unlimited() ? null : a.scope()::permits))
        .onComplete(ar -> json(ctx, ar));
  }

  /** GET /api/summary/search?q=TEXT: the ids of the account's devices that TEXT finds. */
  private void summarySearch(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    List<String> qs = ctx.queryParam("q");
    String q = qs.size() == 1 ? qs.get(0) : null;
    String wrong = q == null ? "q: give it once" : q.isEmpty() ? "q: empty" : q.length() > MAX_QUERY ? "q: longer than " + MAX_QUERY
        + " characters" : q.chars().anyMatch(Character::isISOControl) ? "q: control characters" : null;
    if (wrong != null) {
      refusals.count(Refusals.Reason.BAD_QUERY);
      error(ctx, 400, wrong);
      return;
    }
    this.<SummaryTick>onHub(Addresses.HISTORY_SUMMARY, null)
        .map(tick -> new JsonObject().put("ids", ScopedSummary.search(tick, a.scope().unlimited() ? null : a.scope()::permits, q)))
        .onComplete(ar -> json(ctx, ar));
  }

  private void alerts(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    hubRequest(Addresses.ALERTS_QUERY, null)
        .recover(e -> Future.succeededFuture(new JsonObject().put("active", new JsonArray()).put("recent", new JsonArray())))
        .map(body -> {
          if (a.scope().unlimited()) return body;
          for (String list : new String[] {"active", "recent"}) {
            JsonArray in = body.getJsonArray(list, new JsonArray());
            JsonArray out = new JsonArray();
            for (Object o : in) if (o instanceof JsonObject alert && seesAlert(a, alert)) out.add(alert);
            body.put(list, out);
          }
          return body;
        })
        .onComplete(ar -> json(ctx, ar));
  }

  /** An alert of a device the account may see, or of a group it may see (every device the group names). */
  private boolean seesAlert(Account a, JsonObject alert) {
    if (alert.getValue("group") instanceof String group) return groups != null && groups.sees(a, group);
    return sees(a, alert.getString("device"));
  }

  private void health(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    hubRequest(Addresses.HISTORY_DEVICES, null).onComplete(ar -> {
      JsonObject h = new JsonObject().put("status", ar.succeeded() ? "UP" : "DOWN");
      if (ar.succeeded()) {
        int reachable = 0;
        int total = 0;
        for (Object o : ar.result().getJsonArray("devices")) {
          JsonObject d = (JsonObject) o;
          if (!sees(a, d.getString("id"))) continue;
          total++;
          if (Boolean.TRUE.equals(d.getBoolean("reachable"))) reachable++;
        }
        h.put("devices", total).put("reachable", reachable);
      }
      h.put("bridgeClients", bridgeFigures.get().getInteger("clients"));
      ctx.response().setStatusCode(ar.succeeded() ? 200 : 503).putHeader("content-type", "application/json").end(h.encode());
    });
  }

  /**
   * The official Prometheus client's exposition (docs/API.md): the device families from one
   * answer of the history for all devices and one of each of the poller's, however many devices
   * there are, cut to the account's devices; then this node's own families.
   */
  private void metrics(RoutingContext ctx) {
    Account a = AccessControl.account(ctx);
    // A limited account's scrape asks the poller for its devices only: the poller builds the
    // answer on the loop that polls, and all of a large fleet's counters cost seconds there.
    java.util.Set<String> ids = a.scope().unlimited() ? null : visibleIds(a);
    JsonArray asked = ids == null ? null : new JsonArray(new java.util.ArrayList<>(ids));
    Future<CurrentRates> ratesF = this.<CurrentRates>onHub(Addresses.HISTORY_CURRENT, null);
    Future<JsonObject> countersF = hubRequest(Addresses.POLLER_COUNTERS, asked).recover(e -> Future.succeededFuture(new JsonObject()));
    Future<JsonObject> statsF = hubRequest(Addresses.POLLER_STATS, asked).recover(e -> Future.succeededFuture(new JsonObject()));
    Future<JsonObject> timingF = pollerTiming();
    Future<JsonObject> groupsF = groups == null || groups.all().isEmpty() ? Future.succeededFuture(new JsonObject())
        : hubRequest(Addresses.GROUPS_CURRENT, null).recover(e -> Future.succeededFuture(new JsonObject()));
    // Only the history may fail (the others answer {} instead): then the device families are left out.
    Future.join(ratesF, countersF, statsF, timingF, groupsF).transform(joined -> {
      java.util.function.Predicate<String> visible = ids == null ? id -> true : ids::contains;
      DeviceFamilies devices = new DeviceFamilies(ratesF.succeeded() ? ratesF.result() : null, countersF.result(), statsF.result(),
          timingF.result(), visible);
      MetricSnapshots node = nodeFamilies.collect(); // here: the bridge's figures are read on this loop
      String accept = ctx.request().getHeader("Accept");
      // Off the loop that serves the bridge: at 20,000 interfaces a scrape is some 50 MB of text
      // and most of a second of the client's formatting.
      MetricSnapshots groupFamilies = GroupFamilies.collect(groupsF.result(), name -> groups.sees(a, name));
      return ctx.vertx().executeBlocking(() -> MetricsExposition.write(accept, devices.collect(), groupFamilies, node), false);
    }).onComplete(written -> {
      if (written.failed()) {
        error(ctx, 500, String.valueOf(written.cause().getMessage()));
        return;
      }
      ctx.response().putHeader("content-type", written.result().contentType()).end(written.result().body());
    });
  }

  /** The ids of the devices the account may see, as of now (a set: the registry looks up one id by a walk of all). */
  private java.util.Set<String> visibleIds(Account a) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (DeviceConfig d : registry.devices()) if (a.scope().permits(d.id(), d.tags())) ids.add(d.id());
    return ids;
  }

  // ---- the hub's bus

  private Future<JsonObject> pollerStats() {
    // No poller on this node (bridge-only): no local statistics, not an error.
    return hubRequest(Addresses.POLLER_STATS, null).recover(e -> Future.succeededFuture(new JsonObject()));
  }

  private Future<JsonObject> pollerTiming() {
    return hubRequest(Addresses.POLLER_TIMING, null).recover(e -> Future.succeededFuture(new JsonObject()));
  }

  /** A request on the hub's bus, completed back on the web verticle's event loop. */
  private Future<JsonObject> hubRequest(String address, Object body) {
    return onHub(address, body);
  }

  private <T> Future<T> onHub(String address, Object body) {
    Promise<T> p = Promise.promise();
    Context here = context;
    hub.eventBus().<T>request(address, body)
        .onComplete(ar -> here.runOnContext(v -> {
          if (ar.succeeded()) p.complete(ar.result().body());
          else p.fail(ar.cause());
        }));
    return p.future();
  }

  static void error(RoutingContext ctx, int code, String message) {
    ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  private static void json(RoutingContext ctx, AsyncResult<JsonObject> ar) {
    if (ar.succeeded()) {
      ctx.response().putHeader("content-type", "application/json").end(ar.result().encode());
    } else {
      int code = ar.cause() instanceof ReplyException re && re.failureCode() == 404 ? 404 : 500;
      error(ctx, code, String.valueOf(ar.cause().getMessage()));
    }
  }
}
