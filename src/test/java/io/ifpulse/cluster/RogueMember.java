package io.ifpulse.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * A plain Hazelcast member, in the test's own JVM, that joins a {@link ClusterNodes} cluster by
 * its name and port, as any process on the network could: no cluster key, no certificate, no
 * ifpulse. What it writes to the maps is what an attacker on the cluster network can write.
 */
final class RogueMember implements AutoCloseable {
  final HazelcastInstance hz;

  private RogueMember(HazelcastInstance hz) {
    this.hz = hz;
  }

  /** Joins the cluster of {@code nodes}; {@code poller} sets the attribute ifpulse's pollers carry. */
  static RogueMember join(ClusterNodes nodes, boolean poller) {
    Config c = new Config();
    c.setClusterName(nodes.clusterName);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    c.getNetworkConfig().setPort(nodes.hazelcastPort).setPortAutoIncrement(true).setPortCount(20);
    c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = c.getNetworkConfig().getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + nodes.hazelcastPort);
    if (poller) c.getMemberAttributeConfig().setAttribute(ClusterOwnership.POLLER_ATTRIBUTE, "true");
    return new RogueMember(Hazelcast.newHazelcastInstance(c));
  }

  String uuid() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }

  @Override
  public void close() {
    hz.shutdown();
  }
}
