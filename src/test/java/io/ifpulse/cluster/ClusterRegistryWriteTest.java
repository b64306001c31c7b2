package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.ifpulse.registry.LocalOverlayStore;
import io.ifpulse.registry.RegistryUnavailable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node's registry change is kept by its own disk first, then by the shared map: when
 * either refuses it, the change fails as {@link RegistryUnavailable} (503) and neither the map,
 * nor the device list, nor the node's file holds it.
 */
class ClusterRegistryWriteTest {
  private static final ClusterKey KEY = ClusterKey.of("the-cluster-key-of-this-test-0123456789");

  @TempDir Path dir;
  private HazelcastInstance hz;
  private Path sub;
  private LocalOverlayStore file;
  private HazelcastOverlayStore store;
  private final List<String> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Config c = new Config().setClusterName("ifpulse-registry-write-" + UUID.randomUUID());
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(100);
    c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
    c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    hz = Hazelcast.newHazelcastInstance(c);
    sub = dir.resolve("registry");
    file = new LocalOverlayStore(sub.resolve("devices.json"));
    store = new HazelcastOverlayStore(hz, file, KEY, new ClusterRejections());
    store.onChange((id, entry) -> heard.add(id));
  }

  @AfterEach
  void stop() {
    file.close();
    if (hz.getLifecycleService().isRunning()) hz.shutdown();
  }

  /** Refuses every write to the map, as an unreachable partition owner would. */
  static final class RefusingInterceptor implements com.hazelcast.map.MapInterceptor {
    private static final long serialVersionUID = 1L;

    @Override
    public Object interceptGet(Object value) {
      return null;
    }

    @Override
    public void afterGet(Object value) {}

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
      throw new IllegalStateException("partition owner unreachable");
    }

    @Override
    public void afterPut(Object value) {}

    @Override
    public Object interceptRemove(Object removedValue) {
      return null;
    }

    @Override
    public void afterRemove(Object value) {}
  }

  private static JsonObject device(String id) {
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", 161).put("credentials", "lab");
  }

  private static void await(Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aMemberThatLeftRefusesAndWritesNothing() throws Exception {
    await(store.put("kept", device("kept")));
    hz.shutdown();
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.put("refused", device("refused"))));
    assertInstanceOf(RegistryUnavailable.class, e.getCause());
    file.close();
    assertFalse(Files.readString(sub.resolve("devices.json")).contains("\"refused\""));
  }

  @Test
  void aChangeTheDiskRefusesNeverReachesTheMap() throws Exception {
    await(store.put("kept", device("kept")));
    assertTrue(store.snapshot().containsKey("kept"));
    // The node's registry directory becomes unwritable (even for root): a file where it was.
    Files.delete(sub.resolve("devices.json"));
    Files.delete(sub);
    Files.writeString(sub, "not a directory");

    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.put("refused", device("refused"))));
    assertInstanceOf(RegistryUnavailable.class, e.getCause());
    assertNull(hz.getMap(HazelcastOverlayStore.MAP).get("refused"), "the map never saw it");
    assertFalse(store.snapshot().containsKey("refused"));
    assertFalse(heard.contains("refused"), "no node's device list heard of it");
  }

  @Test
  void aChangeTheMapRefusesIsTakenBackOutOfTheFile() throws Exception {
    await(store.put("kept", device("kept")));
    // The map refuses: its entries are read-only for this test's sake, as a map whose partition
    // owner is gone would time out.
    hz.getMap(HazelcastOverlayStore.MAP).addInterceptor(new RefusingInterceptor());

    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.put("refused", device("refused"))));
    assertInstanceOf(RegistryUnavailable.class, e.getCause());
    // The restore is queued behind the refused write on the same writer: closing drains both.
    file.close();
    String onDisk = Files.readString(sub.resolve("devices.json"));
    assertTrue(onDisk.contains("\"kept\""), onDisk);
    assertFalse(onDisk.contains("\"refused\""), "the node's file says what the cluster says: " + onDisk);
    assertFalse(heard.contains("refused"));
  }
}
