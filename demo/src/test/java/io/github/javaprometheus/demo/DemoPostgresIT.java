package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.TextScrape;
import io.github.javaprometheus.jdbc.testing.PostgresServer;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's PostgreSQL configuration, switched on by settings only (environment variables, as a
 * deployment would), on the packaged jar against a real PostgreSQL server.
 */
class DemoPostgresIT {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void myView2InsertsIntoPostgresqlAndShowsVendorPostgresql(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("demo.jar", "target/java-prometheus-demo.jar"));
    assertThat(jar).exists();
    try (PostgresServer postgres = PostgresServer.start()) {
      int appPort = Tools.freePort();
      int exporterPort = Tools.freePort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=" + appPort)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("demo.log").toFile());
      pb.environment().put("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporterPort));
      pb.environment().put("SPRING_DATASOURCE_URL", postgres.jdbcUrl());
      pb.environment().put("SPRING_DATASOURCE_USERNAME", postgres.user());
      pb.environment().put("SPRING_DATASOURCE_PASSWORD", postgres.password());
      Process demo = pb.start();
      try {
        assertThat(awaitBody("http://127.0.0.1:" + appPort + "/myview2/", demo, dir))
            .isEqualTo("hello");
        assertThat(get("http://127.0.0.1:" + appPort + "/myview2/")).isEqualTo("hello");
        TextScrape scrape = TextScrape.parse(get("http://127.0.0.1:" + exporterPort + "/metrics"));

        String labels = "{alias=\"default\",vendor=\"postgresql\"}";
        // 77 statements on a new PostgreSQL database:
        //  53  Flyway's start-up migrate: its connection set-up (version, search_path, user, role),
        //      the advisory locks, CREATE TABLE, primary key and index of flyway_schema_history,
        //      reads of the history, V1__create_t_user.sql and the history row recording it;
        //  21  the migration gauges reading flyway.info() right after (a new Flyway connection
        //      set-up, then the history read);
        //   1  Hibernate's start-up "select version()";
        //   2  the two INSERTs of /myview2/.
        assertThat(scrape.value("java_db_execute_total" + labels)).isEqualTo(77);
        assertThat(scrape.value("java_db_query_duration_seconds_count" + labels)).isEqualTo(77);
        assertThat(scrape.value("java_model_inserts_total{model=\"User\"}")).isEqualTo(2);
        assertThat(scrape.samplesStartingWith("java_migrations_"))
            .containsExactly(
                "java_migrations_applied{connection=\"default\"} 1.0",
                "java_migrations_unapplied{connection=\"default\"} 0.0");
        assertThat(scrape.value("java_db_new_connections_total" + labels)).isBetween(1.0, 4.0);
        assertThat(scrape.value("java_db_new_connection_errors_total" + labels)).isZero();
        assertThat(scrape.value("java_db_pool_max_connections" + labels)).isEqualTo(4);
        assertThat(scrape.samplesStartingWith("java_db_")).noneMatch(s -> s.contains("sqlite"));
        assertThat(dir.resolve("java-prometheus-demo.db")).doesNotExist();
      } finally {
        demo.destroy();
        demo.waitFor();
      }
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM t_user WHERE name='zhangsan' AND age=12 AND sex='male'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
  }

  private String get(String url) throws Exception {
    return client
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
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
    throw new AssertionError(
        "demo did not come up:\n" + (log.exists() ? Files.readString(log.toPath()) : ""));
  }
}
