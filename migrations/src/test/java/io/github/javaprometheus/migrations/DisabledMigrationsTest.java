package io.github.javaprometheus.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.SettingSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteDataSource;

/**
 * {@code prometheus.enabled=false}, from each source of the settings model: every Flyway and
 * Liquibase entry point migrates the SQLite database exactly as the tool alone does, and no family
 * reaches the registry.
 */
class DisabledMigrationsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private MigrationMetrics disabled(SettingSource source, Path dir) {
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            source.framework("prometheus.enabled", "false"),
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    assertThat(settings.enabled()).isFalse();
    return MigrationMetrics.create(MetricFamilies.create(settings, registry));
  }

  private static DataSource sqlite(Path file) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + file);
    return ds;
  }

  private static FluentConfiguration flyway(DataSource db) {
    return Flyway.configure().dataSource(db).locations("classpath:db/flyway/three");
  }

  /** The application's tables (SQLite's and the tools' own left out) and the columns of book. */
  private static List<String> schema(DataSource db) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('book', 'author')"
                  + " ORDER BY name")) {
        while (rs.next()) {
          found.add("table " + rs.getString(1));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('book') ORDER BY cid")) {
        while (rs.next()) {
          found.add("book." + rs.getString(1));
        }
      }
    }
    return found;
  }

  /** Flyway's history: version and success of each applied migration. */
  private static List<String> flywayHistory(DataSource db) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + ":" + rs.getInt(2));
      }
    }
    return rows;
  }

  private static final List<String> MIGRATED =
      List.of("table author", "table book", "book.id", "book.title", "book.pages");

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void flywayMigrateMigratesAndRegistersNothing(SettingSource source, @TempDir Path dir)
      throws Exception {
    MigrationMetrics metrics = disabled(source, dir);
    DataSource db = sqlite(dir.resolve("migrate.db"));
    Flyway flyway = flyway(db).load();

    FlywayMigrations.record(flyway, metrics, "default");
    FlywayMigrations.migrate(flyway, metrics, "default");
    FlywayMigrations.record(flyway, metrics, "default");

    assertThat(schema(db)).containsExactlyElementsOf(MIGRATED);
    assertThat(flywayHistory(db)).containsExactly("1:1", "2:1", "3:1");
    assertThat(registry.scrape().size()).isZero();
    assertThat(metrics.enabled()).isFalse();
    assertThat(metrics.names()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void theFlywayCallbackLeavesTheMigrationAsItIsAndRegistersNothing(
      SettingSource source, @TempDir Path dir) throws Exception {
    MigrationMetrics metrics = disabled(source, dir);
    DataSource db = sqlite(dir.resolve("callback.db"));
    FluentConfiguration config =
        flyway(db).callbacks(FlywayMigrations.callback(metrics, "default"));

    config.target("1").load().migrate();
    assertThat(flywayHistory(db)).containsExactly("1:1");
    config.target("latest").load().migrate();

    assertThat(schema(db)).containsExactlyElementsOf(MIGRATED);
    assertThat(flywayHistory(db)).containsExactly("1:1", "2:1", "3:1");
    // A refresh would be queued on the refresh thread; none is, as the callback supports no event.
    assertThat(registry.scrape().size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void liquibaseUpdatesAndRegistersNothing(SettingSource source, @TempDir Path dir)
      throws Exception {
    MigrationMetrics metrics = disabled(source, dir);
    DataSource db = sqlite(dir.resolve("liquibase.db"));
    LiquibaseMigrations changes =
        LiquibaseMigrations.of(db, "db/liquibase/changelog.xml", new ClassLoaderResourceAccessor())
            .contexts("prod");

    changes.record(metrics, "default");
    try (Connection c = db.getConnection()) {
      Database database =
          DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      new Liquibase("db/liquibase/changelog.xml", new ClassLoaderResourceAccessor(), database)
          .update(new Contexts("prod"), new LabelExpression());
    }
    changes.record(metrics, "default");

    assertThat(schema(db)).containsExactlyElementsOf(MIGRATED);
    List<String> ran = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM DATABASECHANGELOG ORDER BY orderexecuted")) {
      while (rs.next()) {
        ran.add(rs.getString(1));
      }
    }
    assertThat(ran).containsExactly("1", "2", "3");
    assertThat(registry.scrape().size()).isZero();
  }
}
