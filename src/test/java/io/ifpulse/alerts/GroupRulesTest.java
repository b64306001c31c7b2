package io.ifpulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ifpulse.config.AlertConfig;
import io.ifpulse.config.GroupConfig;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.GroupSample;
import io.ifpulse.testing.Unit;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per behaviour of a group's utilisation alert: a sequence of group samples (seconds from
 * the first, in and out utilisation, or partial), each with the events it must produce, written as
 * {@code "<state> <id> <severity> <value> <op> <threshold> since <s>"}.
 */
@Unit
class GroupRulesTest {
  private static final long T0 = 1_795_677_200_000L;
  /** The group's own levels: raise at 60 % for 2 s, clear below 40 % for 1 s. */
  private static final AlertConfig OWN = new AlertConfig(60, 40, 2, 1, 1.0, 10.0, true);
  private static final GroupConfig UPLINKS = new GroupConfig("uplinks", List.of(), OWN);
  /** A group without levels of its own: the global ones (90 / 80 %, 30 s / 10 s). */
  private static final GroupConfig PLAIN = new GroupConfig("plain", List.of());

  record Step(GroupSample sample, List<String> expected) {
    Step expect(String... events) {
      return new Step(sample, List.of(events));
    }
  }

  record Case(String name, List<Step> steps) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case tc(String name, Step... steps) {
    return new Case(name, Arrays.asList(steps));
  }

  static Step at(String group, double seconds, double inUtil, double outUtil) {
    return new Step(sample(group, seconds, inUtil, outUtil, List.of()), List.of());
  }

  static Step at(double seconds, double inUtil, double outUtil) {
    return at("uplinks", seconds, inUtil, outUtil);
  }

  /** A sample that lacks a member: its totals, and so its utilisation, are those of the others. */
  static Step partial(double seconds, double inUtil) {
    return new Step(sample("uplinks", seconds, inUtil, inUtil * 0.6, List.of("core-2/ge-0/0/1")), List.of());
  }

  static GroupSample sample(String group, double seconds, double inUtil, double outUtil, List<String> missing) {
    long speed = 10_000_000_000L;
    double in = inUtil / 100 * speed;
    double out = outUtil / 100 * speed;
    double[] rates = {in, out, in / 8000, out / 8000, 0, 0, 0, 0};
    return GroupSample.of(group, Math.round(seconds) + 1, T0 + Math.round(seconds * 1000), 1000, 2000, 2, missing, rates, speed,
        inUtil, outUtil, List.of());
  }

  static Stream<Case> cases() {
    return Stream.of(
        tc("over the level for less than forSeconds does not raise",
            at(0, 70, 10), at(1, 70, 10), at(2, 50, 10)),
        tc("over the level for forSeconds raises once, since the first sample over",
            at(0, 70, 10), at(1, 75, 10), at(2, 71, 10).expect("raised group:uplinks/utilisation warning 71 >= 60 since 0"),
            at(3, 80, 10), at(4, 90, 10)),
        tc("either direction; the value is the larger; 98 % and above is critical",
            at(0, 10, 99), at(2, 10, 98.5).expect("raised group:uplinks/utilisation critical 98.5 >= 60 since 0")),
        tc("between the levels nothing changes; under the clear level for clearForSeconds clears",
            at(0, 70, 0), at(2, 70, 0).expect("raised group:uplinks/utilisation warning 70 >= 60 since 0"),
            at(3, 50, 0), at(4, 45, 0), at(5, 30, 0), at(6, 41, 0), at(7, 20, 0), at(8, 10, 0)
                .expect("cleared group:uplinks/utilisation warning 10 < 40 since 7")),
        tc("a partial sample neither raises nor clears, nor restarts or completes a wait",
            at(0, 70, 0), partial(1, 10), at(2, 70, 0).expect("raised group:uplinks/utilisation warning 70 >= 60 since 0"),
            partial(3, 5), partial(4, 5), partial(5, 5), at(6, 70, 0), at(7, 20, 0), partial(8, 5), partial(9, 5),
            at(10, 20, 0).expect("cleared group:uplinks/utilisation warning 20 < 40 since 7")),
        tc("a partial sample over the level does not start a wait",
            partial(0, 90), partial(1, 90), at(2, 70, 0), at(3, 70, 0),
            at(4, 70, 0).expect("raised group:uplinks/utilisation warning 70 >= 60 since 2")),
        tc("a sample not after the last one changes nothing",
            at(0, 70, 0), at(2, 70, 0).expect("raised group:uplinks/utilisation warning 70 >= 60 since 0"), at(2, 10, 0),
            at(1, 10, 0), at(3, 10, 0), at(4, 10, 0).expect("cleared group:uplinks/utilisation warning 10 < 40 since 3")),
        tc("a sample without a utilisation (a member without a speed) is skipped",
            at(0, 70, 0), at(1, Double.NaN, Double.NaN), at(2, 70, 0).expect("raised group:uplinks/utilisation warning 70 >= 60 since 0")),
        tc("a group without levels of its own takes the global ones",
            at("plain", 0, 85, 0), at("plain", 30, 89, 0), at("plain", 31, 92, 0), at("plain", 61, 91, 0)
                .expect("raised group:plain/utilisation warning 91 >= 90 since 31")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void producesTheExpectedEvents(Case c) {
    GroupRules rules = new GroupRules(AlertConfig.defaults(), List.of(UPLINKS, PLAIN));
    for (int n = 0; n < c.steps().size(); n++) {
      Step step = c.steps().get(n);
      List<String> got = new ArrayList<>();
      for (AlertEvent e : rules.onSample(step.sample())) {
        got.add(render(e));
        assertNull(e.device());
        assertEquals(0, e.ifIndex());
        assertEquals(step.sample().group(), e.group());
        assertEquals(e.group(), e.name());
        assertEquals(step.sample().ts(), e.ts());
        assertEquals(e, AlertEvent.fromJson(e.toJson()), "through the JSON and back");
      }
      assertEquals(step.expected(), got, "step " + n + " of " + c.name());
    }
  }

  /** Whatever step the group moves to another node at, the events are those of one node. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aHandOverAtAnyStepGivesTheSameEvents(Case c) {
    for (int split = 1; split < c.steps().size(); split++) {
      GroupRules first = new GroupRules(AlertConfig.defaults(), List.of(UPLINKS, PLAIN));
      JsonObject saved = null;
      long savedVersion = -1;
      for (int n = 0; n < split; n++) {
        first.onSample(c.steps().get(n).sample());
        String g = c.steps().get(n).sample().group();
        if (first.version(g) != savedVersion) {
          savedVersion = first.version(g);
          saved = first.exportState(g).copy();
        }
      }
      GroupRules next = new GroupRules(AlertConfig.defaults(), List.of(UPLINKS, PLAIN));
      next.importState(c.steps().get(0).sample().group(), saved);
      for (int n = split; n < c.steps().size(); n++) {
        List<String> got = new ArrayList<>();
        for (AlertEvent e : next.onSample(c.steps().get(n).sample())) got.add(render(e));
        assertEquals(c.steps().get(n).expected(), got, "step " + n + " after a hand-over before step " + split);
      }
    }
  }

  @Test
  void aRemovedGroupClearsItsRaisedAlertAndIsForgotten() {
    GroupRules rules = new GroupRules(AlertConfig.defaults(), List.of(UPLINKS));
    rules.onSample(at(0, 70, 0).sample());
    assertEquals(1, rules.onSample(at(2, 70, 0).sample()).size());
    List<AlertEvent> cleared = rules.forget("uplinks", T0 + 5000);
    assertEquals(1, cleared.size());
    AlertEvent e = cleared.get(0);
    assertEquals(AlertEvent.State.CLEARED, e.state());
    assertEquals("removed", e.reason());
    assertEquals("group:uplinks/utilisation", e.id());
    assertEquals(T0 + 5000, e.ts());
    assertFalse(rules.knows("uplinks"));
    assertEquals(List.of(), rules.forget("uplinks", T0 + 6000), "said once");
    // A group whose alert is not raised goes without a word.
    rules.onSample(at(10, 70, 0).sample());
    assertEquals(List.of(), rules.forget("uplinks", T0 + 11_000));
  }

  @Test
  void aGroupConfiguredAtRunTimeTakesItsOwnLevelsFromItsNextSample() {
    GroupRules rules = new GroupRules(AlertConfig.defaults(), List.of());
    // Unknown to the rules: the global levels (90 %), so 70 % for 3 s raises nothing.
    assertEquals(List.of(), rules.onSample(at(0, 70, 0).sample()));
    assertEquals(List.of(), rules.onSample(at(3, 70, 0).sample()));
    rules.configure(UPLINKS); // created over REST with its own 60 % for 2 s
    assertEquals(List.of(), rules.onSample(at(4, 70, 0).sample()));
    List<AlertEvent> raised = rules.onSample(at(6, 70, 0).sample());
    assertEquals(1, raised.size(), "raised at the group's own level: " + raised);
    assertEquals(60.0, raised.get(0).threshold());
    // Removed: cleared once, and its levels forgotten with it.
    assertEquals(1, rules.forget("uplinks", T0 + 7000).size());
    assertEquals(List.of(), rules.onSample(at(8, 70, 0).sample()));
    assertEquals(List.of(), rules.onSample(at(11, 70, 0).sample()), "back to the global 90 %");
  }

  @Test
  void aGroupHandedOverIsDroppedWithoutAWord() {
    GroupRules rules = new GroupRules(AlertConfig.defaults(), List.of(UPLINKS));
    rules.onSample(at(0, 70, 0).sample());
    rules.onSample(at(2, 70, 0).sample());
    JsonObject state = rules.exportState("uplinks");
    assertEquals(1, GroupRules.raisedIn(state).size(), "the saved state lists the raised alert");
    rules.handedOver("uplinks");
    assertFalse(rules.knows("uplinks"));
    assertEquals(List.of(), rules.forget("uplinks", T0 + 3000));
  }

  private static String render(AlertEvent e) {
    String op = e.state() == AlertEvent.State.RAISED ? ">=" : "<";
    return e.state().label + " " + e.id() + " " + e.severity().label + " " + num(e.value()) + " " + op + " " + num(e.threshold())
        + " since " + num((e.since() - T0) / 1000.0);
  }

  private static String num(Object v) {
    double d = ((Number) v).doubleValue();
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
