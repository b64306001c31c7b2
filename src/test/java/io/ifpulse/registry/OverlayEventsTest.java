package io.ifpulse.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.HubConfig;
import io.ifpulse.testing.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The device list follows the store's change events themselves, not a read of the whole store
 * made when an event comes. A clustered store delivers events of different entries on different
 * threads at once, and during a migration (a whole-cluster restart, when every node offers its
 * newer entries together) a whole-map read may not show yet what an event has just said: a list
 * computed from such a read lost a device until its next change.
 */
@Unit
class OverlayEventsTest {

  /**
   * A store like a map in migration: the listeners hear an entry before a whole read shows it
   * (the read catches up only with {@link #settle()}).
   */
  private static final class LaggingStore implements OverlayStore {
    final Map<String, JsonObject> visible = new ConcurrentHashMap<>();
    final Map<String, JsonObject> pending = new ConcurrentHashMap<>();
    final List<BiConsumer<String, JsonObject>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, JsonObject> snapshot() {
      return Map.copyOf(visible);
    }

    @Override
    public Future<Void> put(String id, JsonObject entry) {
      pending.put(id, entry);
      listeners.forEach(l -> l.accept(id, entry));
      return Future.succeededFuture();
    }

    void settle() {
      visible.putAll(pending);
      pending.clear();
    }

    @Override
    public void onChange(BiConsumer<String, JsonObject> listener) {
      listeners.add(listener);
    }
  }

  private static JsonObject device(String id) {
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", 161).put("credentials", "lab")
        .put(DeviceRegistry.CHANGE, new JsonObject().put("at", 1L));
  }

  private static DeviceRegistry registry(OverlayStore store) {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"credentials": {"lab": {"community": "c0mmunity-lab"}},
         "devices": [{"id": "configured", "host": "127.0.0.1", "credentials": "lab"}]}"""), Map.of());
    return new DeviceRegistry(c.devices(), c.defaults(), c.credentials(), store);
  }

  @Test
  void anEntryHeardBeforeTheStoreShowsItIsInTheList() {
    LaggingStore store = new LaggingStore();
    DeviceRegistry registry = registry(store);
    store.put("p-005", device("p-005"));
    assertNotNull(registry.device("p-005"), "the device the event named is in the list: " + ids(registry));
    store.put("p-006", device("p-006"));
    assertNotNull(registry.device("p-005"), "and stays there at the next event: " + ids(registry));
    assertNotNull(registry.device("p-006"));
    // A removal heard before the store shows it removes at once too.
    store.settle();
    store.put("configured", OverlayStore.deleted().put(DeviceRegistry.CHANGE, new JsonObject().put("at", 2L)));
    assertNull(registry.device("configured"), "the tombstone heard removes the config's device: " + ids(registry));
    assertEquals(List.of("p-005", "p-006"), ids(registry));
    assertEquals("removed", registry.audit().records(id -> true).get(0).getString("action"));
  }

  @Test
  void changesOfDifferentEntriesOnManyThreadsAtOnceAllStay() throws Exception {
    OverlayStore store = OverlayStore.inMemory();
    DeviceRegistry registry = registry(store);
    int threads = 8;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.execute(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < each; i++) store.put("t" + thread + "-" + i, device("t" + thread + "-" + i));
        });
      }
      start.countDown();
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    assertEquals(threads * each + 1, registry.devices().size(), "every device of every thread, and the configured one");
  }

  private static List<String> ids(DeviceRegistry registry) {
    return registry.devices().stream().map(DeviceConfig::id).toList();
  }
}
