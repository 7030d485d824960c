package io.github.javaprometheus.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Applied and unapplied migrations read from Flyway and Liquibase on one real database. */
abstract class MigrationsContract {
  final PrometheusRegistry registry = new PrometheusRegistry();
  MigrationMetrics metrics;
  DataSource db;

  /** An empty database of its own for each test. */
  abstract DataSource freshDatabase() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    metrics = MigrationMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    db = freshDatabase();
  }

  private FluentConfiguration flyway(String location) {
    return Flyway.configure().dataSource(db).locations("classpath:db/flyway/" + location);
  }

  private TextScrape scrape() {
    return TextScrape.of(registry);
  }

  /** The two sample lines of connection {@code default}. */
  private void assertCounts(long applied, long unapplied) {
    assertThat(scrape().samplesStartingWith("java_migrations_"))
        .containsExactly(
            "java_migrations_applied{connection=\"default\"} " + (double) applied,
            "java_migrations_unapplied{connection=\"default\"} " + (double) unapplied);
  }

  /** Background refreshes: waits until the scrape shows the counts, then asserts them. */
  private void awaitCounts(long applied, long unapplied) throws InterruptedException {
    String expected = "java_migrations_applied{connection=\"default\"} " + (double) applied;
    String expectedUnapplied = "java_migrations_unapplied{connection=\"default\"} " + (double) unapplied;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline
        && !(scrape().samples().contains(expected) && scrape().samples().contains(expectedUnapplied))) {
      Thread.sleep(20);
    }
    // Past the deadline this fails naming the wait, with the counts the scrape shows instead.
    assertThat(scrape().samplesStartingWith("java_migrations_"))
        .as("counts of the background refresh, awaited for 30 s")
        .containsExactly(expected, expectedUnapplied);
  }

  @Test
  void flywayPendingMigrationsAreUnappliedUntilMigrated() {
    Flyway flyway = flyway("three").load();
    FlywayMigrations.record(flyway, metrics, "default");
    assertCounts(0, 3);
    FlywayMigrations.migrate(flyway, metrics, "default");
    assertCounts(3, 0);
  }

  @Test
  void flywayMigrationsAboveTheTargetStayUnapplied() {
    FlywayMigrations.migrate(flyway("three").target("1").load(), metrics, "default");
    assertCounts(1, 2);
  }

  @Test
  void aFailedFlywayMigrationIsUnappliedAndItsErrorReachesTheCaller() {
    Flyway flyway = flyway("broken").load();
    assertThatThrownBy(() -> FlywayMigrations.migrate(flyway, metrics, "default"))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("no_such_table");
    // V1 applied; V2 failed and was rolled back as a whole; V3 never ran.
    assertCounts(1, 2);
  }

  @Test
  void theFlywayCallbackRefreshesTheCountsWhenMigrationsRunAgain() throws Exception {
    FluentConfiguration config =
        flyway("three").callbacks(FlywayMigrations.callback(metrics, "default"));
    config.target("1").load().migrate();
    awaitCounts(1, 2);
    config.target("latest").load().migrate();
    awaitCounts(3, 0);
  }

  @Test
  void theFlywayCallbackSeesAFailedMigrateToo() throws Exception {
    Flyway flyway =
        flyway("broken").callbacks(FlywayMigrations.callback(metrics, "default")).load();
    assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class);
    awaitCounts(1, 2);
  }

  @Test
  void liquibasePendingChangeSetsAreUnappliedUntilTheUpdateRuns() throws Exception {
    LiquibaseMigrations changes =
        LiquibaseMigrations.of(db, "db/liquibase/changelog.xml", new ClassLoaderResourceAccessor())
            .contexts("prod");
    changes.record(metrics, "default");
    // Change set 4 is for context demo-data only: an update for prod would not run it.
    assertCounts(0, 3);
    update("db/liquibase/changelog.xml", "prod");
    changes.record(metrics, "default");
    assertCounts(3, 0);
    changes.contexts("prod,demo-data").record(metrics, "default");
    assertCounts(3, 1);
  }

  @Test
  void aFailedLiquibaseChangeSetIsUnapplied() throws Exception {
    assertThatThrownBy(() -> update("db/liquibase/broken.xml", null))
        .isInstanceOf(LiquibaseException.class);
    LiquibaseMigrations.of(db, "db/liquibase/broken.xml", new ClassLoaderResourceAccessor())
        .record(metrics, "default");
    // Change set 1 ran; 2 failed (nothing recorded for it); 3 never ran.
    assertCounts(1, 2);
  }

  /** Liquibase's own update, as an application runs it. */
  private void update(String changeLog, String contexts) throws Exception {
    try (Connection c = db.getConnection()) {
      Database database =
          DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(), database);
      liquibase.update(new Contexts(contexts), new LabelExpression());
    }
  }
}
