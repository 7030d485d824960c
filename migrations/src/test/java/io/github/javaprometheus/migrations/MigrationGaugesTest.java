package io.github.javaprometheus.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.core.TextScrape;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The exposed lines of the migration gauges, on whichever client_java the build uses (1.10.0 by
 * default, 1.4.3 with -Pclient-java-boot), and what promtool says of them.
 */
class MigrationGaugesTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private MigrationMetrics metrics(String... settings) {
    PrometheusSettings.Builder b = PrometheusSettings.builder();
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    return MigrationMetrics.create(MetricFamilies.create(b.build(), registry));
  }

  private String openMetrics() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getOpenMetricsTextFormatWriter().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theJavaProfileExposesGaugesNamedAsTheDesignSays() {
    MigrationMetrics m = metrics();
    m.set("default", 3, 1);
    m.set("orders", 5, 0);
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
  void theDjangoProfileExposesDjangoPrometheusesGaugesEndingInTotal() throws Exception {
    MigrationMetrics m = metrics("prometheus.profile", "django");
    m.set("default", 3, 1);
    assertThat(m.names())
        .containsExactly("django_migrations_applied_total", "django_migrations_unapplied_total");
    // Exactly what prometheus_client prints for django-prometheus's Gauge("django_migrations_applied_total", ...).
    assertThat(TextScrape.of(registry).text())
        .isEqualTo(
            "# HELP django_migrations_applied_total Count of applied migrations by database connection\n"
                + "# TYPE django_migrations_applied_total gauge\n"
                + "django_migrations_applied_total{connection=\"default\"} 3.0\n"
                + "# HELP django_migrations_unapplied_total Count of unapplied migrations by database connection\n"
                + "# TYPE django_migrations_unapplied_total gauge\n"
                + "django_migrations_unapplied_total{connection=\"default\"} 1.0\n");
    assertThat(openMetrics())
        .contains(
            "# TYPE django_migrations_applied_total gauge\n"
                + "# HELP django_migrations_applied_total Count of applied migrations by database connection\n"
                + "django_migrations_applied_total{connection=\"default\"} 3.0\n")
        .endsWith("# EOF\n");
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
   * promtool accepts the java names without a word. Of the django names, it says what it thinks
   * of gauges ending in _total (a lint warning, exit code 3) and nothing else: the text parses,
   * and it is what django-prometheus itself exposes.
   */
  @Test
  void promtoolChecksBothProfiles() throws Exception {
    metrics().set("default", 3, 1);
    Promtool.Result java = Promtool.checkMetrics(TextScrape.of(registry).text());
    assertThat(java.output()).isEmpty();
    assertThat(java.exitCode()).isZero();

    PrometheusRegistry django = new PrometheusRegistry();
    MigrationMetrics.create(
            MetricFamilies.create(
                PrometheusSettings.builder().set("prometheus.profile", "django").build(), django))
        .set("default", 3, 1);
    Promtool.Result r = Promtool.checkMetrics(TextScrape.of(django).text());
    assertThat(r.output())
        .isEqualTo(
            "django_migrations_applied_total non-counter metrics should not have \"_total\" suffix\n"
                + "django_migrations_unapplied_total non-counter metrics should not have \"_total\" suffix\n");
    assertThat(r.exitCode()).isEqualTo(3);
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
    record Result(int exitCode, String output) {}

    static Result checkMetrics(String text) throws Exception {
      Path promtool = null;
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        Path p = Path.of(dir, "promtool");
        if (Files.isExecutable(p)) {
          promtool = p;
          break;
        }
      }
      if (promtool == null) {
        throw new IllegalStateException(
            "promtool is not installed: run scripts/install-test-tools.sh (Debian package prometheus)");
      }
      Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), out);
    }
  }
}
