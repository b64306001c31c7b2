package io.ifpulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.AlertConfig;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.events.Addresses;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.EventJson;
import io.ifpulse.events.GroupSample;
import io.ifpulse.testing.MemoryHandoverStore;
import io.ifpulse.testing.Unit;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A group's alert across two nodes (two Vert.x instances sharing a hand-over store, as a cluster's
 * nodes share the alerts' map): the group moves from one to the other mid-wait, and the new node
 * goes on from the saved state: no second raise, and the clear's wait counts from the old node's
 * first sample under the level. And a group gone from the config is cleared, once.
 */
@Unit
class GroupAlertsHandoverTest {
  private static final long T0 = 1_795_677_200_000L;
  /** Raise at 60 % at once; clear below 40 % for 2 s. */
  private static final GroupConfig UPLINKS = new GroupConfig("uplinks", List.of(), new AlertConfig(60, 40, 0, 2, 1.0, 10.0, true));

  private final List<Vertx> nodes = new CopyOnWriteArrayList<>();
  private final MemoryHandoverStore store = new MemoryHandoverStore();

  @AfterEach
  void close() {
    for (Vertx v : nodes) v.close().await();
  }

  private Vertx node(List<GroupConfig> groups, java.util.function.Predicate<String> computedHere, List<AlertEvent> heard) {
    Vertx v = Vertx.vertx();
    nodes.add(v);
    v.eventBus().consumer(Addresses.ALERTS, m -> heard.add(EventJson.alert(m.body())));
    v.deployVerticle(new AlertsVerticle(List.of(), AlertConfig.defaults()).withHandover(store).withGroups(groups, computedHere)).await();
    return v;
  }

  private static void publish(Vertx node, double seconds, double inUtil) {
    GroupSample s = GroupRulesTest.sample("uplinks", seconds, inUtil, 0, List.of());
    node.eventBus().publish(Addresses.group("uplinks"), s);
  }

  private static void await(List<AlertEvent> heard, int n) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> heard.size() >= n);
  }

  /**
   * On node {@code a}: the alert raised at 0 s, a sample under the clear level at 1 s, and then
   * until the saved state holds that wait under way, as the next node will read it.
   */
  private void raiseThenStartTheClearsWait(Vertx a, List<AlertEvent> heardA) {
    publish(a, 0, 70);
    await(heardA, 1);
    assertEquals(AlertEvent.State.RAISED, heardA.get(0).state());
    publish(a, 1, 10);
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> store.has("group/uplinks") && store.get("group/uplinks").getValue("pendingSince") != null);
  }

  @Test
  void theNodeThatComputesTheGroupNextGoesOnFromTheSavedState() {
    AtomicBoolean onA = new AtomicBoolean(true);
    List<AlertEvent> heardA = new CopyOnWriteArrayList<>();
    List<AlertEvent> heardB = new CopyOnWriteArrayList<>();
    Vertx a = node(List.of(UPLINKS), g -> onA.get(), heardA);
    Vertx b = node(List.of(UPLINKS), g -> !onA.get(), heardB);

    raiseThenStartTheClearsWait(a, heardA);

    onA.set(false); // the group moves to B
    publish(b, 2, 70); // over the level: B, which knows it raised, raises nothing; the wait starts over
    publish(b, 3, 10);
    publish(b, 4, 10);
    publish(b, 5, 10);
    await(heardB, 1);
    AlertEvent clear = heardB.get(0);
    assertEquals(AlertEvent.State.CLEARED, clear.state(), heardB.toString());
    assertEquals(T0 + 3000, clear.since(), "the wait restarted at 70 %, so since the sample at 3 s: " + clear);
    assertEquals(T0 + 5000, clear.ts());
    assertEquals(1, heardB.size(), heardB.toString());
  }

  @Test
  void aWaitUnderWayCarriesOver() {
    AtomicBoolean onA = new AtomicBoolean(true);
    List<AlertEvent> heardA = new CopyOnWriteArrayList<>();
    List<AlertEvent> heardB = new CopyOnWriteArrayList<>();
    Vertx a = node(List.of(UPLINKS), g -> onA.get(), heardA);
    Vertx b = node(List.of(UPLINKS), g -> !onA.get(), heardB);
    raiseThenStartTheClearsWait(a, heardA);
    onA.set(false);
    publish(b, 3, 10); // 2 s after A's first sample under the level: cleared at once
    await(heardB, 1);
    assertEquals(AlertEvent.State.CLEARED, heardB.get(0).state());
    assertEquals(T0 + 1000, heardB.get(0).since(), "counted from A's sample: " + heardB);
    assertEquals(1, heardA.stream().filter(e -> e.state() == AlertEvent.State.RAISED).count());
  }

  @Test
  void aGroupGoneFromTheConfigIsClearedOnceByTheNodeThatWouldComputeIt() {
    List<AlertEvent> heardA = new CopyOnWriteArrayList<>();
    Vertx a = node(List.of(UPLINKS), g -> true, heardA);
    publish(a, 0, 70);
    await(heardA, 1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> store.has("group/uplinks"));

    // A node started with a config without the group; one that does not compute it says nothing.
    List<AlertEvent> elsewhere = new CopyOnWriteArrayList<>();
    node(List.of(), g -> false, elsewhere);
    List<AlertEvent> heardC = new CopyOnWriteArrayList<>();
    node(List.of(), g -> true, heardC);
    await(heardC, 1);
    AlertEvent clear = heardC.get(0);
    assertEquals("group:uplinks/utilisation", clear.id());
    assertEquals(AlertEvent.State.CLEARED, clear.state());
    assertEquals("removed", clear.reason());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !store.has("group/uplinks"));
    assertEquals(1, heardC.size());
    assertEquals(List.of(), elsewhere, "a node that would not compute the group says nothing");
  }
}
