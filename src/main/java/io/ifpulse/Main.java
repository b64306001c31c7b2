package io.ifpulse;

import io.ifpulse.config.ConfigException;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.poll.DeviceOwnership;
import io.ifpulse.poll.PollerVerticle;
import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.sim.Simulator;
import io.ifpulse.snmp.AgentNames;
import io.ifpulse.tail.TailVerticle;
import io.ifpulse.auth.Accounts;
import io.ifpulse.auth.UserCommands;
import io.ifpulse.alerts.AlertsVerticle;
import io.ifpulse.cluster.ClusterNode;
import io.ifpulse.cluster.ClusterOwnership;
import io.ifpulse.cluster.HazelcastHandoverStore;
import io.ifpulse.cluster.HazelcastOverlayStore;
import io.ifpulse.cluster.HazelcastSessionStore;
import io.ifpulse.cluster.ClusterKey;
import io.ifpulse.cluster.ClusterRejections;
import io.ifpulse.history.HistoryVerticle;
import io.ifpulse.poll.HandoverStore;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.registry.GroupRegistry;
import io.ifpulse.registry.LocalOverlayStore;
import io.ifpulse.registry.RegistryFile;
import io.ifpulse.web.WebVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Starts the hub: validates the whole config first (and stops with exit code 2 on a bad one,
 * before anything listens or sends), then starts the embedded simulated agents, then the poller.
 *
 * <pre>
 * ifpulse [--config FILE] [--print] [--check] [--cluster [--role all|poller|web|subscriber] [--simulator]]
 * ifpulse [--config FILE] --add-user NAME --role viewer|operator [--devices PATTERN...] [--tags TAG...]
 *         (also --add-token, --remove-user, --remove-token, --list-users: see UserCommands)
 *   --config FILE  config file (default: $IFPULSE_CONFIG, else conf/ifpulse.json)
 *   --print        write every sample and status change to stdout as JSON lines (logs go to stderr)
 *   --check        validate the config, print a summary and exit
 *   --cluster      join (or form) the cluster of conf/cluster.xml (settings from IFPULSE_CLUSTER_*)
 *   --role R       all (default), poller (no HTTP), web (no polling), subscriber (neither)
 *   --simulator    in a cluster, also run the embedded simulated agents on this node
 * </pre>
 */
public final class Main {
  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
  }

  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    if (UserCommands.isCommand(args)) {
      System.exit(users(args));
      return;
    }
    Path configPath = null;
    boolean print = false;
    boolean check = false;
    boolean cluster = false;
    boolean simulator = false;
    Role role = Role.ALL;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cluster" -> cluster = true;
        case "--simulator" -> simulator = true;
        case "--role" -> {
          if (i + 1 >= args.length) usage("--role needs one of all, poller, web, subscriber");
          role = Role.parse(args[++i]);
          if (role == null) usage("--role needs one of all, poller, web, subscriber, not " + args[i]);
        }
        case "--config" -> {
          if (i + 1 >= args.length) usage("--config needs a file");
          configPath = Path.of(args[++i]);
        }
        case "--print" -> print = true;
        case "--check" -> check = true;
        case "-h", "--help" -> usage(null);
        default -> usage("unknown argument " + args[i]);
      }
    }
    Map<String, String> env = System.getenv();
    if (configPath == null) configPath = Path.of(env.getOrDefault("IFPULSE_CONFIG", "conf/ifpulse.json"));

    HubConfig config;
    try {
      config = ConfigLoader.load(configPath, env);
    } catch (ConfigException e) {
      System.err.println("ifpulse: bad configuration in " + configPath + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      IoTransport.preferNative(env);
      AgentNames.servers(env);
    } catch (ConfigException e) {
      System.err.println("ifpulse: bad environment: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      if (config.web().enabled() && (!cluster || role.serves)) Accounts.forConfig(config.web());
      if (cluster) {
        ClusterNode.checkEnv(env);
        ClusterKey.fromEnv(env, ClusterNode.onLoopback(env));
      }
    } catch (ConfigException e) {
      System.err.println("ifpulse: cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (check) {
      System.err.println("ifpulse: " + configPath + " is valid: " + config.devices().size() + " devices");
      config.devices().forEach(d -> System.err.println("  " + d + (d.enabled() ? "" : " (disabled)")));
      return;
    }
    try {
      Hub hub = start(config, new Options(print, cluster, role, !cluster || simulator), env);
      // SIGTERM (and Ctrl-C) leave the cluster cleanly: the others take over at once instead of
      // waiting for the heartbeat timeout.
      Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "ifpulse-shutdown"));
      System.err.println("ifpulse: node ready");
    } catch (RegistryFile.Corrupt e) {
      // Not started over it: the next change would replace the only copy of the tombstones and
      // changes made at run time. Exit 2, as for a bad config: restarting as is cannot help.
      System.err.println("ifpulse: cannot start: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("ifpulse: cannot start: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * A started hub, for tests and for the run script alike.
   *
   * @param vertx the hub's Vert.x: poller and any consumer verticles (clustered in a cluster)
   * @param web the browser side's Vert.x, never clustered (see BrowserFanout); null without web
   * @param httpPort the dashboard's port, 0 without web
   * @param trapPort the notification receiver's UDP port, 0 without one
   */
  public record Hub(Vertx vertx, Vertx web, int httpPort, Simulator simulator, List<DeviceConfig> devices,
      Runnable beforeClose, LocalOverlayStore registryFile, LocalOverlayStore groupsFile, int trapPort) implements AutoCloseable {
    @Override
    public void close() {
      if (beforeClose != null) beforeClose.run();
      // The API first, so no new change arrives; then the registry writer finishes what it was
      // given, so a SIGTERM loses no change that was (or is about to be) acknowledged.
      if (web != null) web.close().await();
      vertx.close().await();
      registryFile.close();
      groupsFile.close();
      if (simulator != null) simulator.close();
    }
  }

  /** What this node does: poll, serve browsers, both, or neither (a node for other verticles). */
  public enum Role {
    ALL(true, true),
    POLLER(true, false),
    WEB(false, true),
    SUBSCRIBER(false, false);

    final boolean polls;
    final boolean serves;

    Role(boolean polls, boolean serves) {
      this.polls = polls;
      this.serves = serves;
    }

    static Role parse(String s) {
      for (Role r : values()) if (r.name().equalsIgnoreCase(s)) return r;
      return null;
    }
  }

  /**
   * @param print write samples to stdout as JSON lines
   * @param cluster join the cluster of conf/cluster.xml
   * @param simulator start the embedded agents of the config's "sim" devices on this node
   */
  public record Options(boolean print, boolean cluster, Role role, boolean simulator) {}

  /** A standalone hub with everything, as scripts/run.sh starts it (tests use this). */
  public static Hub start(HubConfig config, boolean print) throws Exception {
    return start(config, new Options(print, false, Role.ALL, true), System.getenv());
  }

  public static Hub start(HubConfig config, Options options, Map<String, String> env) throws Exception {
    IoTransport.preferNative(env); // a bad value stops here, before the simulator or anything else starts
    AgentNames.servers(env);
    // So does a corrupt registry file (RegistryFile.Corrupt), read off any event loop.
    LocalOverlayStore registryFile = new LocalOverlayStore(HubConfig.localPath(config.registryFile()));
    LocalOverlayStore groupsFile = new LocalOverlayStore(HubConfig.groupsFile(registryFile.path()), io.ifpulse.registry.RegistryFile.GROUPS);
    // So does a web side that would be open to the network, or a broken users file.
    Accounts accounts = config.web().enabled() && options.role().serves ? Accounts.forConfig(config.web()) : null;
    boolean print = options.print();
    Simulator simulator = null;
    List<DeviceConfig> devices = new ArrayList<>(config.devices());
    List<SimDeviceSpec> specs = config.simulatedDevices().stream().map(DeviceConfig::sim).toList();
    if (!specs.isEmpty() && options.simulator()) {
      simulator = Simulator.start(config.simulatorHost(), config.simulatorBasePort(), specs);
      for (int i = 0; i < devices.size(); i++) {
        DeviceConfig d = devices.get(i);
        if (d.sim() != null) devices.set(i, d.withEndpoint(config.simulatorHost(), simulator.port(d.id())));
      }
      LOG.info("simulator: " + specs.size() + " simulated agents on " + config.simulatorHost());
    }
    Vertx vertx;
    DeviceRegistry registry;
    GroupRegistry groupRegistry;
    DeviceOwnership ownership;
    HandoverStore handover;
    HandoverStore alertsHandover;
    ClusterOwnership clusterOwnership = null;
    com.hazelcast.core.HazelcastInstance hazelcast = null;
    ClusterRejections rejections = new ClusterRejections();
    if (options.cluster()) {
      ClusterKey key = ClusterKey.fromEnv(env, ClusterNode.onLoopback(env));
      if (!key.secret()) {
        LOG.warning("no " + ClusterKey.ENV + ": shared entries are sealed with a key derived from the cluster name, which"
            + " keeps out nothing that reaches Hazelcast; fine on loopback only");
      }
      ClusterNode.Joined joined = ClusterNode.join(Path.of(env.getOrDefault("IFPULSE_CLUSTER_CONFIG", "conf/cluster.xml")),
          env, options.role().polls);
      vertx = joined.vertx();
      hazelcast = joined.hazelcast();
      registry = new DeviceRegistry(devices, config.defaults(), config.credentials(),
          HazelcastOverlayStore.devices(joined.hazelcast(), registryFile, key, rejections));
      groupRegistry = new GroupRegistry(config.groups(), HazelcastOverlayStore.groups(joined.hazelcast(), groupsFile, key, rejections));
      clusterOwnership = new ClusterOwnership(joined.hazelcast(), registry, key, rejections, config.credentials().names());
      registry.credentialsElsewhere(clusterOwnership::anyPollerHas);
      ownership = clusterOwnership;
      handover = new HazelcastHandoverStore(joined.hazelcast(), vertx, HazelcastHandoverStore.MAP, key, rejections);
      alertsHandover = new HazelcastHandoverStore(joined.hazelcast(), vertx, HazelcastHandoverStore.ALERTS_MAP, key, rejections);
      LOG.info("joined cluster as " + joined.hazelcast().getCluster().getLocalMember().getAddress() + ", role " + options.role());
    } else {
      vertx = Vertx.vertx(AgentNames.apply(IoTransport.apply(ClusterNode.hubOptions(), env), env));
      registry = new DeviceRegistry(devices, config.defaults(), config.credentials(), registryFile);
      groupRegistry = new GroupRegistry(config.groups(), groupsFile);
      ownership = DeviceOwnership.everything();
      handover = HandoverStore.none();
      alertsHandover = HandoverStore.none();
    }
    IoTransport.report("hub", vertx, env);
    // What no handler caught: each kind logged once in full, then counted (a flood cannot fill the disk).
    io.ifpulse.logging.UnhandledExceptions hubUnhandled = io.ifpulse.logging.UnhandledExceptions.install(vertx, "hub");
    // Libraries that log a line per frame or connection from outside: each kind once, then counted.
    io.ifpulse.logging.QuietLoggers quiet = io.ifpulse.logging.QuietLoggers.install(io.ifpulse.logging.QuietLoggers.LOGGERS);
    vertx.setPeriodic(60_000, t -> quiet.summary());
    if (print) {
      PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
      vertx.deployVerticle(new TailVerticle(registry, stdout, true)).await();
    }
    // The browser side and the history first, so that they see the very first status and samples.
    Vertx web = null;
    int httpPort = 0;
    io.ifpulse.traps.TrapCounters trapCounters = config.traps().enabled() ? new io.ifpulse.traps.TrapCounters() : null;
    if (config.web().enabled() && options.role().serves) {
      web = Vertx.vertx(IoTransport.apply(new VertxOptions().setEventLoopPoolSize(2), env));
      IoTransport.report("web", web, env);
      io.ifpulse.logging.UnhandledExceptions webUnhandled = io.ifpulse.logging.UnhandledExceptions.install(web, "web");
      // One account of the summary's CPU for the history that builds it and the web side that delivers it.
      io.ifpulse.summary.SummaryCost summaryCost = new io.ifpulse.summary.SummaryCost();
      HistoryVerticle history = new HistoryVerticle(registry, config.historySeconds()).withSummaryCost(summaryCost);
      if (hazelcast != null) {
        // A node that joins after a device's discovery takes names, aliases and speeds from the
        // owner's hand-over state instead of waiting for the next rediscovery.
        history.withMetadataSource(handover::load);
      }
      // On the hub's loop, where the samples are published: recording one costs no thread hand-over.
      vertx.deployVerticle(history).await();
      WebVerticle webVerticle = new WebVerticle(vertx, config.web(), registry, accounts, "webroot").withSummaryCost(summaryCost)
          .withGroups(groupRegistry);
      if (trapCounters != null) webVerticle.withTrapOutcomes(trapCounters::snapshot);
      webVerticle.withUnhandledExceptions(() -> Map.of("hub", hubUnhandled.total(), "web", webUnhandled.total()));
      if (clusterOwnership != null) webVerticle.withClusterView(clusterOwnership::describe).withClusterRejections(rejections);
      if (hazelcast != null) {
        // Signed in on one web node, signed in on all: a browser that fails over keeps its session.
        com.hazelcast.core.HazelcastInstance hz = hazelcast;
        webVerticle.withSessionStore(webVertx -> new HazelcastSessionStore(hz).on(webVertx));
      }
      web.deployVerticle(webVerticle).await();
      httpPort = webVerticle.actualPort();
    }
    if (options.role().polls || web != null) {
      // Evaluates the devices this node polls (none on a web-only node) and lists every node's alerts.
      DeviceOwnership owned = ownership;
      // Group alerts are evaluated where the group is computed: the same predicate as GroupsVerticle's.
      ClusterOwnership groupOwner = clusterOwnership;
      vertx.deployVerticle(new AlertsVerticle(registry, config.alerts())
          .publishOnlyFor(owned::owns).withHandover(alertsHandover)
          .withGroups(groupRegistry, groupOwner == null ? g -> true : groupOwner::ownsGroup)).await();
    }
    if (options.role().polls || web != null) {
      // Before the poller, so that it hears the first discoveries of the groups' devices. On a node
      // without a poller it computes nothing (it owns no group) and serves the groups' history.
      // Deployed without groups too: an operator may create the first one over REST.
      io.ifpulse.groups.GroupsVerticle groups = new io.ifpulse.groups.GroupsVerticle(registry, groupRegistry)
          .withHistorySeconds(config.historySeconds());
      if (clusterOwnership != null) {
        groups.computeOnlyFor(clusterOwnership::ownsGroup);
        groups.withMetadataSource(handover::load);
      }
      vertx.deployVerticle(groups).await();
    }
    if (options.role().polls) {
      vertx.deployVerticle(new PollerVerticle(registry, ownership, config.poller(), handover)).await();
      if (clusterOwnership != null) clusterOwnership.announceReady();
      LOG.info("polling " + (options.cluster() ? "this node's share of " : "") + registry.devices().size() + " devices");
    }
    int trapPort = 0;
    if (config.traps().enabled()) {
      // On every node that is told to, whatever its role: the devices may send to any of them, and
      // the notification reaches its device's poller over the bus.
      io.ifpulse.traps.TrapReceiverVerticle receiver = new io.ifpulse.traps.TrapReceiverVerticle(registry, config.traps(), trapCounters);
      vertx.deployVerticle(receiver).await();
      trapPort = receiver.port();
    }
    if (web != null) System.err.println("ifpulse: dashboard at " + config.web().scheme() + "://" + config.web().host() + ":" + httpPort + "/");
    Runnable beforeClose = null;
    if (clusterOwnership != null && options.role().polls) {
      ClusterOwnership leaving = clusterOwnership;
      beforeClose = () -> {
        leaving.withdraw();
        try {
          // The others take over on the withdrawal; a moment for their first polls before ours stop.
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
    }
    return new Hub(vertx, web, httpPort, simulator, List.copyOf(devices), beforeClose, registryFile, groupsFile, trapPort);
  }

  /** --add-user and its kin: the users file of the config (or of --users-file). */
  private static int users(String[] args) {
    UserCommands.Command c;
    try {
      c = UserCommands.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ifpulse: " + e.getMessage());
      System.err.println("usage: ifpulse [--config FILE | --users-file FILE] --add-user NAME --role viewer|operator"
          + " [--devices PATTERN...] [--tags TAG...] | --add-token NAME --role ... | --remove-user NAME | --remove-token NAME | --list-users");
      return 2;
    }
    Path file = c.usersFile();
    if (file == null) {
      Map<String, String> env = System.getenv();
      Path configPath = Path.of(env.getOrDefault("IFPULSE_CONFIG", "conf/ifpulse.json"));
      for (int i = 0; i + 1 < args.length; i++) if ("--config".equals(args[i])) configPath = Path.of(args[i + 1]);
      try {
        file = HubConfig.localPath(ConfigLoader.load(configPath, env).web().auth().usersFile());
      } catch (ConfigException e) {
        System.err.println("ifpulse: bad configuration in " + configPath + ": " + e.getMessage() + " (or give --users-file FILE)");
        return 2;
      }
    }
    return UserCommands.run(c, file, System.out, System.err);
  }

  private static void usage(String problem) {
    PrintStream err = System.err;
    if (problem != null) err.println("ifpulse: " + problem);
    err.println("usage: ifpulse [--config FILE] [--print] [--check] [--cluster [--role all|poller|web|subscriber] [--simulator]]");
    System.exit(problem == null ? 0 : 2);
  }
}
