package io.ifpulse.cluster;

/**
 * The merge policy of the groups' map {@code ifpulse.groups} (conf/cluster.xml): the registry's
 * rule, newest change wins, tombstones included ({@link RegistryMerge}), checked against the
 * groups map's own seals.
 */
public final class GroupsMergePolicy extends RegistryMergePolicy {
  /** The user-context key of this member's rule for the groups' map. */
  public static final String CONTEXT = "ifpulse.groups.merge";

  public GroupsMergePolicy() {
    super(CONTEXT);
  }
}
