package io.ifpulse.alerts;

import static io.ifpulse.alerts.TrafficSamples.itf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.AlertConfig;
import io.ifpulse.events.AlertEvent;
import io.ifpulse.events.TrafficSample;
import io.ifpulse.testing.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code oper-down} alert from {@code link-down} / {@code link-up} events between samples. A
 * row is a list of steps: {@code "s <sec> <oper>"} a measured sample of sw1 (ifIndex 1),
 * {@code "g <sec>"} a sample whose interface is a gap (polls time out), {@code "down <sec>"} /
 * {@code "up <sec>"} a notification; each with the events it must produce as
 * {@code "<state> <oper> at <sec>"}.
 */
@Unit
class LinkAlertsTest {
  private static final long T0 = 1_795_677_200_000L;

  record Case(String name, List<String[]> steps) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Each argument is one step: its input, then after "->" the events it must give, comma-separated. */
  static Case tc(String name, String... steps) {
    List<String[]> out = new ArrayList<>();
    for (String s : steps) out.add(s.split("\\s*->\\s*", -1));
    return new Case(name, out);
  }

  static Stream<Case> cases() {
    return Stream.of(
        tc("a linkDown raises at once though the polls time out; a linkUp clears",
            "s 0 up ->", "g 10 ->", "down 12 -> raised down at 12", "g 20 ->", "up 25 -> cleared up at 25", "g 30 ->"),
        tc("the poll that then says down raises nothing more; the one that says up clears",
            "s 0 up ->", "down 3 -> raised down at 3", "s 4 down ->", "s 10 down ->", "s 20 up -> cleared up at 20"),
        tc("a poll that saw it down first: the linkDown raises nothing more",
            "s 0 up ->", "s 10 down -> raised down at 10", "down 11 ->", "up 15 -> cleared up at 15", "s 20 up ->"),
        tc("a linkDown with another status than down raises with it",
            "s 0 up ->", "down:lowerLayerDown 5 -> raised lowerLayerDown at 5"),
        tc("a linkUp when nothing is raised changes nothing",
            "s 0 up ->", "up 5 ->", "s 10 up ->"),
        tc("an interface never seen up does not raise",
            "s 0 down ->", "down 5 ->", "s 10 down ->"),
        tc("an interface no sample has shown is left to the samples",
            "down 1 ->", "s 5 up ->", "s 10 down -> raised down at 10"),
        tc("a linkDown says down until the next measured sample; a sample that says up clears",
            "s 0 up ->", "down 5 -> raised down at 5", "s 10 up -> cleared up at 10"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void producesTheExpectedEvents(Case c) {
    AlertRules rules = new AlertRules(AlertConfig.defaults());
    for (String[] step : c.steps()) {
      String[] in = step[0].split(" ");
      long ts = T0 + Long.parseLong(in[1]) * 1000;
      List<AlertEvent> events = switch (in[0]) {
        case "s" -> rules.onSample(TrafficSample.fromJson(TrafficSamples.sample("sw1", ts, true, itf(1).oper(in[2]))));
        case "g" -> rules.onSample(TrafficSample.fromJson(TrafficSamples.sample("sw1", ts, false, itf(1).gap("no-data"))));
        default -> {
          String[] kind = in[0].split(":");
          String oper = kind.length > 1 ? kind[1] : kind[0];
          yield rules.onLink("sw1", 1, "eth0", oper, ts);
        }
      };
      List<String> got = new ArrayList<>();
      for (AlertEvent e : events) {
        assertEquals("sw1/1/oper-down", e.id());
        got.add(e.state().label + " " + e.value() + " at " + (e.ts() - T0) / 1000);
      }
      List<String> expected = step[1].isBlank() ? List.of() : List.of(step[1].split("\\s*,\\s*"));
      assertEquals(expected, got, step[0] + " in " + c.name());
    }
  }
}
