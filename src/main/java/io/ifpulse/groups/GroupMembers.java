package io.ifpulse.groups;

import io.ifpulse.config.GroupConfig;
import io.ifpulse.events.StatusEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which interfaces a group holds now: its member rules matched against every device's interfaces as
 * their last discovery listed them (the {@code discovered} and {@code interfaces-changed} status
 * events), so a group follows rediscovery. Pure: the verticle calls it again whenever a device's
 * interfaces change or a device is added or removed.
 */
public final class GroupMembers {
  /**
   * The most interfaces one group sums: each is an entry in every sample (the stacked members),
   * so an overly wide rule ({@code "*"} on a large fleet) must not make a sample of megabytes.
   */
  public static final int MAX_INTERFACES = 1000;

  private GroupMembers() {}

  /**
   * @param interfaces every device's polled interfaces as last discovered; a device in
   *     {@code devices} without an entry has not been discovered yet
   * @param devices the ids of every device of the hub now
   */
  public static Resolved resolve(GroupConfig group, Collection<String> devices, Map<String, List<StatusEvent.Interface>> interfaces) {
    TreeSet<MemberRef> out = new TreeSet<>();
    TreeSet<String> undiscovered = new TreeSet<>();
    int cut = 0;
    for (String device : new TreeSet<>(devices)) {
      for (GroupConfig.Member rule : group.members()) {
        if (!rule.matchesDevice(device)) continue;
        List<StatusEvent.Interface> ifs = interfaces.get(device);
        if (ifs == null) {
          undiscovered.add(device);
          continue;
        }
        for (StatusEvent.Interface i : ifs) {
          if (!rule.interfaces().accepts(i.name(), i.alias(), i.descr(), i.type(), i.admin(), i.oper())) continue;
          MemberRef ref = new MemberRef(device, i.ifIndex(), i.name());
          if (out.contains(ref)) continue; // two rules naming one interface count it once
          if (out.size() >= MAX_INTERFACES) {
            cut++;
          } else {
            out.add(ref);
          }
        }
      }
    }
    return new Resolved(List.copyOf(out), List.copyOf(undiscovered), cut);
  }

  /**
   * @param members the interfaces summed, by device id then ifIndex
   * @param undiscovered devices a rule names whose interfaces are not known yet: the group's
   *     samples are partial while there are any, since their share is not in the total
   * @param cut interfaces left out above {@link #MAX_INTERFACES}
   */
  public record Resolved(List<MemberRef> members, List<String> undiscovered, int cut) {}
}
