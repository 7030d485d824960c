package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.TextScrape;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo command, run as written: the packaged jar, ports moved, django profile. */
class DemoJarIT {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void thePackagedJarServesDjangoNamedSeriesOnTheExporterPort(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("demo.jar", "target/java-prometheus-demo.jar"));
    assertThat(jar).exists();
    int appPort = Tools.freePort();
    int exporterPort = Tools.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=" + appPort)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("demo.log").toFile());
    pb.environment().put("PROMETHEUS_PROFILE", "django");
    pb.environment().put("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporterPort));
    Process demo = pb.start();
    try {
      String hello = awaitBody("http://127.0.0.1:" + appPort + "/myview/", demo, dir);
      assertThat(hello).isEqualTo("hello");
      assertThat(get("http://127.0.0.1:" + appPort + "/myview2/")).isEqualTo("hello");
      get("http://127.0.0.1:" + appPort + "/metrics");
      TextScrape s = TextScrape.parse(get("http://127.0.0.1:" + exporterPort + "/metrics"));
      assertThat(s.samplesStartingWith("java_http")).isEmpty();
      assertThat(s.value("django_http_requests_total_by_method_total{method=\"GET\"}"))
          .isGreaterThanOrEqualTo(3);
      assertThat(
              s.value(
                  "django_http_requests_total_by_view_transport_method_total{view=\"prometheus-django-metrics\",transport=\"http\",method=\"GET\"}"))
          .isEqualTo(1);
      // django-prometheus's model and migration series, byte for byte: the gauges keep their
      // _total, on client_java 1.4.3 (Spring Boot's, with -Pclient-java-boot) as on 1.10.
      assertThat(s.samplesStartingWith("django_model_"))
          .containsExactlyInAnyOrder(
              "django_model_inserts_total{model=\"User\"} 1.0",
              "django_model_updates_total{model=\"User\"} 0.0",
              "django_model_deletes_total{model=\"User\"} 0.0");
      assertThat(s.text())
          .contains(
              "# HELP django_migrations_applied_total Count of applied migrations by database connection\n"
                  + "# TYPE django_migrations_applied_total gauge\n"
                  + "django_migrations_applied_total{connection=\"default\"} 1.0\n")
          .contains(
              "# TYPE django_migrations_unapplied_total gauge\n"
                  + "django_migrations_unapplied_total{connection=\"default\"} 0.0\n");
      assertThat(dir.resolve("java-prometheus-demo.db")).exists();
    } finally {
      demo.destroy();
      demo.waitFor();
    }
  }

  private String get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private String awaitBody(String url, Process demo, Path dir) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline && demo.isAlive()) {
      try {
        return get(url);
      } catch (java.io.IOException notYet) {
        Thread.sleep(200);
      }
    }
    File log = dir.resolve("demo.log").toFile();
    throw new AssertionError("demo did not come up:\n" + (log.exists() ? Files.readString(log.toPath()) : ""));
  }
}
