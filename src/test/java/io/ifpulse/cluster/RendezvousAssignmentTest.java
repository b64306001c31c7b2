package io.ifpulse.cluster;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ownership function, over many random member sets (member ids are random UUIDs). */
@Unit
class RendezvousAssignmentTest {
  private static final int TRIALS = 300;

  private static List<String> devices(int n) {
    List<String> d = new ArrayList<>();
    for (int i = 0; i < n; i++) d.add("dev-" + i);
    return d;
  }

  private static List<String> members(Random r, int n) {
    List<String> m = new ArrayList<>();
    for (int i = 0; i < n; i++) m.add(new UUID(r.nextLong(), r.nextLong()).toString());
    return m;
  }

  private static int largest(Map<String, String> owners) {
    Map<String, Integer> load = new HashMap<>();
    owners.values().forEach(m -> load.merge(m, 1, Integer::sum));
    return load.values().stream().max(Integer::compare).orElse(0);
  }

  @Test
  void everyDeviceHasExactlyOneOwnerAndTheLargestShareIsBounded() {
    Random r = new Random(42);
    List<String> devices = devices(300);
    for (int t = 0; t < TRIALS; t++) {
      List<String> members = members(r, 3);
      Map<String, String> owners = RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR);
      assertEquals(300, owners.size());
      assertTrue(members.containsAll(owners.values()));
      double cap = Math.ceil(ClusterOwnership.LOAD_FACTOR * 100);
      assertTrue(largest(owners) <= cap, "largest share " + largest(owners) + " > the cap " + cap + " (mean 100)");
      // Any node computes the same, whatever order it lists members and devices in.
      List<String> reversed = new ArrayList<>(members);
      java.util.Collections.reverse(reversed);
      List<String> devicesReversed = new ArrayList<>(devices);
      java.util.Collections.reverse(devicesReversed);
      assertEquals(owners, RendezvousAssignment.assign(devicesReversed, reversed, ClusterOwnership.LOAD_FACTOR));
    }
  }

  @Test
  void aLeaveMovesOnlyTheLeaversDevicesAndAJoinOnlyTheJoinersShare() {
    Random r = new Random(7);
    List<String> devices = devices(300);
    int extraMovesLeave = 0;
    int extraMovesJoin = 0;
    for (int t = 0; t < TRIALS; t++) {
      List<String> members = members(r, 3);
      Map<String, String> before = RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR);
      String leaver = members.get(0);
      Map<String, String> afterLeave = RendezvousAssignment.assign(devices, members.subList(1, 3), ClusterOwnership.LOAD_FACTOR);
      for (String d : devices) {
        if (!before.get(d).equals(leaver) && !before.get(d).equals(afterLeave.get(d))) extraMovesLeave++;
      }
      List<String> joined = new ArrayList<>(members);
      String joiner = new UUID(r.nextLong(), r.nextLong()).toString();
      joined.add(joiner);
      Map<String, String> afterJoin = RendezvousAssignment.assign(devices, joined, ClusterOwnership.LOAD_FACTOR);
      int toJoiner = 0;
      for (String d : devices) {
        if (afterJoin.get(d).equals(joiner)) toJoiner++;
        else if (!afterJoin.get(d).equals(before.get(d))) extraMovesJoin++;
      }
      assertTrue(toJoiner >= 50 && toJoiner <= 90, "a joiner takes about a quarter: " + toJoiner);
    }
    double perLeave = extraMovesLeave / (double) TRIALS;
    double perJoin = extraMovesJoin / (double) TRIALS;
    System.out.printf("ownership: devices moved beyond the necessary ones, per membership change of 300 devices: leave %.2f, join %.2f%n",
        perLeave, perJoin);
    // Bounded loads cost a few extra moves only when a member's first choices exceed its cap.
    assertTrue(perLeave < 3 && perJoin < 3, "extra moves: leave " + perLeave + ", join " + perJoin);
  }

  // ---- eligibility: a device only on a poller that has its credential

  /** Each device's credential (null: written inline, every node has it) and each member's credentials. */
  private static java.util.function.BiPredicate<String, String> eligibility(Map<String, String> credentialOf,
      Map<String, java.util.Set<String>> credentialsOf) {
    return (device, member) -> {
      String c = credentialOf.get(device);
      return c == null || credentialsOf.get(member).contains(c);
    };
  }

  @Test
  void aDeviceGoesOnlyToAMemberThatHasItsCredential() {
    Random r = new Random(11);
    List<String> devices = devices(300);
    for (int t = 0; t < TRIALS; t++) {
      List<String> members = members(r, 4);
      // "core" on two members, "edge" on one, "lab" on all four; a third of the devices inline.
      Map<String, java.util.Set<String>> has = new HashMap<>();
      for (int i = 0; i < 4; i++) has.put(members.get(i), new java.util.HashSet<>(List.of("lab")));
      has.get(members.get(0)).add("core");
      has.get(members.get(1)).add("core");
      has.get(members.get(2)).add("edge");
      Map<String, String> credentialOf = new HashMap<>();
      String[] names = {null, "core", "edge", "lab"};
      for (int i = 0; i < devices.size(); i++) if (names[i % 4] != null) credentialOf.put(devices.get(i), names[i % 4]);

      Map<String, String> owners = RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR, eligibility(credentialOf, has));

      assertEquals(300, owners.size(), "every device has a member with its credential");
      for (String d : devices) {
        String c = credentialOf.get(d);
        assertTrue(c == null || has.get(owners.get(d)).contains(c), d + " (" + c + ") on " + owners.get(d) + " which has " + has.get(owners.get(d)));
      }
      long onEdge = devices.stream().filter(d -> "edge".equals(credentialOf.get(d))).map(owners::get).distinct().count();
      assertEquals(1, onEdge, "the edge devices all on the one member with edge");
    }
  }

  @Test
  void aDeviceNoMemberHasTheCredentialOfHasNoOwner() {
    List<String> devices = List.of("a", "b", "c");
    List<String> members = List.of("m1", "m2");
    Map<String, java.util.Set<String>> has = Map.of("m1", java.util.Set.of("core"), "m2", java.util.Set.of("core"));
    Map<String, String> owners = RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR,
        eligibility(Map.of("b", "gone"), has));
    assertEquals(java.util.Set.of("a", "c"), owners.keySet(), "b is left unowned, the others placed");
    assertEquals(Map.of(), RendezvousAssignment.assign(devices, List.of(), ClusterOwnership.LOAD_FACTOR, (d, m) -> true),
        "no members, no owners");
  }

  @Test
  void devicesWhoseOnlyEligibleMembersAreFullAreStillPlacedOnOne() {
    // 30 devices on 3 members: the cap is ceil(1.05 * 10) = 11. Twenty need "core", which only
    // m1 and m2 have, so together they take them all even if that passes the cap.
    List<String> devices = devices(30);
    List<String> members = List.of("m1", "m2", "m3");
    Map<String, java.util.Set<String>> has = Map.of("m1", java.util.Set.of("core"), "m2", java.util.Set.of("core"), "m3", java.util.Set.of());
    Map<String, String> credentialOf = new HashMap<>();
    for (int i = 0; i < 30; i++) credentialOf.put("dev-" + i, "core");

    Map<String, String> owners = RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR, eligibility(credentialOf, has));

    assertEquals(30, owners.size(), "every device polled somewhere");
    assertTrue(java.util.Set.of("m1", "m2").containsAll(owners.values()), "never on m3, which lacks the credential: " + owners);
    long onM1 = owners.values().stream().filter("m1"::equals).count();
    assertTrue(onM1 >= 11 && 30 - onM1 >= 11, "each eligible member filled to the cap before either passes it: m1 has " + onM1);

    // One eligible member: everything on it, far beyond the cap.
    Map<String, String> single = RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR,
        eligibility(credentialOf, Map.of("m1", java.util.Set.of(), "m2", java.util.Set.of("core"), "m3", java.util.Set.of())));
    assertEquals(30, single.size());
    assertTrue(single.values().stream().allMatch("m2"::equals), single.toString());
  }

  @Test
  void unrestrictedDevicesArePlacedAsWithoutCredentials() {
    Random r = new Random(5);
    List<String> devices = devices(300);
    for (int t = 0; t < TRIALS; t++) {
      List<String> members = members(r, 3);
      // Every member has every credential the devices name: the same placement as plain rendezvous.
      Map<String, java.util.Set<String>> has = new HashMap<>();
      for (String m : members) has.put(m, java.util.Set.of("core", "lab"));
      Map<String, String> credentialOf = new HashMap<>();
      for (int i = 0; i < 300; i += 3) credentialOf.put("dev-" + i, i % 2 == 0 ? "core" : "lab");
      assertEquals(RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR),
          RendezvousAssignment.assign(devices, members, ClusterOwnership.LOAD_FACTOR, eligibility(credentialOf, has)));
    }
  }
}
