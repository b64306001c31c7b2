package io.ifpulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.MergingEntry;
import io.ifpulse.cluster.ClusterRejections.Reason;
import io.ifpulse.registry.DeviceRegistry;
import io.ifpulse.registry.OverlayStore;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

/**
 * The registry's merge rule after a split: newest change wins, tombstones included, and an entry
 * that does not verify never wins. One row per case, through Hazelcast's policy interface as the
 * map calls it.
 */
@Unit
class RegistryMergeTest {
  private static final String MAP = HazelcastOverlayStore.MAP;
  private static final ClusterKey KEY = ClusterKey.of("the-cluster-key-of-this-test-0123456789");

  private final ClusterRejections rejections = new ClusterRejections();
  private final SignedMap sideA = new SignedMap(MAP, KEY, () -> "member-a", rejections);
  private final SignedMap sideB = new SignedMap(MAP, KEY, () -> "member-b", rejections);
  private final RegistryMergePolicy policy = policy(new RegistryMerge(new SignedMap(MAP, KEY, () -> "member-c", rejections)));

  private static JsonObject edit(String host, long at) {
    return new JsonObject().put("id", "sw1").put("host", host).put(DeviceRegistry.CHANGE, new JsonObject().put("at", at));
  }

  private static JsonObject removal(long at) {
    return OverlayStore.deleted().put(DeviceRegistry.CHANGE, new JsonObject().put("at", at));
  }

  /** The policy as Hazelcast makes it: by name, then handed a member whose user context holds the rule. */
  private static RegistryMergePolicy policy(RegistryMerge rule) {
    ConcurrentMap<String, Object> context = new ConcurrentHashMap<>();
    if (rule != null) context.put(RegistryMergePolicy.CONTEXT, rule);
    HazelcastInstance hz = (HazelcastInstance) Proxy.newProxyInstance(RegistryMergeTest.class.getClassLoader(),
        new Class<?>[] {HazelcastInstance.class}, (p, method, args) -> {
          if (method.getName().equals("getUserContext")) return context;
          throw new UnsupportedOperationException(method.getName());
        });
    RegistryMergePolicy p = new RegistryMergePolicy();
    p.setHazelcastInstance(hz);
    return p;
  }

  /** An entry as Hazelcast hands it to the policy; the raw form stands apart so the test sees which was returned. */
  private record Entry(String key, String value, Object raw) implements MergingEntry<String, String> {
    Entry(String key, String value) {
      this(key, value, new Object());
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public Object getRawKey() {
      return key;
    }

    @Override
    public String getValue() {
      return value;
    }

    @Override
    public Object getRawValue() {
      return raw;
    }
  }

  @Test
  void aRemovalNewerThanTheOtherSidesEntryWins() {
    Entry existing = new Entry("sw1", sideA.seal("sw1", edit("10.0.0.1", 1_000)));
    Entry merging = new Entry("sw1", sideB.seal("sw1", removal(2_000)));
    assertSame(merging.raw(), policy.merge(merging, existing));
  }

  @Test
  void anEditNewerThanTheOtherSidesRemovalWins() {
    Entry existing = new Entry("sw1", sideA.seal("sw1", removal(1_000)));
    Entry merging = new Entry("sw1", sideB.seal("sw1", edit("10.0.0.2", 2_000)));
    assertSame(merging.raw(), policy.merge(merging, existing));
  }

  @Test
  void theChangeTimeDecidesNotTheOrderOfSealing() {
    // The larger side re-sealed an old change later (a node restoring its file): still the older change.
    Entry merging = new Entry("sw1", sideB.seal("sw1", edit("10.0.0.2", 2_000)));
    Entry existing = new Entry("sw1", sideA.seal("sw1", edit("10.0.0.1", 1_000)));
    assertSame(merging.raw(), policy.merge(merging, existing));
  }

  @Test
  void anOlderChangeFromTheSmallerSideLoses() {
    Entry merging = new Entry("sw1", sideB.seal("sw1", edit("10.0.0.2", 1_000)));
    Entry existing = new Entry("sw1", sideA.seal("sw1", removal(2_000)));
    assertSame(existing.raw(), policy.merge(merging, existing));
  }

  @Test
  void withTheSameChangeTimeTheLaterSealWins() {
    Entry existing = new Entry("sw1", sideA.seal("sw1", edit("10.0.0.1", 1_000)));
    Entry merging = new Entry("sw1", sideB.seal("sw1", edit("10.0.0.2", 1_000)));
    assertSame(merging.raw(), policy.merge(merging, existing));
  }

  @Test
  void anEntryOnlyOneSideHasIsKept() {
    Entry merging = new Entry("sw2", sideB.seal("sw2", edit("10.0.0.2", 1_000)));
    assertSame(merging.raw(), policy.merge(merging, null));
  }

  @Test
  void aForgedEntryNeverWinsWhateverTimeItClaimsAndIsCounted() {
    SignedMap forger = new SignedMap(MAP, ClusterKey.of("not-the-cluster-key-0123456789-abcdef"), () -> "member-x", new ClusterRejections());
    Entry existing = new Entry("sw1", sideA.seal("sw1", edit("10.0.0.1", 1_000)));
    Entry forged = new Entry("sw1", forger.seal("sw1", removal(Long.MAX_VALUE / 2)));
    assertSame(existing.raw(), policy.merge(forged, existing));
    assertNull(policy.merge(forged, null), "a forged entry with nothing to lose to is dropped");
    assertEquals(2, rejections.get(MAP, Reason.BAD_MAC));
  }

  @Test
  void anEntryMovedToAnotherKeyDoesNotVerify() {
    Entry existing = new Entry("sw1", sideA.seal("sw1", edit("10.0.0.1", 1_000)));
    Entry moved = new Entry("sw1", sideB.seal("sw9", removal(2_000)));
    assertSame(existing.raw(), policy.merge(moved, existing));
  }

  @Test
  void aMemberThatDoesNotKnowTheKeyYetKeepsWhatIsThere() {
    RegistryMergePolicy early = policy(null);
    Entry existing = new Entry("sw1", sideA.seal("sw1", edit("10.0.0.1", 1_000)));
    Entry merging = new Entry("sw1", sideB.seal("sw1", removal(2_000)));
    assertSame(existing.raw(), early.merge(merging, existing));
    assertNull(early.merge(merging, null));
  }
}
