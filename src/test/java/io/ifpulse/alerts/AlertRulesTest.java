package io.ifpulse.alerts;

import io.ifpulse.events.AlertEvent;
import io.ifpulse.config.AlertConfig;
import io.ifpulse.testing.Unit;
import static io.ifpulse.alerts.TrafficSamples.itf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.alerts.TrafficSamples.Itf;
import io.ifpulse.events.TrafficSample;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per behaviour of the alert rules. A row is a sequence of traffic messages in the shape
 * of docs/EVENTS.md (read into samples by the events' decoder, as another node's are), each with the events it must produce, written as
 * {@code "<state> <id> <severity> <value> <op> <threshold> since <s>"} (seconds from the first
 * sample), or {@code "... removed since <s>"} for an interface that left.
 */
@Unit
class AlertRulesTest {
  private static final long T0 = 1_795_677_200_000L;
  /** Defaults: raise at 90 %, clear below 80 %, for 30 s, clear for 10 s; errors 1/s; discards 10/s. */
  private static final AlertConfig DEFAULTS = AlertConfig.defaults();
  /** The same levels without waiting, for rows about levels rather than durations. */
  private static final AlertConfig AT_ONCE = new AlertConfig(90, 80, 0, 0, 1.0, 10.0, true);

  record Step(JsonObject sample, List<String> expected) {
    Step expect(String... events) {
      return new Step(sample, List.of(events));
    }
  }

  record Case(String name, AlertConfig config, List<Step> steps) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case tc(String name, Step... steps) {
    return new Case(name, DEFAULTS, Arrays.asList(steps));
  }

  static Case tc(String name, AlertConfig config, Step... steps) {
    return new Case(name, config, Arrays.asList(steps));
  }

  static Step at(double seconds, Itf... interfaces) {
    return sample("sw1", seconds, true, interfaces);
  }

  static Step at(String device, double seconds, Itf... interfaces) {
    return sample(device, seconds, true, interfaces);
  }

  static Step unreachable(double seconds, Itf... interfaces) {
    return sample("sw1", seconds, false, interfaces);
  }

  static Step sample(String device, double seconds, boolean reachable, Itf... interfaces) {
    return new Step(TrafficSamples.sample(device, ts(seconds), reachable, interfaces), List.of());
  }

  static long ts(double seconds) {
    return T0 + Math.round(seconds * 1000);
  }

  static Stream<Case> cases() {
    return Stream.of(
        tc("over the threshold for less than forSeconds does not raise",
            at(0, itf(1).util(95, 10)),
            at(10, itf(1).util(95, 10)),
            at(20, itf(1).util(95, 10)),
            at(30, itf(1).util(50, 10))),
        tc("over the threshold for forSeconds raises once, since the first sample over",
            at(0, itf(1).util(95, 10)),
            at(10, itf(1).util(95, 10)),
            at(20, itf(1).util(96, 10)),
            at(30, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(40, itf(1).util(97, 10)),
            at(50, itf(1).util(95, 10))),
        tc("exactly at the threshold is over it",
            at(0, itf(1).util(90, 10)),
            at(30, itf(1).util(90, 10)).expect("raised sw1/1/utilisation warning 90 >= 90 since 0")),
        tc("either direction raises; the value is the larger one",
            at(0, itf(1).util(10, 92)),
            at(30, itf(1).util(20, 93.5)).expect("raised sw1/1/utilisation warning 93.5 >= 90 since 0")),
        tc("98 % and above is critical",
            at(0, itf(1).util(99, 10)),
            at(30, itf(1).util(10, 98)).expect("raised sw1/1/utilisation critical 98 >= 90 since 0")),
        tc("a dip below the threshold restarts the wait",
            at(0, itf(1).util(95, 10)),
            at(20, itf(1).util(85, 10)),
            at(30, itf(1).util(95, 10)),
            at(50, itf(1).util(95, 10)),
            at(60, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 30")),
        tc("held counts like ok",
            at(0, itf(1).util(95, 10).held()),
            at(30, itf(1).util(95, 10).held()).expect("raised sw1/1/utilisation warning 95 >= 90 since 0")),
        tc("the hysteresis band does not clear, however long",
            at(0, itf(1).util(95, 10)),
            at(30, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(40, itf(1).util(85, 10)),
            at(50, itf(1).util(80.5, 10)),
            at(60, itf(1).util(80, 10)),
            at(300, itf(1).util(85, 10))),
        tc("below the clear level in both directions for clearForSeconds clears",
            at(0, itf(1).util(95, 10)),
            at(30, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(40, itf(1).util(70, 85)),
            at(45, itf(1).util(70, 70)),
            at(50, itf(1).util(70, 75)),
            at(55, itf(1).util(60, 60)).expect("cleared sw1/1/utilisation warning 60 < 80 since 45")),
        tc("a bounce into the band restarts the clear wait",
            at(0, itf(1).util(95, 10)),
            at(30, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(40, itf(1).util(70, 10)),
            at(45, itf(1).util(85, 10)),
            at(50, itf(1).util(70, 10)),
            at(55, itf(1).util(70, 10)),
            at(60, itf(1).util(70, 10)).expect("cleared sw1/1/utilisation warning 70 < 80 since 50")),
        tc("a gap does not raise, even when forSeconds passes during it",
            at(0, itf(1).util(95, 10)),
            at(10, itf(1).gap("no-data")),
            at(20, itf(1).gap("no-data")),
            at(30, itf(1).gap("no-data")),
            at(40, itf(1).gap("implausible")),
            // ... but does not restart the wait either: the rate after a no-data gap covers it.
            at(50, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0")),
        tc("a gap does not clear, even when clearForSeconds passes during it",
            at(0, itf(1).util(95, 10)),
            at(30, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(40, itf(1).gap("counter-reset")),
            at(50, itf(1).gap("agent-restart")),
            at(60, itf(1).gap("first")),
            at(70, itf(1).gap("no-data")),
            at(80, itf(1).util(95, 10))),
        tc("a gap of an up interface is not oper-down, whatever its oper says",
            at(0, itf(1)),
            at(10, itf(1).gap("no-data")),
            at(20, itf(1).gap("agent-restart").oper("down")),
            at(30, itf(1))),
        tc("oper up to down raises critical at once; up again clears at once",
            at(0, itf(1)),
            at(10, itf(1).oper("down")).expect("raised sw1/1/oper-down critical down since 10"),
            at(20, itf(1).oper("lowerLayerDown")),
            at(30, itf(1)).expect("cleared sw1/1/oper-down critical up since 30"),
            at(40, itf(1).oper("dormant")).expect("raised sw1/1/oper-down critical dormant since 40")),
        tc("an interface never seen up does not raise oper-down (shut, or no cable)",
            at(0, itf(1).oper("down")),
            at(10, itf(1).oper("down")),
            at(20, itf(1).oper("notPresent")),
            at(30, itf(1)),
            at(40, itf(1).oper("down")).expect("raised sw1/1/oper-down critical down since 40")),
        tc("operStatus false switches oper-down off",
            new AlertConfig(90, 80, 30, 10, 1.0, 10.0, false),
            at(0, itf(1)),
            at(10, itf(1).oper("down"))),
        tc("errors: in + out at or above 1/s raise, below half of it clear",
            AT_ONCE,
            at(0, itf(1).errors(0.5, 0.49)),
            at(10, itf(1).errors(0.6, 0.4)).expect("raised sw1/1/errors warning 1 >= 1 since 10"),
            at(20, itf(1).errors(0.3, 0.3)),
            at(30, itf(1).errors(0.25, 0.25)),
            at(40, itf(1).errors(0.2, 0.2)).expect("cleared sw1/1/errors warning 0.4 < 0.5 since 40")),
        tc("errors wait forSeconds and clearForSeconds like utilisation",
            at(0, itf(1).errors(3, 0)),
            at(20, itf(1).errors(3, 0)),
            at(30, itf(1).errors(3, 0)).expect("raised sw1/1/errors warning 3 >= 1 since 0"),
            at(40, itf(1).errors(0, 0)),
            at(50, itf(1).errors(0, 0)).expect("cleared sw1/1/errors warning 0 < 0.5 since 40")),
        tc("discards: in + out at or above 10/s raise, below half of it clear",
            AT_ONCE,
            at(0, itf(1).discards(9.9, 0)),
            at(10, itf(1).discards(6, 4)).expect("raised sw1/1/discards warning 10 >= 10 since 10"),
            at(20, itf(1).discards(5, 0)),
            at(30, itf(1).discards(4.9, 0)).expect("cleared sw1/1/discards warning 4.9 < 5 since 30")),
        tc("a rate threshold of 0 switches its rule off",
            new AlertConfig(90, 80, 0, 0, 0, 0, true),
            at(0, itf(1).errors(50, 50).discards(500, 500))),
        tc("a rule whose counters the agent lacks neither raises nor clears",
            AT_ONCE,
            at(0, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(10, itf(1).virtual()),
            at(20, itf(1).virtual(), itf(2).virtual().errors(0, 0))),
        tc("an interface that leaves the device clears its alerts",
            AT_ONCE,
            at(0, itf(1).util(95, 10), itf(2)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(10, itf(1).util(95, 10).oper("down"), itf(2)).expect("raised sw1/1/oper-down critical down since 10"),
            at(20, itf(2)).expect(
                "cleared sw1/1/utilisation warning removed since 20",
                "cleared sw1/1/oper-down critical removed since 20"),
            // Back under the same ifIndex: a new interface as far as alerts go.
            at(30, itf(1).oper("down"), itf(2))),
        tc("an unreachable device's sample removes nothing",
            AT_ONCE,
            at(0, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            unreachable(10),
            at(20, itf(1).util(95, 10))),
        tc("an ifIndex that now names another interface (renumbered by a restart) clears the old one's alerts",
            AT_ONCE,
            at(0, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(10, itf(1).name("eth7").gap("first")).expect("cleared sw1/1/utilisation warning removed since 10"),
            at(20, itf(1).name("eth7").util(91, 10)).expect("raised sw1/1/utilisation warning 91 >= 90 since 20")),
        tc("two interfaces are independent",
            at(0, itf(1).util(95, 10), itf(2).util(10, 10)),
            at(10, itf(1).util(95, 10), itf(2).util(95, 10)),
            at(30, itf(1).util(95, 10), itf(2).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at(40, itf(1).util(50, 10), itf(2).util(99, 10)).expect("raised sw1/2/utilisation critical 99 >= 90 since 10"),
            at(50, itf(1).util(50, 10), itf(2).util(99, 10)).expect("cleared sw1/1/utilisation warning 50 < 80 since 40")),
        tc("two devices are independent, even with the same ifIndex",
            AT_ONCE,
            at("sw1", 0, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 0"),
            at("sw2", 0, itf(1).util(10, 10)),
            at("sw2", 10, itf(2)),
            at("sw1", 10, itf(1).util(95, 10))),
        tc("a duplicate or older sample changes nothing",
            AT_ONCE,
            at(10, itf(1).util(95, 10)).expect("raised sw1/1/utilisation warning 95 >= 90 since 10"),
            at(10, itf(1).util(50, 10)),
            at(5, itf(1).util(50, 10)),
            at(20, itf(1).util(50, 10)).expect("cleared sw1/1/utilisation warning 50 < 80 since 20")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void producesTheExpectedEvents(Case c) {
    AlertRules rules = new AlertRules(c.config());
    for (int n = 0; n < c.steps().size(); n++) {
      Step step = c.steps().get(n);
      List<AlertEvent> events = rules.onSample(TrafficSample.fromJson(step.sample()));
      List<String> got = new ArrayList<>();
      for (AlertEvent e : events) {
        got.add(render(e));
        assertEquals(step.sample().getLong("ts"), e.ts(), "an event is stamped with its sample's ts");
        assertEquals(step.sample().getString("device"), e.device());
      }
      assertEquals(step.expected(), got, "step " + n + ": " + step.sample().encode());
    }
  }

  /**
   * In a cluster the node that polls a device evaluates its rules alone and saves their state when
   * it changes; after a failure the next owner loads it and goes on. Every row, handed over at
   * every step through the saved JSON (only the last saved version, as a dead node leaves it), must
   * give exactly the events of one uninterrupted run: no alert raised twice or never cleared, no
   * for-duration started again.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aHandOverAtAnyStepGivesTheSameEvents(Case c) {
    for (int split = 1; split < c.steps().size(); split++) {
      AlertRules first = new AlertRules(c.config());
      java.util.Map<String, JsonObject> saved = new java.util.HashMap<>();
      java.util.Map<String, Long> savedVersion = new java.util.HashMap<>();
      for (int n = 0; n < split; n++) {
        JsonObject sample = c.steps().get(n).sample();
        first.onSample(TrafficSample.fromJson(sample));
        String device = sample.getString("device");
        if (first.version(device) != savedVersion.getOrDefault(device, -1L)) {
          savedVersion.put(device, first.version(device));
          saved.put(device, new JsonObject(first.exportState(device).encode()));
        }
      }
      AlertRules next = new AlertRules(c.config());
      saved.forEach(next::importState);
      for (int n = split; n < c.steps().size(); n++) {
        Step step = c.steps().get(n);
        List<String> got = new ArrayList<>();
        for (AlertEvent e : next.onSample(TrafficSample.fromJson(step.sample()))) got.add(render(e));
        assertEquals(step.expected(), got, "handed over before step " + split + ", step " + n + ": " + step.sample().encode());
      }
    }
  }

  @Test
  void theSavedStateListsTheRaisedAlerts() {
    AlertRules rules = new AlertRules(AT_ONCE);
    rules.onSample(TrafficSample.fromJson(at(0, itf(1).util(95, 10), itf(2).util(10, 10)).sample()));
    JsonObject state = rules.exportState("sw1");
    List<AlertEvent> raised = AlertRules.raisedIn(state);
    assertEquals(1, raised.size(), state.encode());
    assertEquals("sw1/1/utilisation", raised.get(0).id());
    assertEquals(AlertEvent.State.RAISED, raised.get(0).state());
    assertEquals(null, rules.exportState("sw9"), "a device never seen has no state");
  }

  @Test
  void onlyChangesThatANewOwnerNeedsMoveTheVersion() {
    AlertRules rules = new AlertRules(DEFAULTS);
    rules.onSample(TrafficSample.fromJson(at(0, itf(1).util(10, 10)).sample()));
    long v0 = rules.version("sw1");
    rules.onSample(TrafficSample.fromJson(at(1, itf(1).util(20, 12)).sample()));
    assertEquals(v0, rules.version("sw1"), "new values below every level change nothing to save");
    rules.onSample(TrafficSample.fromJson(at(2, itf(1).util(95, 10)).sample()));
    long v1 = rules.version("sw1");
    assertTrue(v1 > v0, "a condition that starts to hold is saved");
    rules.onSample(TrafficSample.fromJson(at(3, itf(1).util(96, 10)).sample()));
    assertEquals(v1, rules.version("sw1"), "the same condition holding on is not");
    rules.onSample(TrafficSample.fromJson(at(40, itf(1).util(96, 10)).sample()));
    assertTrue(rules.version("sw1") > v1, "a raise is saved");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyEventHasTheDocumentedFields(Case c) {
    AlertRules rules = new AlertRules(c.config());
    for (Step step : c.steps()) {
      for (AlertEvent e : rules.onSample(TrafficSample.fromJson(step.sample()))) {
        JsonObject j = e.toJson();
        for (String k : List.of("id", "device", "ifIndex", "name", "kind", "state", "severity", "value", "threshold", "since", "ts")) {
          assertTrue(j.getValue(k) != null, k + " in " + j);
        }
        assertEquals(e.device() + "/" + e.ifIndex() + "/" + j.getString("kind"), j.getString("id"));
        assertTrue(j.getLong("since") <= j.getLong("ts"), "since is not after ts: " + j);
        if (e.reason() == null) {
          assertEquals(nameIn(step.sample(), e.ifIndex()), j.getString("name"));
        } else {
          assertTrue(!j.getString("name").equals(nameIn(step.sample(), e.ifIndex())),
              "a removal names the interface that left, not the one now at its ifIndex: " + j);
        }
      }
    }
  }

  /** The name of the interface at ifIndex in the sample; "" when the sample has none there. */
  private static String nameIn(JsonObject sample, int ifIndex) {
    for (Object o : sample.getJsonArray("interfaces")) {
      JsonObject f = (JsonObject) o;
      if (f.getInteger("ifIndex") == ifIndex) return f.getString("name");
    }
    return "";
  }

  private static String render(AlertEvent e) {
    String what;
    if (e.reason() != null) {
      what = e.reason();
    } else if (e.kind() == AlertEvent.Kind.OPER_DOWN) {
      assertEquals("up", e.threshold());
      what = String.valueOf(e.value());
    } else {
      what = fmt(e.value()) + (e.state() == AlertEvent.State.RAISED ? " >= " : " < ") + fmt(e.threshold());
    }
    return String.join(" ", e.state().label, e.id(), e.severity().label, what, "since", fmt((e.since() - T0) / 1000.0));
  }

  private static String fmt(Object v) {
    double d = ((Number) v).doubleValue();
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
