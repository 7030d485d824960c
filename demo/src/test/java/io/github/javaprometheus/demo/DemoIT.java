package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.testing.Tools;
import io.github.javaprometheus.springboot.JavaPrometheusExporter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The acceptance run: the demo's requests, its exporter scrape with the values they imply,
 * promtool's verdict, and a real Prometheus server scraping the exporter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {
  private static final String VIEW = "io.github.javaprometheus.demo.DemoController.";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static ConfigurableApplicationContext app;
  private static int appPort;
  private static int exporterPort;
  private static TextScrape beforeRequests;
  private static TextScrape scrape;

  @BeforeAll
  static void startDemoAndSendTheRequests() throws Exception {
    // Command-line arguments: they win over the demo's application.properties (8000/8001).
    app =
        new SpringApplicationBuilder(DemoApplication.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--prometheus.export.port=0",
                "--prometheus.export.address=127.0.0.1",
                "--spring.datasource.url=jdbc:sqlite:" + dir.resolve("demo.db"));
    appPort = ((WebServerApplicationContext) app).getWebServer().getPort();
    exporterPort = app.getBean(JavaPrometheusExporter.class).port();
    // Start-up is over (Flyway migrated, the gauges read it): what the requests add is measured
    // from here.
    beforeRequests = DemoJar.scrape(exporterPort);

    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send("GET", "/myview2/").body()).isEqualTo("hello");
    assertThat(send("GET", "/myview3/").body()).isEqualTo("zhangsan");
    assertThat(send("GET", "/boom/").statusCode()).isEqualTo(500);
    assertThat(send("GET", "/nothere/").statusCode()).isEqualTo(404);
    assertThat(send("BREW", "/myview/").body()).isEqualTo("hello");
    assertThat(send("POST", "/myview/").body()).isEqualTo("hello");

    // The outer filter records responses_before last: wait for the eighth, then scrape afresh.
    scrape = DemoJar.awaitResponses(exporterPort, "java", 8);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    io.github.javaprometheus.exporter.MetricsExporter.stopRunning();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String get(int port, String path) throws Exception {
    return CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double val(String series) {
    Double v = scrape.value(series);
    assertThat(v).withFailMessage("no sample %s in:%n%s", series, scrape.text()).isNotNull();
    return v;
  }

  private static double before(String series) {
    Double v = beforeRequests.value(series);
    assertThat(v).withFailMessage("no sample %s in:%n%s", series, beforeRequests.text()).isNotNull();
    return v;
  }

  @Test
  @Order(1)
  void theExporterShowsEveryHttpFamilyWithTheValuesTheRequestsImply() {
    assertThat(val("java_http_requests_before_middlewares_total")).isEqualTo(8);
    assertThat(val("java_http_responses_before_middlewares_total")).isEqualTo(8);
    assertThat(val("java_http_requests_latency_including_middlewares_seconds_count")).isEqualTo(8);
    assertThat(val("java_http_requests_unknown_latency_including_middlewares_total")).isEqualTo(0);
    assertThat(val("java_http_requests_unknown_latency_total")).isEqualTo(0);
    assertThat(val("java_http_ajax_requests_total")).isEqualTo(0);
    assertThat(val("java_http_requests_total_by_method_total{method=\"GET\"}")).isEqualTo(6);
    assertThat(val("java_http_requests_total_by_method_total{method=\"POST\"}")).isEqualTo(1);
    assertThat(val("java_http_requests_total_by_method_total{method=\"<invalid method>\"}"))
        .isEqualTo(1);
    assertThat(val("java_http_requests_total_by_transport_total{transport=\"http\"}"))
        .isEqualTo(8);
    assertThat(
            val(
                "java_http_requests_total_by_view_transport_method_total{view=\""
                    + VIEW
                    + "myView\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(2);
    assertThat(
            val(
                "java_http_requests_total_by_view_transport_method_total{view=\""
                    + VIEW
                    + "myView\",transport=\"http\",method=\"POST\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                "java_http_requests_total_by_view_transport_method_total{view=\""
                    + VIEW
                    + "myView\",transport=\"http\",method=\"<invalid method>\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                "java_http_requests_total_by_view_transport_method_total{view=\"<unnamed view>\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(val("java_http_requests_body_total_bytes_count")).isEqualTo(8);
    assertThat(val("java_http_requests_body_total_bytes_sum")).isEqualTo(0);
    assertThat(
            val(
                "java_http_responses_total_by_templatename_total{templatename=\"<unknown template>\"}"))
        .isEqualTo(8);
    assertThat(val("java_http_responses_total_by_status_total{status=\"200\"}")).isEqualTo(6);
    assertThat(val("java_http_responses_total_by_status_total{status=\"404\"}")).isEqualTo(1);
    assertThat(val("java_http_responses_total_by_status_total{status=\"500\"}")).isEqualTo(1);
    assertThat(
            val(
                "java_http_responses_total_by_status_view_method_total{status=\"200\",view=\""
                    + VIEW
                    + "myView2\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                "java_http_responses_total_by_status_view_method_total{status=\"200\",view=\""
                    + VIEW
                    + "myView3\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                "java_http_responses_total_by_status_view_method_total{status=\"500\",view=\""
                    + VIEW
                    + "boom\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                "java_http_responses_total_by_status_view_method_total{status=\"404\",view=\"<unnamed view>\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(val("java_http_responses_body_total_bytes_count")).isEqualTo(8);
    // hello x5 (GET x2, myview2, BREW, POST) + zhangsan; error pages are the container's
    assertThat(val("java_http_responses_body_total_bytes_sum")).isEqualTo(5 * 5 + 8);
    assertThat(scrape.samplesStartingWith("java_http_responses_total_by_charset_total"))
        .containsExactly(
            // the 404 and the 500: no content type set when the filters see them, so the
            // servlet default, as Django reports its default charset
            "java_http_responses_total_by_charset_total{charset=\"ISO-8859-1\"} 2.0",
            "java_http_responses_total_by_charset_total{charset=\"UTF-8\"} 6.0");
    assertThat(val("java_http_responses_streaming_total")).isEqualTo(0);
    assertThat(
            val(
                "java_http_requests_latency_seconds_by_view_method_count{view=\""
                    + VIEW
                    + "myView\",method=\"GET\"}"))
        .isEqualTo(2);
    assertThat(
            val(
                "java_http_requests_latency_seconds_by_view_method_count{view=\""
                    + VIEW
                    + "boom\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(val("java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"}"))
        .isEqualTo(1);
    assertThat(val("java_http_exceptions_total_by_view_total{view=\"" + VIEW + "boom\"}"))
        .isEqualTo(1);
    assertThat(scrape.samplesStartingWith("jvm_memory_used_bytes")).isNotEmpty();
    // /myview3/: one put and one get of "name" in the in-process (ConcurrentMapCache) cache.
    assertThat(scrape.samplesStartingWith("java_cache_get"))
        .containsExactlyInAnyOrder(
            "java_cache_get_total{backend=\"simple\",cache=\"default\"} 1.0",
            "java_cache_get_hits_total{backend=\"simple\",cache=\"default\"} 1.0",
            "java_cache_get_misses_total{backend=\"simple\",cache=\"default\"} 0.0",
            "java_cache_get_fail_total{backend=\"simple\",cache=\"default\"} 0.0");
    assertThat(
            app.getBean(JdbcTemplate.class)
                .queryForObject(
                    "SELECT count(*) FROM t_user WHERE name='zhangsan' AND age=12 AND sex='male'",
                    Integer.class))
        .isEqualTo(1);
  }

  @Test
  @Order(2)
  void promtoolReportsNothing() throws Exception {
    Processes.Result r =
        Processes.run(
            Duration.ofSeconds(60),
            new ProcessBuilder(Tools.require("promtool").toString(), "check", "metrics")
                .redirectErrorStream(true),
            scrape.text());
    assertThat(r.output()).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  @Order(3)
  void aRealPrometheusServerScrapesTheExporter() throws Exception {
    Path prometheus = Tools.require("prometheus");
    int port = FreePorts.next();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: demo\n"
            + "    static_configs:\n      - targets: ['127.0.0.1:"
            + exporterPort
            + "']\n");
    try (ServerProcess server =
        ServerProcess.command(
                prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .readyWhen(Probe.http("http://127.0.0.1:" + port + "/-/ready"))
            .startTimeout(Duration.ofSeconds(60))
            .start()) {
      String query =
          URLEncoder.encode(
              "java_http_responses_total_by_status_total{status=\"500\",job=\"demo\"}",
              StandardCharsets.UTF_8);
      String body = get(port, "/api/v1/query?query=" + query);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!body.contains("\"value\"") && System.nanoTime() - deadline < 0) {
        Thread.sleep(250);
        body = get(port, "/api/v1/query?query=" + query);
      }
      assertThat(body)
          .withFailMessage(
              "Prometheus never scraped the exporter within 60 s: %s%n%s", body, server.output())
          .contains("\"status\":\"success\"")
          .contains("\"java_http_responses_total_by_status_total\"")
          .endsWith(",\"1\"]}]}}");
    }
  }

  @Test
  @Order(4)
  void myView2ShowsOneUserInsertAndFlywaysMigrationIsApplied() {
    // Every entity has its three series from start-up; /myview2/ saved one User.
    assertThat(scrape.samplesStartingWith("java_model_"))
        .containsExactlyInAnyOrder(
            "java_model_inserts_total{model=\"User\"} 1.0",
            "java_model_updates_total{model=\"User\"} 0.0",
            "java_model_deletes_total{model=\"User\"} 0.0");
    assertThat(scrape.samplesStartingWith("java_migrations_"))
        .containsExactly(
            "java_migrations_applied{connection=\"default\"} 1.0",
            "java_migrations_unapplied{connection=\"default\"} 0.0");
    assertThat(scrape.text()).contains("# TYPE java_migrations_applied gauge\n");
  }

  @Test
  @Order(5)
  void myView2ShowsTheDatabaseFamiliesOfTheSqliteDatabase() throws Exception {
    String labels = "{alias=\"default\",vendor=\"sqlite\"}";
    // What the eight requests added, one execute on the SQLite file: the INSERT of /myview2/ (the
    // id is generated in Java: no identity read-back). The start-up's statements (Flyway's
    // migrate, the migration gauges reading flyway.info()) are Flyway's business and before
    // beforeRequests.
    assertThat(val("java_db_execute_total" + labels) - before("java_db_execute_total" + labels))
        .isEqualTo(1);
    assertThat(
            val("java_db_query_duration_seconds_count" + labels)
                - before("java_db_query_duration_seconds_count" + labels))
        .isEqualTo(1);
    assertThat(val("java_db_execute_many_total" + labels)).isZero();
    // Physical connections of the HikariCP pool, not its checkouts: minimum-idle defaults to
    // maximum-pool-size (4), so Hikari opens exactly 4, the last ones in the background.
    assertThat(
            DemoJar.awaitValue(exporterPort, "java_db_new_connections_total" + labels, 4)
                .value("java_db_new_connections_total" + labels))
        .isEqualTo(4);
    assertThat(val("java_db_new_connection_errors_total" + labels)).isZero();
    assertThat(val("java_db_pool_max_connections" + labels)).isEqualTo(4);
    assertThat(scrape.samplesStartingWith("java_db_errors_total")).isEmpty();
  }
}
