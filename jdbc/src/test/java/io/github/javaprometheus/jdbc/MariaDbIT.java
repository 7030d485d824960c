package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.javaprometheus.jdbc.testing.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * Against a real MariaDB server this test starts. The last test kills the server mid-query, so
 * the order is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbIT {
  private static MariaDbServer server;

  private TestMetrics metrics;
  private MariaDbDataSource raw;
  private InstrumentedDataSource ds;

  @BeforeAll
  static void startServer() throws Exception {
    server = MariaDbServer.start();
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
    raw = new MariaDbDataSource(server.jdbcUrl() + "?user=root");
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
    return metrics.db(family, "default", "mariadb");
  }

  @Test
  @Order(1)
  void insertsSelectsAndBatchesThroughTheDriverAreCountedWithVendorMariadb() throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:prometheus:" + server.jdbcUrl().substring(5), "root", "");
        Statement s = c.createStatement();
        PreparedStatement insert = c.prepareStatement("INSERT INTO t_user VALUES (?, ?, ?)")) {
      assertThat(s.executeUpdate("INSERT INTO t_user VALUES ('zhangsan', 12, 'male')")).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        insert.setString(1, "user" + i);
        insert.setInt(2, i);
        insert.setString(3, "female");
        insert.addBatch();
      }
      assertThat(insert.executeBatch()).hasSize(3);
      s.addBatch("UPDATE t_user SET age = 13 WHERE name = 'zhangsan'");
      s.addBatch("DELETE FROM t_user WHERE name = 'user0'");
      assertThat(s.executeBatch()).containsExactly(1, 1);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t_user")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(3);
      }
    }

    assertThat(db("new_connections_total")).isEqualTo(1);
    assertThat(db("execute_total")).isEqualTo(1 + 3 + 2 + 1);
    assertThat(db("execute_many_total")).isEqualTo(2);
    assertThat(db("query_duration_seconds_count")).isEqualTo(4);
  }

  @Test
  @Order(2)
  void syntaxErrorIsCountedByTypeAndRethrownAsTheDriverThrowsIt() throws SQLException {
    SQLException expected;
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      expected = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELEC 1"));
    }
    SQLException actual;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      actual = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELEC 1"));
    }
    assertThat((Throwable) actual).isExactlyInstanceOf(expected.getClass());
    assertThat(actual.getClass().getSimpleName()).isEqualTo("SQLSyntaxErrorException");
    // The message names the server's connection id, which differs between the two connections.
    assertThat(withoutConnectionId(actual.getMessage()))
        .isEqualTo(withoutConnectionId(expected.getMessage()));
    assertThat(actual.getErrorCode()).isEqualTo(expected.getErrorCode()).isEqualTo(1064);
    assertThat(actual.getStackTrace()[0].getClassName()).startsWith("org.mariadb.");
    assertThat(metrics.errors("default", "mariadb", "SQLSyntaxErrorException")).isEqualTo(1);
  }

  private static String withoutConnectionId(String message) {
    return message.replaceFirst("^\\(conn=\\d+\\) ", "");
  }

  @Test
  @Order(3)
  void eightThreadsAreCountedExactly() throws Exception {
    int threads = 8;
    int queries = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                try (Connection c = ds.getConnection();
                    PreparedStatement p = c.prepareStatement("SELECT ? + 1")) {
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
  @Order(4)
  void aServerKilledMidQueryIsCountedRethrownAndThenRefusesConnections() throws Exception {
    Connection c = connectOrFail();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Statement s = c.createStatement();
      CountDownLatch running = new CountDownLatch(1);
      Future<Throwable> sleeping =
          other.submit(
              () -> {
                running.countDown();
                return catchThrowable(() -> s.executeQuery("SELECT SLEEP(30)"));
              });
      running.await();
      awaitSleepingQuery();
      server.kill();
      Throwable error = sleeping.get(20, TimeUnit.SECONDS);

      assertThat(error).isInstanceOf(SQLException.class);
      assertThat(error.getStackTrace()[0].getClassName()).startsWith("org.mariadb.");
      assertThat(metrics.errors("default", "mariadb", error.getClass().getSimpleName())).isEqualTo(1);
      assertThat(db("query_duration_seconds_count")).isEqualTo(1);
      assertThat(db("query_duration_seconds_sum")).isLessThan(20);
    } finally {
      other.shutdownNow();
      closeDeadConnection(c);
    }

    Throwable refused = catchThrowable(ds::getConnection);
    assertThat(refused).isInstanceOf(SQLException.class);
    assertThat(db("new_connection_errors_total")).isEqualTo(1);
    assertThat(db("new_connections_total")).isEqualTo(2);
  }

  /** The connection the test needs while the server is up; not getting one fails the test. */
  private Connection connectOrFail() {
    try {
      return ds.getConnection();
    } catch (SQLException e) {
      throw new AssertionError(
          "could not connect to the MariaDB server on port "
              + server.port()
              + " before killing it: "
              + e
              + "\nserver log:\n"
              + server.log(),
          e);
    }
  }

  /** Only this may fail: the server is gone, so the driver may report the close it cannot send. */
  private static void closeDeadConnection(Connection c) {
    try {
      c.close();
    } catch (SQLException serverGone) {
      // Expected of a killed server; the counts were checked before.
    }
  }

  private void awaitSleepingQuery() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Connection admin = raw.getConnection();
          Statement s = admin.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%'")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the query never started");
  }
}
