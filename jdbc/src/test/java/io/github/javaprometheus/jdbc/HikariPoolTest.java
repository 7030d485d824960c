package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Under HikariCP: physical connections counted, checkouts not; pool gauges from Hikari's hook. */
class HikariPoolTest {
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

  private SQLiteDataSource sqlite() {
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite:" + dir.resolve("pool.db"));
    return raw;
  }

  private HikariConfig config(int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("test");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(250);
    return config;
  }

  private void fiftyCheckoutsWithAQueryEach() throws Exception {
    for (int i = 0; i < 50; i++) {
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
  void belowThePoolNewConnectionsArePhysicalConnectionsNotCheckouts() throws Exception {
    HikariConfig config = config(2);
    config.setDataSource(InstrumentedDataSource.wrap(sqlite(), metrics.jdbc));
    hikari = new HikariDataSource(config);

    fiftyCheckoutsWithAQueryEach();

    int physical = hikari.getHikariPoolMXBean().getTotalConnections();
    assertThat(physical).isEqualTo(2);
    assertThat(metrics.db("new_connections_total", "default", "sqlite")).isEqualTo(physical);
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(50);
    assertThat(metrics.db("query_duration_seconds_count", "default", "sqlite")).isEqualTo(50);
  }

  @Test
  void theJdbcPrometheusUrlUnderThePoolCountsPhysicalConnectionsToo() throws Exception {
    PrometheusDriver.useMetrics(metrics.jdbc);
    HikariConfig config = config(2);
    config.setJdbcUrl("jdbc:prometheus:sqlite:" + dir.resolve("pool.db"));
    config.addDataSourceProperty(PrometheusDriver.ALIAS_PROPERTY, "pooled");
    hikari = new HikariDataSource(config);

    fiftyCheckoutsWithAQueryEach();

    int physical = hikari.getHikariPoolMXBean().getTotalConnections();
    assertThat(metrics.db("new_connections_total", "pooled", "sqlite")).isEqualTo(physical);
    assertThat(metrics.db("execute_total", "pooled", "sqlite")).isEqualTo(50);
  }

  @Test
  void wrappingThePoolItselfMeasuresQueriesButCountsNoCheckoutAsANewConnection() throws Exception {
    HikariConfig config = config(2);
    config.setDataSource(sqlite());
    hikari = new HikariDataSource(config);
    InstrumentedDataSource above = InstrumentedDataSource.wrap(hikari, metrics.jdbc);
    assertThat(above.isPool()).isTrue();

    for (int i = 0; i < 20; i++) {
      try (Connection c = above.getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }
    }

    assertThat(metrics.db("new_connections_total", "default", "sqlite")).isZero();
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(20);
    assertThat(above.unwrap(HikariDataSource.class)).isSameAs(hikari);
  }

  @Test
  void aPoolAboveMeasuredConnectionsIsNotMeasuredTwice() throws Exception {
    HikariConfig config = config(1);
    config.setDataSource(InstrumentedDataSource.wrap(sqlite(), metrics.jdbc));
    hikari = new HikariDataSource(config);
    InstrumentedDataSource above = InstrumentedDataSource.wrap(hikari, metrics.jdbc);
    try (Connection c = above.getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(1);
  }

  @Test
  void closingAPooledConnectionClosesItsStatementsThroughTheWrapper() throws Exception {
    HikariConfig config = config(1);
    config.setDataSource(InstrumentedDataSource.wrap(sqlite(), metrics.jdbc));
    hikari = new HikariDataSource(config);
    Connection c = hikari.getConnection();
    Statement s = c.createStatement();
    java.sql.PreparedStatement p = c.prepareStatement("SELECT 1");
    Statement real = s.unwrap(org.sqlite.jdbc4.JDBC4Statement.class);
    c.close();
    assertThat(s.isClosed()).isTrue();
    assertThat(p.isClosed()).isTrue();
    // Hikari's close reached the driver's statement through ours: nothing is left open.
    assertThat(real.isClosed()).isTrue();
  }

  @Test
  void poolGaugesTimeoutsAndAcquireTimeComeFromHikarisTracker() throws Exception {
    HikariConfig config = config(2);
    config.setDataSource(InstrumentedDataSource.wrap(sqlite(), metrics.jdbc));
    config.setMetricsTrackerFactory(
        new PrometheusMetricsTrackerFactory(metrics.jdbc, "default", "sqlite"));
    hikari = new HikariDataSource(config);

    try (Connection a = hikari.getConnection();
        Connection b = hikari.getConnection()) {
      Throwable timeout = catchThrowable(hikari::getConnection);
      assertThat(timeout).isInstanceOf(SQLTransientConnectionException.class);
      awaitGauge("db_pool_active_connections", 2);
      assertThat(metrics.db("pool_pending_threads", "default", "sqlite")).isZero();
      assertThat(a.isValid(1) && b.isValid(1)).isTrue();
    }
    awaitGauge("db_pool_idle_connections", 2);
    assertThat(metrics.db("pool_active_connections", "default", "sqlite")).isZero();
    assertThat(metrics.db("pool_max_connections", "default", "sqlite")).isEqualTo(2);
    assertThat(metrics.db("pool_min_connections", "default", "sqlite")).isEqualTo(2);
    assertThat(metrics.db("pool_connection_timeouts_total", "default", "sqlite")).isEqualTo(1);
    // Hikari reports the wait of the timed-out request as an acquire time too.
    assertThat(metrics.db("pool_connection_acquire_seconds_count", "default", "sqlite"))
        .isEqualTo(3);
    assertThat(metrics.db("pool_connection_acquire_seconds_sum", "default", "sqlite"))
        .isGreaterThanOrEqualTo(0.25);

    hikari.close();
    assertThat(metrics.scrape().samplesStartingWith("java_db_pool_active_connections")).isEmpty();
  }

  @Test
  void anotherTrackerFactoryKeepsWorkingAlongsideOurs() throws Exception {
    AtomicInteger acquired = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    MetricsTrackerFactory other =
        (String poolName, PoolStats stats) ->
            new IMetricsTracker() {
              @Override
              public void recordConnectionAcquiredNanos(long nanos) {
                acquired.incrementAndGet();
              }

              @Override
              public void close() {
                closed.incrementAndGet();
              }
            };
    HikariConfig config = config(1);
    config.setDataSource(sqlite());
    PrometheusMetricsTrackerFactory ours =
        new PrometheusMetricsTrackerFactory(metrics.jdbc, "default", "sqlite", other);
    assertThat(ours.alongside()).isSameAs(other);
    config.setMetricsTrackerFactory(ours);
    hikari = new HikariDataSource(config);
    for (int i = 0; i < 3; i++) {
      hikari.getConnection().close();
    }
    assertThat(acquired).hasValue(3);
    assertThat(metrics.db("pool_connection_acquire_seconds_count", "default", "sqlite")).isEqualTo(3);
    hikari.close();
    assertThat(closed).hasValue(1);
  }

  /** Hikari refreshes PoolStats at most once a second. */
  private void awaitGauge(String family, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String suffix = family.substring("db_".length());
    while (metrics.db(suffix, "default", "sqlite") != expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(metrics.db(suffix, "default", "sqlite")).as(family).isEqualTo(expected);
  }
}
