package io.ifpulse.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.ifpulse.IoTransport;
import io.ifpulse.events.SharedJsonCodec;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Joins (or forms) the cluster described by conf/cluster.xml, with the per-deployment values taken
 * from the environment, and returns a clustered Vert.x.
 */
public final class ClusterNode {
  private ClusterNode() {}

  /** A clustered Vert.x and the Hazelcast member under it. */
  public record Joined(Vertx vertx, HazelcastInstance hazelcast) {}

  /**
   * Options of the hub's Vert.x (the poller, alerts and the event bus; the web side has its own).
   * One event loop: the poller publishes every sample to consumers on the same thread, so a sample
   * costs no thread wake-up per consumer (on a virtual machine the kernel side of a thread switch
   * was the largest single item of the hub's perf profile). One loop carries 285,000 varbinds/s
   * at about half a core (docs/BENCHMARKS.md).
   */
  public static VertxOptions hubOptions() {
    return new VertxOptions().setEventLoopPoolSize(1);
  }

  public static Joined join(Path clusterXml, Map<String, String> env, boolean poller) throws IOException {
    Properties p = new Properties();
    p.setProperty("ifpulse.cluster.name", env.getOrDefault("IFPULSE_CLUSTER_NAME", "ifpulse"));
    p.setProperty("ifpulse.cluster.members", env.getOrDefault("IFPULSE_CLUSTER_MEMBERS", "127.0.0.1"));
    p.setProperty("ifpulse.cluster.interface", env.getOrDefault("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1"));
    p.setProperty("ifpulse.cluster.port", env.getOrDefault("IFPULSE_CLUSTER_PORT", "5701"));
    Config config;
    try (InputStream in = Files.newInputStream(clusterXml)) {
      config = new XmlConfigBuilder(in).setProperties(p).build();
    }
    // Members listed without a port are probed on this many ports from the first one.
    config.setProperty("hazelcast.tcp.join.port.try.count", "10");
    config.getMemberAttributeConfig().setAttribute(ClusterOwnership.POLLER_ATTRIBUTE, String.valueOf(poller));
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    String busHost = env.getOrDefault("IFPULSE_BUS_HOST", env.getOrDefault("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1"));
    VertxOptions options = IoTransport.apply(hubOptions(), env).setEventBusOptions(new EventBusOptions().setHost(busHost));
    Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered().await();
    // Samples travel under this codec's name; a node without it could not read them.
    SharedJsonCodec.register(vertx.eventBus());
    return new Joined(vertx, manager.getHazelcastInstance());
  }
}
