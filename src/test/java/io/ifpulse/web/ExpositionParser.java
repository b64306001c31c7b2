package io.ifpulse.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 and of OpenMetrics text 1.0, for tests: every
 * line must be a HELP, TYPE or sample line of the family it stands in; a family comes once, with
 * its metadata before its samples; label values are quoted and escaped; values are numbers. Anything
 * else fails with the line. OpenMetrics must end with {@code # EOF}.
 */
final class ExpositionParser {
  record Sample(String name, Map<String, String> labels, double value) {}

  static final class Family {
    final String name;
    String type;
    String help;
    final List<Sample> samples = new ArrayList<>();

    Family(String name) {
      this.name = name;
    }

    /** The value of the sample with exactly these labels (name, value pairs), or an AssertionError. */
    double value(String... labels) {
      Map<String, String> want = new LinkedHashMap<>();
      for (int i = 0; i < labels.length; i += 2) want.put(labels[i], labels[i + 1]);
      for (Sample s : samples) if (s.labels.equals(want)) return s.value;
      throw new AssertionError(name + " has no series " + want + ": " + samples);
    }

    /** The value of a sample of another name in the family (a summary's _count, a counter's _total). */
    double value(String sampleName, Map<String, String> labels) {
      for (Sample s : samples) if (s.name.equals(sampleName) && s.labels.equals(labels)) return s.value;
      throw new AssertionError(name + " has no " + sampleName + labels + ": " + samples);
    }
  }

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

  private ExpositionParser() {}

  /** Families by name, in the order they come. */
  static Map<String, Family> parse(String text, boolean openMetrics) {
    Map<String, Family> families = new LinkedHashMap<>();
    Family current = null;
    String[] lines = text.split("\n", -1);
    if (!text.endsWith("\n")) throw new AssertionError("the text must end with a new line");
    int last = lines.length - 1; // the empty string after the final new line
    if (openMetrics) {
      if (last < 1 || !"# EOF".equals(lines[last - 1])) throw new AssertionError("OpenMetrics must end with # EOF");
      last--;
    }
    for (int n = 0; n < last; n++) {
      String line = lines[n];
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ", 2);
        String name = parts[0];
        if (!NAME.matcher(name).matches()) throw new AssertionError("line " + (n + 1) + ": bad family name: " + line);
        if (current == null || !current.name.equals(name)) {
          if (families.containsKey(name)) throw new AssertionError("line " + (n + 1) + ": family " + name + " comes twice");
          if (current != null && current.type == null) throw new AssertionError(current.name + " has no TYPE");
          current = new Family(name);
          families.put(name, current);
        }
        if (!current.samples.isEmpty()) throw new AssertionError("line " + (n + 1) + ": metadata after samples: " + line);
        if (line.startsWith("# HELP ")) {
          if (current.help != null) throw new AssertionError("line " + (n + 1) + ": second HELP");
          current.help = parts.length > 1 ? parts[1] : "";
        } else {
          if (current.type != null) throw new AssertionError("line " + (n + 1) + ": second TYPE");
          current.type = parts.length > 1 ? parts[1] : "";
          if (!List.of("counter", "gauge", "summary", "histogram", "untyped", "unknown", "info", "stateset", "gaugehistogram")
              .contains(current.type)) throw new AssertionError("line " + (n + 1) + ": unknown type: " + line);
        }
        continue;
      }
      if (line.startsWith("#")) throw new AssertionError("line " + (n + 1) + ": a comment the format does not have: " + line);
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) throw new AssertionError("line " + (n + 1) + ": not a sample: " + line);
      if (current == null || current.type == null) throw new AssertionError("line " + (n + 1) + ": a sample before its TYPE: " + line);
      String name = m.group(1);
      if (!belongs(name, current, openMetrics)) throw new AssertionError("line " + (n + 1) + ": " + name + " in family " + current.name);
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        Matcher l = LABEL.matcher(m.group(3));
        int at = 0;
        while (at < m.group(3).length()) {
          if (!l.find(at) || l.start() != at) throw new AssertionError("line " + (n + 1) + ": bad labels: " + line);
          String value = l.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
          if (labels.put(l.group(1), value) != null) throw new AssertionError("line " + (n + 1) + ": label twice: " + line);
          at = l.end();
        }
      }
      double value;
      try {
        value = switch (m.group(4)) {
          case "+Inf" -> Double.POSITIVE_INFINITY;
          case "-Inf" -> Double.NEGATIVE_INFINITY;
          case "NaN" -> Double.NaN;
          default -> Double.parseDouble(m.group(4));
        };
      } catch (NumberFormatException e) {
        throw new AssertionError("line " + (n + 1) + ": not a number: " + line);
      }
      current.samples.add(new Sample(name, labels, value));
    }
    return families;
  }

  private static boolean belongs(String sample, Family f, boolean openMetrics) {
    return switch (f.type) {
      // Prometheus text names a counter's family with _total; OpenMetrics without, and its samples with.
      case "counter" -> openMetrics ? sample.equals(f.name + "_total") || sample.equals(f.name + "_created") : sample.equals(f.name);
      case "summary" -> sample.equals(f.name) || sample.equals(f.name + "_sum") || sample.equals(f.name + "_count")
          || sample.equals(f.name + "_created");
      default -> sample.equals(f.name);
    };
  }
}
