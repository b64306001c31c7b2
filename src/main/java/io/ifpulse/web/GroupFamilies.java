package io.ifpulse.web;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The interface groups' series of {@code /metrics}, from each group's latest sample as this node
 * heard it ({@code ifpulse.groups.current}), cut to the groups the account may see. A partial
 * sample's totals are left out (a sum without some members is not the group's), and its missing
 * members counted: an alert on {@code ifpulse_group_missing_members > 0} tells a silent member.
 */
final class GroupFamilies {
  private GroupFamilies() {}

  static MetricSnapshots collect(JsonObject current, Predicate<String> visible) {
    List<GaugeDataPointSnapshot> bps = new ArrayList<>();
    List<GaugeDataPointSnapshot> util = new ArrayList<>();
    List<GaugeDataPointSnapshot> members = new ArrayList<>();
    List<GaugeDataPointSnapshot> missing = new ArrayList<>();
    for (String name : new TreeSet<>(current.fieldNames())) {
      if (!visible.test(name)) continue;
      JsonObject s = current.getJsonObject(name);
      Labels group = Labels.of("group", name);
      members.add(new GaugeDataPointSnapshot(s.getInteger("members", 0), group, null));
      missing.add(new GaugeDataPointSnapshot(s.getInteger("missingCount", 0), group, null));
      if (s.getBoolean("partial", false)) continue;
      for (String dir : new String[] {"in", "out"}) {
        Labels l = Labels.of("direction", dir, "group", name);
        if (s.getValue(dir + "Bps") instanceof Number n) bps.add(new GaugeDataPointSnapshot(n.doubleValue(), l, null));
        if (s.getValue(dir + "Util") instanceof Number n) util.add(new GaugeDataPointSnapshot(n.doubleValue(), l, null));
      }
    }
    List<MetricSnapshot> out = new ArrayList<>();
    add(out, "ifpulse_group_bits_per_second", "an interface group's traffic in bit/s, summed over its members", bps);
    add(out, "ifpulse_group_utilisation_percent", "an interface group's traffic over its members' summed speed, percent", util);
    add(out, "ifpulse_group_members", "interfaces in the group", members);
    add(out, "ifpulse_group_missing_members", "members whose rates are missing from the group's latest sample", missing);
    return new MetricSnapshots(out);
  }

  private static void add(List<MetricSnapshot> out, String name, String help, List<GaugeDataPointSnapshot> points) {
    if (!points.isEmpty()) out.add(new GaugeSnapshot(new MetricMetadata(name, help), points));
  }
}
