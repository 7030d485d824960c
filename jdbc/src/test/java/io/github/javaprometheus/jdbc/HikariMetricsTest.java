package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** {@link HikariMetrics} on real SQLite files, without any framework. */
class HikariMetricsTest {
  @TempDir Path dir;
  private final TestMetrics metrics = new TestMetrics();
  private HikariDataSource hikari;

  @AfterEach
  void closePool() {
    if (hikari != null) {
      hikari.close();
    }
    PrometheusDriver.useMetrics(null);
  }

  private String url() {
    return "jdbc:sqlite:" + dir.resolve("pool.db");
  }

  private HikariConfig config(int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("test");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    return config;
  }

  private void checkoutsWithAQueryEach(int checkouts) throws Exception {
    for (int i = 0; i < checkouts; i++) {
      try (Connection c = hikari.getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }
    }
    // Hikari fills the pool to minimumIdle in the background: let it finish before counting.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (hikari.getHikariPoolMXBean().getTotalConnections() < hikari.getMinimumIdle()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void aJdbcUrlPoolIsMeasuredBelowThePoolWithItsAliasAndVendor() throws Exception {
    HikariConfig config = config(2);
    config.setJdbcUrl(url());

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "orders")).isTrue();
    assertThat(config.getDataSource()).isInstanceOf(InstrumentedDataSource.class);
    assertThat(((InstrumentedDataSource) config.getDataSource()).alias()).isEqualTo("orders");
    assertThat(HikariMetrics.isInstrumented(config)).isTrue();
    hikari = new HikariDataSource(config);
    checkoutsWithAQueryEach(40);

    assertThat(hikari.getHikariPoolMXBean().getTotalConnections()).isEqualTo(2);
    assertThat(metrics.db("new_connections_total", "orders", "sqlite")).isEqualTo(2);
    assertThat(metrics.db("new_connection_errors_total", "orders", "sqlite")).isZero();
    assertThat(metrics.db("execute_total", "orders", "sqlite")).isEqualTo(40);
    assertThat(metrics.db("query_duration_seconds_count", "orders", "sqlite")).isEqualTo(40);
    assertThat(metrics.db("pool_max_connections", "orders", "sqlite")).isEqualTo(2);
    assertThat(metrics.db("pool_min_connections", "orders", "sqlite")).isEqualTo(2);
    assertThat(metrics.db("pool_connection_acquire_seconds_count", "orders", "sqlite"))
        .isEqualTo(40);
    assertThat(metrics.scrape().samplesStartingWith("java_db_pool_active_connections"))
        .containsExactly("java_db_pool_active_connections{alias=\"orders\",vendor=\"sqlite\"} 0.0");
    assertThat(metrics.instrumentationErrors()).isZero();
  }

  @Test
  void aDataSourceClassNameIsBuiltAsHikariWouldBuildItAndMeasured() throws Exception {
    HikariConfig config = config(1);
    config.setDataSourceClassName(SQLiteDataSource.class.getName());
    config.addDataSourceProperty("url", url());

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "default")).isTrue();
    assertThat(config.getDataSourceClassName()).isNull();
    InstrumentedDataSource measured = (InstrumentedDataSource) config.getDataSource();
    assertThat(measured.target()).isInstanceOf(SQLiteDataSource.class);
    assertThat(((SQLiteDataSource) measured.target()).getUrl()).isEqualTo(url());
    assertThat(measured.vendor()).isEqualTo("sqlite");
    hikari = new HikariDataSource(config);
    checkoutsWithAQueryEach(5);

    assertThat(metrics.db("new_connections_total", "default", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(5);
    assertThat(metrics.db("pool_max_connections", "default", "sqlite")).isEqualTo(1);
  }

  @Test
  void anUnstartedHikariDataSourceIsMeasuredAndStartsAtItsFirstCheckout() throws Exception {
    hikari = new HikariDataSource();
    hikari.setJdbcUrl(url());
    hikari.setMaximumPoolSize(1);

    assertThat(HikariMetrics.instrument(hikari, metrics.jdbc, "default")).isTrue();
    checkoutsWithAQueryEach(3);

    assertThat(hikari.isRunning()).isTrue();
    assertThat(metrics.db("new_connections_total", "default", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(3);
    assertThat(metrics.db("pool_max_connections", "default", "sqlite")).isEqualTo(1);
  }

  @Test
  void aRunningPoolIsNotChangedBelowButGetsTheGauges() throws Exception {
    HikariConfig config = config(1);
    config.setJdbcUrl(url());
    hikari = new HikariDataSource(config); // starts the pool at once

    assertThat(HikariMetrics.instrument(hikari, metrics.jdbc, "default")).isFalse();
    assertThat(hikari.getDataSource()).isNull();
    assertThat(hikari.getMetricsTrackerFactory())
        .isInstanceOf(PrometheusMetricsTrackerFactory.class);
    checkoutsWithAQueryEach(2);

    assertThat(metrics.db("pool_max_connections", "default", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("new_connections_total", "default", "sqlite")).isZero();
    assertThat(metrics.db("execute_total", "default", "sqlite")).isZero();
  }

  @Test
  void aClosedPoolIsLeftAsItIs() {
    HikariConfig config = config(1);
    config.setJdbcUrl(url());
    hikari = new HikariDataSource(config);
    hikari.close();

    assertThat(HikariMetrics.instrument(hikari, metrics.jdbc, "default")).isFalse();
    assertThat(hikari.getMetricsTrackerFactory()).isNull();
    assertThat(metrics.scrape().samplesStartingWith("java_db_pool_")).isEmpty();
    assertThat(metrics.instrumentationErrors()).isZero();
  }

  @Test
  void instrumentingTwiceMeasuresOnce() throws Exception {
    HikariConfig config = config(1);
    config.setJdbcUrl(url());
    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "default")).isTrue();
    InstrumentedDataSource first = (InstrumentedDataSource) config.getDataSource();
    MetricsTrackerFactory tracker = config.getMetricsTrackerFactory();

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "default")).isTrue();
    assertThat(config.getDataSource()).isSameAs(first);
    assertThat(config.getMetricsTrackerFactory()).isSameAs(tracker);
    hikari = new HikariDataSource(config);
    checkoutsWithAQueryEach(4);

    assertThat(metrics.db("new_connections_total", "default", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(4);
    assertThat(metrics.db("pool_connection_acquire_seconds_count", "default", "sqlite"))
        .isEqualTo(4);
  }

  @Test
  void theApplicationsTrackerWinsOverTheAlongsideOneAndBothKeepWorking() {
    MetricsTrackerFactory theirs = (poolName, stats) -> new IMetricsTracker() {};
    MetricsTrackerFactory framework = (poolName, stats) -> new IMetricsTracker() {};

    HikariConfig own = config(1);
    own.setJdbcUrl(url());
    own.setMetricsTrackerFactory(theirs);
    HikariMetrics.instrument(own, metrics.jdbc, "default", framework);
    assertThat(((PrometheusMetricsTrackerFactory) own.getMetricsTrackerFactory()).alongside())
        .isSameAs(theirs);

    HikariConfig none = config(1);
    none.setJdbcUrl(url());
    HikariMetrics.instrument(none, metrics.jdbc, "default", framework);
    assertThat(((PrometheusMetricsTrackerFactory) none.getMetricsTrackerFactory()).alongside())
        .isSameAs(framework);
  }

  @Test
  void aDataSourceTheApplicationMeasuredItselfGetsTheGaugesOnly() throws Exception {
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl(url());
    InstrumentedDataSource own =
        InstrumentedDataSource.builder(raw, metrics.jdbc).alias("own").build();
    HikariConfig config = config(1);
    config.setDataSource(own);

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "ignored")).isTrue();
    assertThat(config.getDataSource()).isSameAs(own);
    hikari = new HikariDataSource(config);
    checkoutsWithAQueryEach(2);

    assertThat(metrics.db("new_connections_total", "own", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("execute_total", "own", "sqlite")).isEqualTo(2);
    assertThat(metrics.db("pool_max_connections", "own", "sqlite")).isEqualTo(1);
    assertThat(metrics.scrape().samplesStartingWith("java_db_execute_total"))
        .containsExactly("java_db_execute_total{alias=\"own\",vendor=\"sqlite\"} 2.0");
  }

  @Test
  void aJdbcPrometheusUrlIsNamedNotWrappedAgain() throws Exception {
    PrometheusDriver.useMetrics(metrics.jdbc);
    HikariConfig config = config(1);
    config.setJdbcUrl("jdbc:prometheus:sqlite:" + dir.resolve("pool.db"));

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "main")).isTrue();
    assertThat(config.getDataSource()).isNull();
    assertThat(config.getDataSourceProperties())
        .containsEntry(PrometheusDriver.ALIAS_PROPERTY, "main");
    hikari = new HikariDataSource(config);
    checkoutsWithAQueryEach(5);

    assertThat(metrics.db("new_connections_total", "main", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("execute_total", "main", "sqlite")).isEqualTo(5);
    assertThat(metrics.db("pool_max_connections", "main", "sqlite")).isEqualTo(1);
  }

  @Test
  void aJndiDataSourceIsLeftToBeMeasuredFromAbove() {
    HikariConfig config = config(1);
    config.setDataSourceJNDI("java:comp/env/jdbc/app");

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "default")).isFalse();
    assertThat(config.getDataSource()).isNull();
    assertThat(config.getMetricsTrackerFactory()).isNull();
    assertThat(metrics.instrumentationErrors()).isZero();
  }

  @Test
  void aDataSourceHikariCouldNotBuildEitherLeavesThePoolToFailAsItWould() {
    HikariConfig config = config(1);
    config.setJdbcUrl("jdbc:nosuchdb://nowhere/app");

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "default")).isFalse();
    assertThat(config.getDataSource()).isNull();
    assertThat(config.getMetricsTrackerFactory()).isNull();
    assertThat(metrics.instrumentationErrors()).isEqualTo(1);
    Throwable failed = catchThrowable(() -> hikari = new HikariDataSource(config));
    assertThat(failed).hasStackTraceContaining("jdbc:nosuchdb://nowhere/app");
  }
}
