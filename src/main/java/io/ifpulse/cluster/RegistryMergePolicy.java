package io.ifpulse.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingEntry;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import java.util.logging.Logger;

/**
 * Hazelcast's merge policy of the registry map (conf/cluster.xml): when the two sides of a split
 * find each other again, each device keeps the newer of its two entries, by {@link RegistryMerge}.
 * Without it Hazelcast keeps the larger side's entry for every device the larger side has
 * (PutIfAbsent), and a removal or an edit made on the smaller side is lost.
 *
 * <p>Hazelcast makes the policy by name and hands it the member it runs on; the rule itself, which
 * needs the cluster key to check the seals, is what {@link HazelcastOverlayStore} put in the
 * member's user context under {@link #CONTEXT}. A member without it (still starting) keeps the
 * existing entry: never an unchecked one.
 */
public class RegistryMergePolicy implements SplitBrainMergePolicy<String, MergingEntry<String, String>, Object>, HazelcastInstanceAware {
  /** The user-context key of this member's {@link RegistryMerge}. */
  public static final String CONTEXT = "ifpulse.registry.merge";
  private static final Logger LOG = Logger.getLogger(RegistryMergePolicy.class.getName());

  private transient RegistryMerge rule;
  private final String context;

  public RegistryMergePolicy() {
    this(CONTEXT);
  }

  /**
   * For another map of the same kind (the groups'): Hazelcast does not tell a policy which map it
   * merges, so each map names a policy of its own, which finds that map's rule under its key.
   */
  protected RegistryMergePolicy(String context) {
    this.context = context;
  }

  @Override
  public final void setHazelcastInstance(HazelcastInstance hz) {
    rule = hz.getUserContext().get(context) instanceof RegistryMerge r ? r : null;
  }

  @Override
  public Object merge(MergingEntry<String, String> merging, MergingEntry<String, String> existing) {
    if (merging == null) return existing == null ? null : existing.getRawValue();
    String key = merging.getKey();
    String m = merging.getValue();
    String e = existing == null ? null : existing.getValue();
    if (rule == null) {
      LOG.warning(context + ": merge of " + key + " before this member knows the cluster key: kept the existing entry");
      return existing == null ? null : existing.getRawValue();
    }
    String won = rule.winner(key, m, e);
    if (won == null) return null;
    // The raw (stored) form of the winner, as Hazelcast's own policies return it.
    return won == m ? merging.getRawValue() : existing.getRawValue();
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // No state: the rule is the receiving member's own.
  }

  @Override
  public void readData(ObjectDataInput in) {
    // No state.
  }
}
