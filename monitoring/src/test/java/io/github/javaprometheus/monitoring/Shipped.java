package io.github.javaprometheus.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The shipped files of {@code monitoring/}: dashboards, their queries, and the rules. */
final class Shipped {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path GRAFANA = ROOT.resolve("grafana");
  static final Path RULES = ROOT.resolve("prometheus/java-prometheus.rules.yml");
  static final Path RULE_TESTS = ROOT.resolve("prometheus/java-prometheus.rules.test.yml");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Shipped() {}

  /** One query of a dashboard: where it is and its PromQL as written. */
  record Query(String dashboard, String panel, String ref, String expr) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + " / " + ref;
    }
  }

  static List<Path> dashboards() {
    try (Stream<Path> files = Files.list(GRAFANA)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String json) {
    return JSON.readTree(json);
  }

  /** Every panel query and every variable query of every dashboard. */
  static List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonNode d = read(file);
      String name = d.get("title").asString();
      for (JsonNode panel : d.get("panels")) {
        for (JsonNode t : panel.get("targets")) {
          out.add(new Query(name, panel.get("title").asString(), t.get("refId").asString(), t.get("expr").asString()));
        }
      }
      for (JsonNode v : d.get("templating").get("list")) {
        if (v.get("type").asString().equals("query")) {
          out.add(new Query(name, "variable $" + v.get("name").asString(), "-", v.get("definition").asString()));
        }
      }
    }
    return out;
  }

  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$");

  /**
   * The query as Prometheus answers it: the variables as "All" selects them ({@code .+}), the
   * prefix {@code java}, {@code $__rate_interval} one minute; a {@code label_values(m, l)}
   * variable as {@code count by (l) (m)}.
   */
  static String resolved(String expr) {
    String e =
        expr.replace("${prefix}", "java")
            .replace("$__rate_interval", "1m")
            .replace("\"$job\"", "\".+\"")
            .replace("\"$instance\"", "\".+\"")
            .replace("\"$view\"", "\".+\"");
    Matcher m = LABEL_VALUES.matcher(e);
    if (m.matches()) {
      e = "count by (" + m.group(2) + ") (" + m.group(1) + ")";
    }
    return e;
  }
}
