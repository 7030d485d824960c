package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.TextScrape;
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

    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send("GET", "/myview2/").body()).isEqualTo("hello");
    assertThat(send("GET", "/myview3/").body()).isEqualTo("zhangsan");
    assertThat(send("GET", "/boom/").statusCode()).isEqualTo(500);
    assertThat(send("GET", "/nothere/").statusCode()).isEqualTo(404);
    assertThat(send("BREW", "/myview/").body()).isEqualTo("hello");
    assertThat(send("POST", "/myview/").body()).isEqualTo("hello");

    // The response side is recorded as the filters unwind; wait for the eighth.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      scrape = TextScrape.parse(get(exporterPort, "/metrics"));
    } while (scrape.valueOrZero("java_http_responses_before_middlewares_total") < 8
        && System.nanoTime() < deadline);
    // The outer filter records last, but one scrape reads family after family: scrape again.
    scrape = TextScrape.parse(get(exporterPort, "/metrics"));
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
    assertThat(val("java_http_responses_total_by_charset_total{charset=\"UTF-8\"}"))
        .isGreaterThanOrEqualTo(6);
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
    Tools.Result r =
        Tools.run(scrape.text(), Tools.require("promtool").toString(), "check", "metrics");
    assertThat(r.output()).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  @Order(3)
  void aRealPrometheusServerScrapesTheExporter() throws Exception {
    Path prometheus = Tools.require("prometheus");
    int port = Tools.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: demo\n"
            + "    static_configs:\n      - targets: ['127.0.0.1:"
            + exporterPort
            + "']\n");
    Process server =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      String query =
          URLEncoder.encode(
              "java_http_responses_total_by_status_total{status=\"500\",job=\"demo\"}",
              StandardCharsets.UTF_8);
      String body = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          body = get(port, "/api/v1/query?query=" + query);
          if (body.contains("\"value\"")) {
            break;
          }
        } catch (java.io.IOException notUpYet) {
          // the server is still starting
        }
        Thread.sleep(250);
      }
      assertThat(body)
          .withFailMessage("Prometheus never scraped the exporter: %s%n%s", body,
              Files.exists(dir.resolve("prometheus.log")) ? Files.readString(dir.resolve("prometheus.log")) : "")
          .contains("\"status\":\"success\"")
          .contains("\"java_http_responses_total_by_status_total\"")
          .endsWith(",\"1\"]}]}}");
    } finally {
      server.destroy();
      server.waitFor();
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
  void myView2ShowsTheDatabaseFamiliesOfTheSqliteDatabase() {
    String labels = "{alias=\"default\",vendor=\"sqlite\"}";
    // 30 statements, each one execute on the SQLite file:
    //  25  Flyway's start-up migrate of the empty file: its sqlite_master checks, CREATE TABLE and
    //      CREATE INDEX of flyway_schema_history, reads of the history, V1__create_t_user.sql and
    //      the history row recording it;
    //   4  the migration gauges reading flyway.info() right after;
    //   0  Hibernate's start-up (the SQLite dialect reads JDBC metadata, it runs no statement);
    //   1  the INSERT of /myview2/ (the id is generated in Java: no identity read-back).
    assertThat(val("java_db_execute_total" + labels)).isEqualTo(30);
    assertThat(val("java_db_query_duration_seconds_count" + labels)).isEqualTo(30);
    assertThat(val("java_db_execute_many_total" + labels)).isZero();
    // Physical connections of the HikariCP pool (maximum-pool-size=4), not its checkouts.
    assertThat(val("java_db_new_connections_total" + labels)).isBetween(1.0, 4.0);
    assertThat(val("java_db_new_connection_errors_total" + labels)).isZero();
    assertThat(val("java_db_pool_max_connections" + labels)).isEqualTo(4);
    assertThat(scrape.samplesStartingWith("java_db_errors_total")).isEmpty();
  }
}
