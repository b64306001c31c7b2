package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.ifpulse.cluster.ClusterNodes.Role;
import io.ifpulse.cluster.ClusterNodes.View;
import io.ifpulse.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A process that reaches the cluster's Hazelcast port and knows its name joins as a member (the
 * open-source edition authenticates nobody). Without the cluster key it tries what such a member
 * can: tombstones for every device, a device of its own, a claim to be a poller, forged hand-over
 * counters, and a real node's sealed entries copied under other keys. Every device stays polled
 * exactly once, nothing is deleted or added, nobody polls its device, and each refusal is counted.
 */
class ClusterRogueMemberTest {
  private static final String KEY = "rogue-test-cluster-key-0123456789-abcdef";

  @Test
  void aMemberWithoutTheKeyCannotSteerTheCluster() throws Exception {
    List<String> ids = ClusterNodes.ids("g", 20);
    try (Simulator sim = ClusterNodes.simulator(ids);
        ClusterNodes nodes = new ClusterNodes("rogue", ClusterNodes.config(ClusterNodes.ports(sim, ids))).env(ClusterKey.ENV, KEY);
        DatagramSocket target = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
      nodes.startAndWait(0, Role.ALL, Duration.ofSeconds(90));
      nodes.startAndWait(1, Role.ALL, Duration.ofSeconds(90));
      // One device added at run time: the registry map then holds a genuine, sealed entry to copy.
      String added = "g-added";
      JsonObject entry = ClusterNodes.device(added, sim.port(ids.get(0)));
      assertEquals(201, nodes.post(0, "/api/devices", entry).status());
      Set<String> all = new HashSet<>(ids);
      all.add(added);
      nodes.awaitSettled(List.of(0, 1), 2, all, Duration.ofSeconds(60));

      try (RogueMember rogue = RogueMember.join(nodes, true)) {
        IMap<String, String> registry = rogue.hz.getMap(HazelcastOverlayStore.MAP);
        IMap<String, String> pollers = rogue.hz.getMap(ClusterOwnership.READY_MAP);
        IMap<String, String> handover = rogue.hz.getMap(HazelcastHandoverStore.MAP);
        String genuine = registry.get(added);
        assertTrue(genuine != null && genuine.startsWith("ifp1 "), "the registry holds sealed entries: " + genuine);
        // Tombstones for every device, plain and in the envelope's shape with a made-up MAC.
        for (String id : all) {
          registry.set(id, "{\"deleted\":true}");
          registry.set(id, "ifp1 " + rogue.uuid() + " 999999999999999999 AAAA {\"deleted\":true}");
        }
        // A device of its own, pointing at a host of its choice; and a genuine entry under another key.
        JsonObject mine = new JsonObject().put("id", "rogue-dev").put("host", "127.0.0.2").put("port", target.getLocalPort())
            .put("credentials", ClusterNodes.CREDENTIAL);
        registry.set("rogue-dev", mine.encode());
        registry.set("rogue-copy", genuine);
        // It says it polls, plainly and with a real node's sealed announcement copied under its id.
        String realAnnouncement = null;
        for (Map.Entry<String, String> e : pollers.entrySet()) realAnnouncement = e.getValue();
        pollers.set(rogue.uuid(), "ready");
        pollers.set(rogue.uuid(), realAnnouncement);
        // Forged hand-over counters for a device.
        handover.set(ids.get(1), new JsonObject().put("seq", 1).put("endpoint", "127.0.0.1:1").encode());

        // The two nodes see three members, and between them still poll every device exactly once.
        Map<Integer, View> views = nodes.awaitSettled(List.of(0, 1), 3, all, Duration.ofSeconds(30));
        for (View v : views.values()) {
          assertFalse(v.owners().containsValue(rogue.uuid()), "the rogue owns nothing: " + v.owners());
          assertFalse(v.owners().containsKey("rogue-dev"));
        }
        ClusterNodes.sleep(3000); // observation window: polls keep their schedule with the rogue present
        nodes.awaitSettled(List.of(0, 1), 3, all, Duration.ofSeconds(10));
        for (int n : List.of(0, 1)) {
          Set<String> listed = nodes.devices(n).keySet();
          assertEquals(all, listed, "node-" + n + " lists exactly the real devices");
        }
        assertNull(datagram(target), "nobody polls the rogue's device");
        for (int n : List.of(0, 1)) {
          String file = Files.readString(nodes.node(n).registryFile);
          assertFalse(file.contains("deleted") || file.contains("rogue"), "node-" + n + "'s registry file is untouched: " + file);
          String metrics = nodes.get(n, "/metrics").body();
          assertTrue(counted(metrics, HazelcastOverlayStore.MAP, "bad-mac") > 0 || counted(metrics, HazelcastOverlayStore.MAP, "malformed") > 0,
              "node-" + n + " counted the registry entries it refused");
          assertTrue(counted(metrics, ClusterOwnership.READY_MAP, "bad-mac") + counted(metrics, ClusterOwnership.READY_MAP, "malformed") > 0,
              "node-" + n + " counted the announcements it refused");
          // The history's one answer for all devices (an object, not JSON) is read on a clustered bus too.
          for (String id : all) {
            assertTrue(metrics.contains("ifpulse_device_poll_interval_seconds{device=\"" + id + "\"}"),
                "node-" + n + " scrapes " + id + ", whoever polls it");
          }
        }
      }
    }
  }

  private static long counted(String metrics, String map, String reason) {
    String series = "ifpulse_cluster_rejected_entries_total{map=\"" + map + "\",reason=\"" + reason + "\"} ";
    for (String line : metrics.split("\n")) if (line.startsWith(series)) return (long) Double.parseDouble(line.substring(series.length()));
    return 0;
  }

  private static byte[] datagram(DatagramSocket s) throws Exception {
    s.setSoTimeout(2000);
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    try {
      s.receive(p);
      return p.getData();
    } catch (SocketTimeoutException none) {
      return null;
    }
  }
}
