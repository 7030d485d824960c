package io.github.javaprometheus.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.testing.Tools;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exposed lines of the migration gauges, on whichever client_java the build uses (1.10.0 by
 * default, 1.4.3 with -Pclient-java-boot), in every format and escaping scheme client_java serves,
 * and what promtool says of them.
 *
 * <p>django-prometheus exposes {@code Gauge("django_migrations_applied_total", ...)}. client_java
 * 1.10 takes that name for a gauge. 1.4.3 refuses it when the metadata is created, so there the
 * family is a counter named without the suffix: the only type its writers print with {@code
 * _total}, so the series (what dashboards and rules query) are the same, and only the TYPE line
 * differs.
 */
class MigrationGaugesTest {
  private static final String APPLIED_HELP = "Count of applied migrations by database connection";
  private static final String UNAPPLIED_HELP =
      "Count of unapplied migrations by database connection";

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private MigrationMetrics metrics(String... settings) {
    return metrics(registry, settings);
  }

  private static MigrationMetrics metrics(PrometheusRegistry registry, String... settings) {
    PrometheusSettings.Builder b = PrometheusSettings.builder();
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    return MigrationMetrics.create(MetricFamilies.create(b.build(), registry));
  }

  private String write(ExpositionFormatWriter writer, EscapingScheme scheme) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape(), scheme);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> sampleLines(String exposition) {
    List<String> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        samples.add(line);
      }
    }
    return samples;
  }

  @Test
  void theBuildRunsTheClientJavaItSaysItRuns() {
    // The profile client-java-boot must really put 1.4.3 on the class path, or its run proves nothing.
    assertThat(ClientJava.version()).isEqualTo(System.getProperty("client-java.version"));
  }

  @Test
  void theJavaProfileExposesGaugesNamedAsTheDesignSays() {
    MigrationMetrics m = metrics();
    m.set("default", 3, 1);
    m.set("orders", 5, 0);
    assertThat(m.names()).containsExactly("java_migrations_applied", "java_migrations_unapplied");
    assertThat(TextScrape.of(registry).text())
        .isEqualTo(
            "# HELP java_migrations_applied Count of applied migrations by database connection\n"
                + "# TYPE java_migrations_applied gauge\n"
                + "java_migrations_applied{connection=\"default\"} 3.0\n"
                + "java_migrations_applied{connection=\"orders\"} 5.0\n"
                + "# HELP java_migrations_unapplied Count of unapplied migrations by database connection\n"
                + "# TYPE java_migrations_unapplied gauge\n"
                + "java_migrations_unapplied{connection=\"default\"} 1.0\n"
                + "java_migrations_unapplied{connection=\"orders\"} 0.0\n");
  }

  @Test
  void theDjangoProfileServesDjangoPrometheusesSeriesInTheTextFormat() {
    MigrationMetrics m = metrics("prometheus.profile", "django");
    m.set("default", 3, 1);
    assertThat(m.names())
        .containsExactly("django_migrations_applied_total", "django_migrations_unapplied_total");
    // 1.10: exactly what prometheus_client prints for django-prometheus's gauges. 1.4.3: the same
    // series; the text format names a counter's family with _total too, so only the type differs.
    String type = ClientJava.refusesTotalInNames() ? "counter" : "gauge";
    assertThat(TextScrape.of(registry).text())
        .isEqualTo(
            "# HELP django_migrations_applied_total " + APPLIED_HELP + "\n"
                + "# TYPE django_migrations_applied_total " + type + "\n"
                + "django_migrations_applied_total{connection=\"default\"} 3.0\n"
                + "# HELP django_migrations_unapplied_total " + UNAPPLIED_HELP + "\n"
                + "# TYPE django_migrations_unapplied_total " + type + "\n"
                + "django_migrations_unapplied_total{connection=\"default\"} 1.0\n");
  }

  @Test
  void theDjangoProfileServesDjangoPrometheusesSeriesInOpenMetrics() throws IOException {
    metrics("prometheus.profile", "django").set("default", 3, 1);
    String openMetrics =
        write(ExpositionFormats.init().getOpenMetricsTextFormatWriter(), EscapingScheme.DEFAULT);
    if (ClientJava.refusesTotalInNames()) {
      // OpenMetrics names a counter's family without _total and its sample with it.
      assertThat(openMetrics)
          .isEqualTo(
              "# TYPE django_migrations_applied counter\n"
                  + "# HELP django_migrations_applied " + APPLIED_HELP + "\n"
                  + "django_migrations_applied_total{connection=\"default\"} 3.0\n"
                  + "# TYPE django_migrations_unapplied counter\n"
                  + "# HELP django_migrations_unapplied " + UNAPPLIED_HELP + "\n"
                  + "django_migrations_unapplied_total{connection=\"default\"} 1.0\n"
                  + "# EOF\n");
    } else {
      // A gauge's family and sample share one name, _total included, as prometheus_client prints it.
      assertThat(openMetrics)
          .isEqualTo(
              "# TYPE django_migrations_applied_total gauge\n"
                  + "# HELP django_migrations_applied_total " + APPLIED_HELP + "\n"
                  + "django_migrations_applied_total{connection=\"default\"} 3.0\n"
                  + "# TYPE django_migrations_unapplied_total gauge\n"
                  + "# HELP django_migrations_unapplied_total " + UNAPPLIED_HELP + "\n"
                  + "django_migrations_unapplied_total{connection=\"default\"} 1.0\n"
                  + "# EOF\n");
    }
  }

  @Test
  void theDjangoProfileServesDjangoPrometheusesSeriesInProtobuf() {
    metrics("prometheus.profile", "django").set("default", 3, 1);
    // The family-level name and type of each MetricFamily (label names are indented).
    List<String> families = new ArrayList<>();
    String debug =
        ExpositionFormats.init()
            .getPrometheusProtobufWriter()
            .toDebugString(registry.scrape(), EscapingScheme.DEFAULT);
    for (String line : debug.split("\n")) {
      if (line.startsWith("name: ") || line.startsWith("type: ")) {
        families.add(line);
      }
    }
    // Protobuf families carry the sample name, _total included, for counters and gauges alike.
    String type = ClientJava.refusesTotalInNames() ? "COUNTER" : "GAUGE";
    assertThat(families)
        .containsExactly(
            "name: \"django_migrations_applied_total\"",
            "type: " + type,
            "name: \"django_migrations_unapplied_total\"",
            "type: " + type);
    assertThat(debug).contains("value: 3.0").contains("value: 1.0");
  }

  /**
   * A scraper picks the escaping scheme in its Accept header (Prometheus 3 asks for allow-utf-8 by
   * default); none of them may fail the scrape or change the series name beyond the escaping.
   */
  @Test
  void everyEscapingSchemeAScraperCanAskForServesTheSeries() throws IOException {
    metrics("prometheus.profile", "django").set("default", 3, 1);
    ExpositionFormats formats = ExpositionFormats.init();
    for (EscapingScheme scheme : EscapingScheme.values()) {
      List<String> expected;
      if (scheme == EscapingScheme.DOTS_ESCAPING) {
        // Dots escaping doubles every underscore of the family name; a counter's _total is
        // appended after escaping.
        expected =
            ClientJava.refusesTotalInNames()
                ? List.of(
                    "django__migrations__applied_total{connection=\"default\"} 3.0",
                    "django__migrations__unapplied_total{connection=\"default\"} 1.0")
                : List.of(
                    "django__migrations__applied__total{connection=\"default\"} 3.0",
                    "django__migrations__unapplied__total{connection=\"default\"} 1.0");
      } else {
        expected =
            List.of(
                "django_migrations_applied_total{connection=\"default\"} 3.0",
                "django_migrations_unapplied_total{connection=\"default\"} 1.0");
      }
      assertThat(sampleLines(write(formats.getPrometheusTextFormatWriter(), scheme)))
          .as("text format, %s", scheme)
          .isEqualTo(expected);
      assertThat(sampleLines(write(formats.getOpenMetricsTextFormatWriter(), scheme)))
          .as("OpenMetrics, %s", scheme)
          .isEqualTo(expected);
    }
  }

  @Test
  void aNamespaceGoesInFront() {
    metrics("prometheus.profile", "django", "prometheus.metric-namespace", "shop").set("default", 1, 0);
    assertThat(TextScrape.of(registry).samples())
        .containsExactly(
            "shop_django_migrations_applied_total{connection=\"default\"} 1.0",
            "shop_django_migrations_unapplied_total{connection=\"default\"} 0.0");
  }

  /**
   * promtool accepts the java names without a word. Of the django gauges (1.10) it says what it
   * thinks of gauges ending in _total (a lint warning, exit code 3) and nothing else: the text
   * parses, and it is what django-prometheus itself exposes. The counters of 1.4.3 it accepts.
   */
  @Test
  void promtoolChecksBothProfiles() {
    metrics().set("default", 3, 1);
    Promtool.Result java = Promtool.checkMetrics(TextScrape.of(registry).text());
    assertThat(java.output()).isEmpty();
    assertThat(java.exitCode()).isZero();

    PrometheusRegistry django = new PrometheusRegistry();
    metrics(django, "prometheus.profile", "django").set("default", 3, 1);
    Promtool.Result r = Promtool.checkMetrics(TextScrape.of(django).text());
    if (ClientJava.refusesTotalInNames()) {
      assertThat(r.output()).isEmpty();
      assertThat(r.exitCode()).isZero();
    } else {
      assertThat(r.output())
          .isEqualTo(
              "django_migrations_applied_total non-counter metrics should not have \"_total\" suffix\n"
                  + "django_migrations_unapplied_total non-counter metrics should not have \"_total\" suffix\n");
      assertThat(r.exitCode()).isEqualTo(3);
    }
  }

  @Test
  void offWithExportMigrationsFalse() {
    MigrationMetrics m = metrics("prometheus.export-migrations", "false");
    m.set("default", 3, 1);
    assertThat(m.enabled()).isFalse();
    assertThat(m.names()).isEmpty();
    assertThat(TextScrape.of(registry).text()).isEmpty();
  }

  @Test
  void aSecondContextOnTheSameRegistrySharesTheGauges() {
    metrics().set("default", 1, 2);
    MigrationMetrics restarted = metrics();
    assertThat(TextScrape.of(registry).value("java_migrations_applied{connection=\"default\"}"))
        .isEqualTo(1);
    restarted.set("default", 3, 0);
    assertThat(TextScrape.of(registry).samples())
        .containsExactly(
            "java_migrations_applied{connection=\"default\"} 3.0",
            "java_migrations_unapplied{connection=\"default\"} 0.0");
  }

  /** promtool, installed by scripts/install-test-tools.sh; missing, it fails the test. */
  static final class Promtool {
    /** Far above promtool's few milliseconds; a hung promtool fails the test, never the build. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    record Result(int exitCode, String output) {}

    private Promtool() {}

    /**
     * {@code promtool check metrics} on {@code text}. Processes kills it at the deadline and fails
     * with the command and what it wrote; its output is drained concurrently, so a full pipe
     * cannot hang it either.
     */
    static Result checkMetrics(String text) {
      Processes.Result r =
          Processes.run(
              DEADLINE,
              new ProcessBuilder(Tools.require("promtool").toString(), "check", "metrics")
                  .redirectErrorStream(true),
              text);
      return new Result(r.exitCode(), r.output());
    }
  }
}
