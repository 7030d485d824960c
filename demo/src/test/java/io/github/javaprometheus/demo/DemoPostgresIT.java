package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.jdbc.testing.PostgresServer;
import io.github.javaprometheus.testing.TextScrape;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's PostgreSQL configuration, switched on by settings only (environment variables, as a
 * deployment would), on the packaged jar against a real PostgreSQL server.
 */
class DemoPostgresIT {
  @Test
  void myView2InsertsIntoPostgresqlAndShowsVendorPostgresql(@TempDir Path dir) throws Exception {
    try (PostgresServer postgres = PostgresServer.start()) {
      try (DemoJar demo =
          new DemoJar(
              dir,
              Map.of(
                  "SPRING_DATASOURCE_URL", postgres.jdbcUrl(),
                  "SPRING_DATASOURCE_USERNAME", postgres.user(),
                  "SPRING_DATASOURCE_PASSWORD", postgres.password()))) {
        String labels = "{alias=\"default\",vendor=\"postgresql\"}";
        // Start-up is over once the migration gauges show what Flyway did: they are set after
        // the statements that read it, so from here on only the requests execute statements.
        TextScrape before = demo.awaitValue("java_migrations_applied{connection=\"default\"}", 1);
        assertThat(demo.get("/myview2/")).isEqualTo("hello");
        assertThat(demo.get("/myview2/")).isEqualTo("hello");
        // Physical connections of the HikariCP pool, not its checkouts: minimum-idle defaults to
        // maximum-pool-size (4), so Hikari opens exactly 4, the last ones in the background.
        demo.awaitValue("java_db_new_connections_total" + labels, 4);
        TextScrape scrape = demo.awaitResponses("java", 2);

        // What the requests add: the two INSERTs of /myview2/. Start-up's own statements
        // (Flyway's connection set-up, locks, history table and V1 migration, the gauges' read
        // of flyway.info(), Hibernate's "select version()") are Flyway's and Hibernate's to
        // change between versions; each of them is measured like the requests' ones.
        assertThat(scrape.value("java_db_execute_total" + labels)
                - before.value("java_db_execute_total" + labels))
            .isEqualTo(2);
        assertThat(scrape.value("java_db_query_duration_seconds_count" + labels))
            .isEqualTo(scrape.value("java_db_execute_total" + labels));
        assertThat(before.value("java_db_execute_total" + labels)).isPositive();
        assertThat(scrape.value("java_model_inserts_total{model=\"User\"}")).isEqualTo(2);
        assertThat(scrape.samplesStartingWith("java_migrations_"))
            .containsExactly(
                "java_migrations_applied{connection=\"default\"} 1.0",
                "java_migrations_unapplied{connection=\"default\"} 0.0");
        assertThat(scrape.value("java_db_new_connections_total" + labels)).isEqualTo(4);
        assertThat(scrape.value("java_db_new_connection_errors_total" + labels)).isZero();
        assertThat(scrape.value("java_db_pool_max_connections" + labels)).isEqualTo(4);
        assertThat(scrape.samplesStartingWith("java_db_")).noneMatch(s -> s.contains("sqlite"));
        assertThat(dir.resolve("java-prometheus-demo.db")).doesNotExist();
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
}
