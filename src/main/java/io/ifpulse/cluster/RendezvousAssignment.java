package io.ifpulse.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which member polls which device: rendezvous (highest random weight) hashing with bounded loads.
 * A pure function of the device ids and member ids, so every node computes the same answer with
 * no coordination.
 *
 * <p>Plain rendezvous moves only the devices that must move when a member joins or leaves, but its
 * balance is a matter of luck: at 300 devices on 3 members the largest share exceeds 1.2 × the
 * mean in a few percent of member sets. So each member takes at most ⌈loadFactor × devices /
 * members⌉ devices; devices are placed in id order, each on the highest-weight member with room.
 * A device only lands on its second choice when its first is full, which the cap makes rare, so
 * almost all moves are still the necessary ones.
 */
public final class RendezvousAssignment {
  private RendezvousAssignment() {}

  public static Map<String, String> assign(List<String> deviceIds, List<String> memberIds, double loadFactor) {
    return assign(deviceIds, memberIds, loadFactor, (d, m) -> true);
  }

  /**
   * As above, each device only on a member that {@code eligible} allows (one that has the
   * device's credential). A device whose eligible members are all full goes to the best of them
   * anyway (it must be polled somewhere); a device with no eligible member has no owner.
   */
  public static Map<String, String> assign(List<String> deviceIds, List<String> memberIds, double loadFactor,
      java.util.function.BiPredicate<String, String> eligible) {
    Map<String, String> out = new LinkedHashMap<>();
    if (memberIds.isEmpty()) return out;
    List<String> devices = new ArrayList<>(deviceIds);
    devices.sort(Comparator.naturalOrder());
    List<String> members = new ArrayList<>(memberIds);
    members.sort(Comparator.naturalOrder());
    int cap = (int) Math.ceil(loadFactor * devices.size() / members.size());
    Map<String, Integer> load = new HashMap<>();
    for (String d : devices) {
      String best = null;
      long bestWeight = 0;
      String bestFull = null;
      long bestFullWeight = 0;
      // Highest weight among eligible members with room; ties (practically impossible) by member order.
      for (String m : members) {
        if (!eligible.test(d, m)) continue;
        long w = weight(d, m);
        if (load.getOrDefault(m, 0) >= cap) {
          if (bestFull == null || Long.compareUnsigned(w, bestFullWeight) > 0) {
            bestFull = m;
            bestFullWeight = w;
          }
          continue;
        }
        if (best == null || Long.compareUnsigned(w, bestWeight) > 0) {
          best = m;
          bestWeight = w;
        }
      }
      if (best == null) best = bestFull;
      if (best == null) continue;
      out.put(d, best);
      load.merge(best, 1, Integer::sum);
    }
    return out;
  }

  /** A 64-bit hash of the pair: FNV-1a over both ids, then a SplitMix64 finaliser to spread it. */
  static long weight(String device, String member) {
    long h = 0xcbf29ce484222325L;
    for (byte b : device.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
    h = (h ^ 0xff) * 0x100000001b3L; // separator: ("ab","c") and ("a","bc") differ
    for (byte b : member.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
