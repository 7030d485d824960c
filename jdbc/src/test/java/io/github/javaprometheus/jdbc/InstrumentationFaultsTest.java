package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.MetricStore;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/** A store that cannot be written and hostile aliases: every query answers as without the library. */
class InstrumentationFaultsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private static SQLiteDataSource sqlite() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite::memory:");
    return ds;
  }

  /** A query's rows, then a bad query's exception class, SQL state and message. */
  private static List<String> exercise(DataSource ds) throws SQLException {
    List<String> seen = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table t (a int)");
      s.executeUpdate("insert into t values (1), (2)");
      try (ResultSet rs = s.executeQuery("select a from t order by a")) {
        while (rs.next()) {
          seen.add("row " + rs.getInt(1));
        }
      }
      SQLException e = (SQLException) catchThrowable(() -> s.executeQuery("select nope from t"));
      seen.add(e.getClass().getName() + " " + e.getSQLState() + " " + e.getErrorCode() + " " + e.getMessage());
    }
    return seen;
  }

  @Test
  void aStoreThatCannotBeWrittenChangesNoQueryAndEveryFailureIsCounted() throws Exception {
    MetricFamilies families =
        MetricFamilies.create(
            PrometheusSettings.defaults(), registry, new UnwritableStore(MetricStore.inRegistry(registry)));
    DataSource instrumented = InstrumentedDataSource.wrap(sqlite(), JdbcMetrics.create(families));

    List<String> seen = exercise(instrumented);

    assertThat(seen).isEqualTo(exercise(sqlite()));
    assertThat(seen.get(2)).startsWith("org.sqlite.SQLiteException");
    TextScrape scrape = TextScrape.of(registry);
    // One per failed write: the new connection, three executes, the bad query's execute and error.
    assertThat(scrape.value("java_instrumentation_errors_total{component=\"jdbc\"}")).isEqualTo(6.0);
    // Histograms are still written: four query durations.
    assertThat(scrape.value("java_db_query_duration_seconds_count{alias=\"default\",vendor=\"sqlite\"}")).isEqualTo(4.0);
  }

  @Test
  void aHostileAliasIsExposedCutToMaxLengthAndValid() throws Exception {
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    String alias = "a\"b\\c\nd\uDC00" + "e".repeat(100_000);
    DataSource instrumented =
        InstrumentedDataSource.builder(sqlite(), JdbcMetrics.create(families)).alias(alias).build();

    assertThat(exercise(instrumented)).isEqualTo(exercise(sqlite()));

    String exposed = "a\\\"b\\\\c\\nd\uFFFD" + "e".repeat(256 - 8);
    assertThat(TextScrape.of(registry).samplesStartingWith("java_db_execute_total"))
        .containsExactly("java_db_execute_total{alias=\"" + exposed + "\",vendor=\"sqlite\"} 4.0");
  }
}
