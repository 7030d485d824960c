package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, as {@code java -jar} runs it: the django profile by environment only. */
class DemoJarIT {
  @Test
  void thePackagedJarServesDjangoNamedSeriesOnTheExporterPort(@TempDir Path dir) throws Exception {
    try (DemoJar demo = new DemoJar(dir, Map.of("PROMETHEUS_PROFILE", "django"))) {
      assertThat(demo.get("/myview/")).isEqualTo("hello");
      assertThat(demo.get("/myview2/")).isEqualTo("hello");
      assertThat(demo.send("/metrics").statusCode()).isEqualTo(200);
      TextScrape s = demo.awaitResponses("django", 3);
      assertThat(s.samplesStartingWith("java_http")).isEmpty();
      // /myview/, /myview2/ and /metrics of the application port; the exporter's own port is not
      // served by the filters.
      assertThat(s.value("django_http_requests_total_by_method_total{method=\"GET\"}"))
          .isEqualTo(3);
      assertThat(
              s.value(
                  "django_http_requests_total_by_view_transport_method_total{view=\"prometheus-django-metrics\",transport=\"http\",method=\"GET\"}"))
          .isEqualTo(1);
      // django-prometheus's model and migration series, byte for byte. The migration gauges are
      // gauges named with _total on client_java 1.6 and later (1.10 by default); 1.4.3 (Spring
      // Boot's, with -Pclient-java-boot) refuses such a name for any type but a counter, so there
      // they are counter families: the same series, only the TYPE line differs (see
      // MigrationGauges).
      String type = clientJavaVersion().equals("1.4.3") ? "counter" : "gauge";
      assertThat(s.samplesStartingWith("django_model_"))
          .containsExactlyInAnyOrder(
              "django_model_inserts_total{model=\"User\"} 1.0",
              "django_model_updates_total{model=\"User\"} 0.0",
              "django_model_deletes_total{model=\"User\"} 0.0");
      assertThat(s.text())
          .contains(
              "# HELP django_migrations_applied_total Count of applied migrations by database connection\n"
                  + "# TYPE django_migrations_applied_total " + type + "\n"
                  + "django_migrations_applied_total{connection=\"default\"} 1.0\n")
          .contains(
              "# TYPE django_migrations_unapplied_total " + type + "\n"
                  + "django_migrations_unapplied_total{connection=\"default\"} 0.0\n");
      assertThat(dir.resolve("java-prometheus-demo.db")).exists();
    }
  }

  /** The client_java the demo was built with: the build puts the same one on this class path. */
  private static String clientJavaVersion() throws java.io.IOException {
    try (java.io.InputStream in =
        io.prometheus.metrics.model.snapshots.MetricMetadata.class.getResourceAsStream(
            "/META-INF/maven/io.prometheus/prometheus-metrics-model/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      String version = p.getProperty("version");
      assertThat(version).isIn("1.4.3", "1.10.0");
      return version;
    }
  }
}
