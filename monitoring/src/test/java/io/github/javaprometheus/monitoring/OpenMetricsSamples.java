package io.github.javaprometheus.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample lines of an OpenMetrics exposition, each with its exemplar when it has one ({@code
 * name{labels} value # {exemplar labels} value timestamp}). Label values with a closing brace are
 * not expected here: the families these tests read have none.
 */
final class OpenMetricsSamples {
  private static final Pattern LINE =
      Pattern.compile(
          "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)\\})? (\\S+)(?: (\\d+(?:\\.\\d+)?))?"
              + "(?: # \\{([^}]*)\\} (\\S+)(?: (\\S+))?)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One sample; {@code exemplar} is null when the line has none. */
  record Sample(String name, Map<String, String> labels, double value, Exemplar exemplar) {
    String label(String name) {
      return labels.get(name);
    }
  }

  /** An exemplar: its labels ({@code trace_id}, {@code span_id}), value and time in milliseconds. */
  record Exemplar(Map<String, String> labels, double value, long timestampMillis) {
    String traceId() {
      return labels.get("trace_id");
    }

    String spanId() {
      return labels.get("span_id");
    }
  }

  private OpenMetricsSamples() {}

  static List<Sample> parse(String exposition) {
    List<Sample> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not an OpenMetrics sample line: " + line);
      }
      Exemplar exemplar = null;
      if (m.group(5) != null) {
        if (m.group(7) == null) {
          throw new IllegalArgumentException("exemplar without a timestamp: " + line);
        }
        exemplar =
            new Exemplar(
                labels(m.group(5)),
                number(m.group(6)),
                Math.round(Double.parseDouble(m.group(7)) * 1000));
      }
      samples.add(new Sample(m.group(1), labels(m.group(2)), number(m.group(3)), exemplar));
    }
    return samples;
  }

  /** A sample or exemplar value, as OpenMetrics spells it ({@code +Inf}, {@code NaN}, {@code 1.5E-4}). */
  static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher m = LABEL.matcher(text);
    int end = 0;
    while (m.find() && m.start() == end) {
      labels.put(m.group(1), m.group(2));
      end = m.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException("labels not understood: {" + text + "}");
    }
    return labels;
  }
}
