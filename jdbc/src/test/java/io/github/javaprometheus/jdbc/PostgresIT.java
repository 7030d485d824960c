package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.javaprometheus.jdbc.testing.PostgresServer;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;

/** Against a real PostgreSQL server this test starts: the jdbc:prometheus: driver and the wrapper. */
class PostgresIT {
  private static PostgresServer server;

  private TestMetrics metrics;
  private PGSimpleDataSource raw;
  private InstrumentedDataSource ds;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void freshFamiliesAndTable() throws SQLException {
    metrics = new TestMetrics();
    PrometheusDriver.useMetrics(metrics.jdbc);
    raw = new PGSimpleDataSource();
    raw.setUrl(server.jdbcUrl());
    raw.setUser(server.user());
    ds = InstrumentedDataSource.wrap(raw, metrics.jdbc);
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS t_user");
      s.execute("CREATE TABLE t_user (name VARCHAR(64), age INTEGER, sex VARCHAR(16))");
    }
  }

  @AfterEach
  void defaultFamilies() {
    PrometheusDriver.useMetrics(null);
  }

  private double db(String family) {
    return metrics.db(family, "default", "postgresql");
  }

  private Connection viaDriver() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", server.user());
    return DriverManager.getConnection("jdbc:prometheus:" + server.jdbcUrl().substring(5), props);
  }

  @Test
  void insertsSelectsBatchesAndCallsThroughTheDriverAreCounted() throws SQLException {
    try (Connection c = viaDriver();
        Statement s = c.createStatement();
        PreparedStatement insert = c.prepareStatement("INSERT INTO t_user VALUES (?, ?, ?)");
        CallableStatement call = c.prepareCall("{? = call upper(?)}")) {
      assertThat(s.executeUpdate("INSERT INTO t_user VALUES ('zhangsan', 12, 'male')")).isEqualTo(1);
      for (int i = 0; i < 4; i++) {
        insert.setString(1, "user" + i);
        insert.setInt(2, i);
        insert.setString(3, "female");
        insert.addBatch();
      }
      assertThat(insert.executeBatch()).hasSize(4);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t_user")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(5);
      }
      call.registerOutParameter(1, Types.VARCHAR);
      call.setString(2, "zhangsan");
      call.execute();
      assertThat(call.getString(1)).isEqualTo("ZHANGSAN");
      assertThat(s.executeLargeUpdate("UPDATE t_user SET age = age + 1")).isEqualTo(5L);
    }

    assertThat(db("new_connections_total")).isEqualTo(1);
    assertThat(db("execute_total")).isEqualTo(1 + 4 + 1 + 1 + 1);
    assertThat(db("execute_many_total")).isEqualTo(1);
    assertThat(db("query_duration_seconds_count")).isEqualTo(5);
    assertThat(metrics.scrape().samplesStartingWith("java_db_errors_total")).isEmpty();
  }

  @Test
  void syntaxErrorIsCountedByTypeAndRethrownAsTheDriverThrowsIt() throws SQLException {
    PSQLException expected;
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      expected = catchThrowableOfType(PSQLException.class, () -> s.execute("SELEC 1"));
    }
    PSQLException actual;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      actual = catchThrowableOfType(PSQLException.class, () -> s.execute("SELEC 1"));
    }
    assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
    assertThat(actual.getSQLState()).isEqualTo(expected.getSQLState()).isEqualTo("42601");
    assertThat(actual.getStackTrace()[0].getClassName()).startsWith("org.postgresql.");
    assertThat(metrics.errors("default", "postgresql", "PSQLException")).isEqualTo(1);
    assertThat(db("execute_total")).isEqualTo(1);
  }

  @Test
  void aRefusedConnectionIsANewConnectionError() throws Exception {
    int closedPort = freeClosedPort();
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
    nowhere.setUser("postgres");
    InstrumentedDataSource refused = InstrumentedDataSource.wrap(nowhere, metrics.jdbc);

    Throwable viaDataSource = catchThrowable(refused::getConnection);
    Throwable viaDriver =
        catchThrowable(
            () ->
                DriverManager.getConnection(
                    "jdbc:prometheus:postgresql://127.0.0.1:" + closedPort + "/postgres", "postgres", ""));

    assertThat(viaDataSource).isInstanceOf(PSQLException.class).hasMessageContaining("refused");
    assertThat(viaDriver).isInstanceOf(PSQLException.class).hasMessageContaining("refused");
    assertThat(db("new_connections_total")).isEqualTo(2);
    assertThat(db("new_connection_errors_total")).isEqualTo(2);
  }

  /** A port nothing listens on: bound, then released. */
  private static int freeClosedPort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aBackendTerminatedMidQueryIsCountedAndRethrown() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        Connection admin = raw.getConnection()) {
      int pid = c.unwrap(PGConnection.class).getBackendPID();
      Future<Throwable> sleeping = other.submit(() -> catchThrowable(() -> s.execute("SELECT pg_sleep(30)")));
      awaitQuery(admin, pid, "pg_sleep");
      try (Statement kill = admin.createStatement()) {
        kill.execute("SELECT pg_terminate_backend(" + pid + ")");
      }
      Throwable error = sleeping.get(20, TimeUnit.SECONDS);

      assertThat(error).isInstanceOf(PSQLException.class);
      assertThat(((PSQLException) error).getSQLState()).isEqualTo("57P01");
      assertThat(metrics.errors("default", "postgresql", "PSQLException")).isEqualTo(1);
      assertThat(db("query_duration_seconds_count")).isEqualTo(1);
      assertThat(db("query_duration_seconds_sum")).isLessThan(20);
    } finally {
      other.shutdownNow();
    }
  }

  private static void awaitQuery(Connection admin, int pid, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (PreparedStatement p =
          admin.prepareStatement("SELECT query FROM pg_stat_activity WHERE pid = ? AND state = 'active'")) {
        p.setInt(1, pid);
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next() && rs.getString(1).contains(text)) {
            return;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("backend " + pid + " never ran " + text);
  }

  @Test
  void eightThreadsAreCountedExactly() throws Exception {
    int threads = 8;
    int queries = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                try (Connection c = thread % 2 == 0 ? ds.getConnection() : viaDriver();
                    PreparedStatement p = c.prepareStatement("SELECT ?::int + 1")) {
                  start.await();
                  int sum = 0;
                  for (int i = 0; i < queries; i++) {
                    p.setInt(1, i);
                    try (ResultSet rs = p.executeQuery()) {
                      rs.next();
                      sum += rs.getInt(1) - i;
                    }
                  }
                  return sum;
                }
              }));
    }
    start.countDown();
    for (Future<Integer> f : done) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(queries);
    }
    pool.shutdown();

    assertThat(db("new_connections_total")).isEqualTo(threads);
    assertThat(db("execute_total")).isEqualTo(threads * queries);
    assertThat(db("query_duration_seconds_count")).isEqualTo(threads * queries);
  }

  @Test
  void underHikariOnlyPhysicalConnectionsAreNewConnectionsAndPoolGaugesAreExposed()
      throws Exception {
    HikariConfig config = new HikariConfig();
    config.setPoolName("pg");
    config.setDataSource(ds);
    config.setMaximumPoolSize(3);
    config.setMinimumIdle(3);
    config.setMetricsTrackerFactory(
        new PrometheusMetricsTrackerFactory(metrics.jdbc, "default", "postgresql"));
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      for (int i = 0; i < 60; i++) {
        try (Connection c = hikari.getConnection(); Statement s = c.createStatement()) {
          s.execute("SELECT 1");
          assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
          assertThat(c.unwrap(PGConnection.class).getBackendPID()).isPositive();
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (hikari.getHikariPoolMXBean().getTotalConnections() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(db("new_connections_total")).isEqualTo(3);
      assertThat(physicalBackends()).isEqualTo(3);
      assertThat(db("execute_total")).isEqualTo(60);
      assertThat(db("pool_max_connections")).isEqualTo(3);
      assertThat(db("pool_connection_acquire_seconds_count")).isEqualTo(60);
    }
    assertThat(db("new_connection_errors_total")).isZero();
  }

  @Test
  void resultSetsAndMetadataLeadBackToTheMeasuredStatementAndConnection() throws Exception {
    try (Connection setup = raw.getConnection(); Statement s = setup.createStatement()) {
      s.execute("DROP TABLE IF EXISTS t_order");
      s.execute("CREATE TABLE t_order (id SERIAL PRIMARY KEY, item VARCHAR(64))");
    }
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        PreparedStatement p = c.prepareStatement("SELECT ?::int * 2")) {
      p.setInt(1, 21);
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.getStatement()).isSameAs(p);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
        // By name: the driver's classes carry annotations this build does not have.
        Class<?> driverResultSet = Class.forName("org.postgresql.jdbc.PgResultSet");
        assertThat(rs.isWrapperFor(driverResultSet)).isTrue();
        assertThat(rs.unwrap(driverResultSet)).isInstanceOf(driverResultSet).isNotSameAs(rs);
        assertThat(rs.unwrap(ResultSet.class)).isSameAs(rs);
      }
      assertThat(
              s.executeUpdate(
                  "INSERT INTO t_order (item) VALUES ('book')", Statement.RETURN_GENERATED_KEYS))
          .isEqualTo(1);
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertThat(keys.getStatement()).isSameAs(s);
        assertThat(keys.next()).isTrue();
        assertThat(keys.getInt("id")).isEqualTo(1);
      }
      assertThat(s.execute("SELECT count(*) FROM t_order")).isTrue();
      try (ResultSet rs = s.getResultSet()) {
        assertThat(rs.getStatement()).isSameAs(s);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }

      DatabaseMetaData meta = c.getMetaData();
      assertThat(meta.getConnection()).isSameAs(c);
      assertThat(meta.getDatabaseProductName()).isEqualTo("PostgreSQL");
      Class<?> driverMetaData = Class.forName("org.postgresql.jdbc.PgDatabaseMetaData");
      assertThat(meta.unwrap(driverMetaData)).isInstanceOf(driverMetaData).isNotSameAs(meta);
      try (ResultSet tables = meta.getTables(null, "public", "t_order", new String[] {"TABLE"})) {
        assertThat(tables.next()).isTrue();
        assertThat(tables.getString("TABLE_NAME")).isEqualTo("t_order");
        // PostgreSQL runs metadata queries on a statement of its own: handed out as one of ours.
        Statement behind = tables.getStatement();
        assertThat(behind).isInstanceOf(InstrumentedStatement.class);
        assertThat(behind.getConnection()).isSameAs(c);
      }
    }
    // The three statements of the application; metadata queries are the driver's own.
    assertThat(db("execute_total")).isEqualTo(3);
  }

  @Test
  void hikariMetricsMeasuresAPoolBelowItWithoutAFramework() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setPoolName("orders");
    config.setJdbcUrl(server.jdbcUrl());
    config.setUsername(server.user());
    config.setMaximumPoolSize(3);
    config.setMinimumIdle(3);

    assertThat(HikariMetrics.instrument(config, metrics.jdbc, "orders")).isTrue();
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      for (int i = 0; i < 45; i++) {
        try (Connection c = hikari.getConnection();
            PreparedStatement p = c.prepareStatement("SELECT ?::int")) {
          p.setInt(1, i);
          try (ResultSet rs = p.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(i);
          }
          assertThat(c.unwrap(PGConnection.class).getBackendPID()).isPositive();
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (hikari.getHikariPoolMXBean().getTotalConnections() < 3
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(physicalBackends()).isEqualTo(3);
      assertThat(metrics.db("new_connections_total", "orders", "postgresql")).isEqualTo(3);
      assertThat(metrics.db("new_connection_errors_total", "orders", "postgresql")).isZero();
      assertThat(metrics.db("execute_total", "orders", "postgresql")).isEqualTo(45);
      assertThat(metrics.db("query_duration_seconds_count", "orders", "postgresql")).isEqualTo(45);
      assertThat(metrics.db("pool_max_connections", "orders", "postgresql")).isEqualTo(3);
      assertThat(metrics.db("pool_min_connections", "orders", "postgresql")).isEqualTo(3);
      assertThat(metrics.db("pool_connection_acquire_seconds_count", "orders", "postgresql"))
          .isEqualTo(45);
    }
    // Closed with the pool: its gauges are gone, its counters stay.
    assertThat(metrics.scrape().samplesStartingWith("java_db_pool_max_connections")).isEmpty();
    assertThat(metrics.db("execute_total", "orders", "postgresql")).isEqualTo(45);
  }

  /** Client backends of the test database other than the one asking. */
  private int physicalBackends() throws SQLException {
    try (Connection c = raw.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                    + " AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void statementsAreClosedWithThePooledConnection() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setDataSource(ds);
    config.setMaximumPoolSize(1);
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      Connection c = hikari.getConnection();
      Statement s = c.createStatement();
      PreparedStatement p = c.prepareStatement("SELECT 1");
      Statement driverStatement = (Statement) p.unwrap(org.postgresql.PGStatement.class);
      c.close();
      assertThat(s.isClosed()).isTrue();
      assertThat(p.isClosed()).isTrue();
      assertThat(driverStatement.isClosed()).isTrue();
    }
  }
}
