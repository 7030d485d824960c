package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/** The wrappers on a real SQLite database file: counts, errors, transparency, threads. */
class SqliteTest {
  @TempDir Path dir;

  private final TestMetrics metrics = new TestMetrics();
  private SQLiteDataSource raw;
  private InstrumentedDataSource ds;

  @BeforeEach
  void createDatabase() throws SQLException {
    raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite:" + dir.resolve("test.db"));
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t_user (name VARCHAR(64), age INTEGER, sex VARCHAR(16))");
    }
    ds = InstrumentedDataSource.wrap(raw, metrics.jdbc);
  }

  private double db(String family) {
    return metrics.db(family, "default", "sqlite");
  }

  @Test
  void countsEveryExecuteOnceAndTimesIt() throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        PreparedStatement select = c.prepareStatement("SELECT count(*) FROM t_user WHERE age = ?")) {
      assertThat(s.executeUpdate("INSERT INTO t_user VALUES ('zhangsan', 12, 'male')")).isEqualTo(1);
      assertThat(s.execute("UPDATE t_user SET sex = 'male' WHERE name = 'zhangsan'")).isFalse();
      select.setInt(1, 12);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT name FROM t_user")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("zhangsan");
      }
    }

    assertThat(db("new_connections_total")).isEqualTo(1);
    assertThat(db("new_connection_errors_total")).isZero();
    assertThat(db("execute_total")).isEqualTo(4);
    assertThat(db("execute_many_total")).isZero();
    assertThat(db("query_duration_seconds_count")).isEqualTo(4);
    assertThat(db("query_duration_seconds_sum")).isPositive().isLessThan(10);
    assertThat(metrics.scrape().samplesStartingWith("java_db_errors_total")).isEmpty();
    assertThat(metrics.instrumentationErrors()).isZero();
  }

  @Test
  void countsBatchOfNAsNExecutesAndOneExecuteMany() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO t_user VALUES (?, ?, ?)");
        Statement s = c.createStatement()) {
      for (int i = 0; i < 3; i++) {
        insert.setString(1, "user" + i);
        insert.setInt(2, 20 + i);
        insert.setString(3, "female");
        insert.addBatch();
      }
      assertThat(insert.executeBatch()).containsExactly(1, 1, 1);

      s.addBatch("INSERT INTO t_user VALUES ('dropped', 1, 'x')");
      s.clearBatch();
      s.addBatch("INSERT INTO t_user VALUES ('a', 1, 'x')");
      s.addBatch("INSERT INTO t_user VALUES ('b', 2, 'x')");
      assertThat(s.executeBatch()).containsExactly(1, 1);
      // An empty batch is still one bulk execution, of no statements.
      assertThat(s.executeBatch()).isEmpty();
    }

    assertThat(db("execute_total")).isEqualTo(5);
    assertThat(db("execute_many_total")).isEqualTo(3);
    assertThat(db("query_duration_seconds_count")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM t_user")).isEqualTo(5);
  }

  @Test
  void syntaxErrorIsCountedByTypeAndRethrownAsTheDriverThrowsIt() throws SQLException {
    SQLException expected;
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      expected = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELEC nonsense"));
    }
    SQLException actual;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      actual = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELEC nonsense"));
    }

    assertThat((Throwable) actual).isExactlyInstanceOf(SQLiteException.class).isExactlyInstanceOf(expected.getClass());
    assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
    assertThat(actual.getSQLState()).isEqualTo(expected.getSQLState());
    assertThat(actual.getErrorCode()).isEqualTo(expected.getErrorCode());
    assertThat(actual.getCause()).isNull();
    // Thrown by the driver, not re-created by the wrapper.
    assertThat(actual.getStackTrace()[0].getClassName()).startsWith("org.sqlite.");
    assertThat(metrics.errors("default", "sqlite", "SQLiteException")).isEqualTo(1);
    assertThat(db("execute_total")).isEqualTo(1);
    assertThat(db("query_duration_seconds_count")).isEqualTo(1);
  }

  /**
   * SQLite parses a prepared statement when it is prepared: a query on a missing table fails in
   * prepareStatement, and that failure is counted as the failed query it is (no execute happened).
   */
  @Test
  void aQueryThatFailsAtPrepareIsCountedAsAnError() throws SQLException {
    SQLException actual;
    try (Connection c = ds.getConnection()) {
      actual =
          catchThrowableOfType(SQLException.class, () -> c.prepareStatement("SELECT * FROM no_such_table"));
    }
    assertThat((Throwable) actual).isExactlyInstanceOf(SQLiteException.class);
    assertThat(actual.getStackTrace()[0].getClassName()).startsWith("org.sqlite.");
    assertThat(metrics.errors("default", "sqlite", "SQLiteException")).isEqualTo(1);
    assertThat(db("execute_total")).isZero();
    assertThat(db("query_duration_seconds_count")).isZero();
  }

  @Test
  void unwrapAndIsWrapperForAnswerAsTheDriverDoes() throws SQLException {
    assertThat(ds.isWrapperFor(SQLiteDataSource.class)).isTrue();
    assertThat(ds.unwrap(SQLiteDataSource.class)).isSameAs(raw);
    assertThat(ds.unwrap(InstrumentedDataSource.class)).isSameAs(ds);
    assertThat(ds.isWrapperFor(String.class)).isEqualTo(raw.isWrapperFor(String.class)).isFalse();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        PreparedStatement p = c.prepareStatement("SELECT 1")) {
      assertThat(c).isNotInstanceOf(SQLiteConnection.class);
      assertThat(c.isWrapperFor(SQLiteConnection.class)).isTrue();
      SQLiteConnection real = c.unwrap(SQLiteConnection.class);
      assertThat(real.getClass().getName()).startsWith("org.sqlite.");
      assertThat(c.unwrap(Connection.class)).isSameAs(c);
      assertThat(c.isWrapperFor(String.class)).isFalse();
      assertThat(s.getConnection()).isSameAs(c);
      assertThat(p.getConnection()).isSameAs(c);
      assertThat(s.isWrapperFor(org.sqlite.jdbc3.JDBC3Statement.class)).isTrue();
      assertThat(p.unwrap(org.sqlite.jdbc3.JDBC3PreparedStatement.class).getClass().getName())
          .startsWith("org.sqlite.");
      assertThat(s.unwrap(Statement.class)).isSameAs(s);
      assertThat(p.unwrap(PreparedStatement.class)).isSameAs(p);
    }
  }

  @Test
  void resultSetsAndMetadataLeadBackToTheMeasuredStatementAndConnection() throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        PreparedStatement p = c.prepareStatement("SELECT name FROM t_user WHERE age = ?")) {
      p.setInt(1, 12);
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.getStatement()).isSameAs(p);
        assertThat(rs.getStatement().getConnection()).isSameAs(c);
        assertThat(rs.isWrapperFor(org.sqlite.jdbc3.JDBC3ResultSet.class)).isTrue();
        assertThat(rs.unwrap(ResultSet.class)).isSameAs(rs);
        assertThat(rs.unwrap(org.sqlite.jdbc3.JDBC3ResultSet.class).getClass().getName())
            .startsWith("org.sqlite.");
      }
      String insert = "INSERT INTO t_user VALUES ('zhangsan', 12, 'male')";
      assertThat(s.executeUpdate(insert, Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertThat(keys.getStatement()).isSameAs(s);
        assertThat(keys.next()).isTrue();
        assertThat(keys.getLong(1)).isEqualTo(1L); // the rowid of the first row
      }
      assertThat(s.execute("SELECT count(*) FROM t_user")).isTrue();
      try (ResultSet rs = s.getResultSet()) {
        assertThat(rs.getStatement()).isSameAs(s);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }

      DatabaseMetaData meta = c.getMetaData();
      assertThat(meta.getConnection()).isSameAs(c);
      assertThat(meta.getURL()).isEqualTo("jdbc:sqlite:" + dir.resolve("test.db"));
      assertThat(meta.unwrap(org.sqlite.jdbc3.JDBC3DatabaseMetaData.class).getClass().getName())
          .startsWith("org.sqlite.");
      try (ResultSet tables = meta.getTables(null, null, "t_user", null)) {
        assertThat(tables.next()).isTrue();
        assertThat(tables.getString("TABLE_NAME")).isEqualTo("t_user");
        // The driver's own statement behind the metadata query, handed out as one of ours.
        Statement behind = tables.getStatement();
        assertThat(behind).isNotNull();
        assertThat(behind).isInstanceOf(InstrumentedStatement.class);
        assertThat(behind.getConnection()).isSameAs(c);
        assertThat(tables.getStatement()).isSameAs(behind);
      }
    }
    // Three statements executed; neither reading rows nor metadata is a query of the application.
    assertThat(db("execute_total")).isEqualTo(3);
  }

  @Test
  void statementsEndWithTheConnectionAsTheDriversOwnDo() throws SQLException {
    Connection rawConnection = raw.getConnection();
    Statement rawStatement = rawConnection.createStatement();
    rawConnection.close();
    Throwable rawUse = catchThrowable(() -> rawStatement.executeQuery("SELECT 1"));

    Connection c = ds.getConnection();
    Statement s = c.createStatement();
    PreparedStatement p = c.prepareStatement("SELECT name FROM t_user");
    ResultSet rs = p.executeQuery();
    c.close();

    assertThat(c.isClosed()).isTrue();
    assertThat(s.isClosed()).isEqualTo(rawStatement.isClosed());
    assertThat(rs.getStatement().getConnection().isClosed()).isTrue();
    assertThat(catchThrowable(() -> s.executeQuery("SELECT 1")))
        .isExactlyInstanceOf(rawUse.getClass())
        .hasMessage(rawUse.getMessage());
  }

  @Test
  void eightThreadsAreCountedExactly() throws Exception {
    int threads = 8;
    int queries = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(
          pool.submit(
              () -> {
                int rows = 0;
                try (Connection c = ds.getConnection();
                    PreparedStatement p = c.prepareStatement("SELECT count(*) FROM t_user")) {
                  start.await();
                  for (int i = 0; i < queries; i++) {
                    try (ResultSet rs = p.executeQuery()) {
                      rs.next();
                      rows += 1 + rs.getInt(1);
                    }
                  }
                }
                return rows;
              }));
    }
    start.countDown();
    for (Future<Integer> r : results) {
      assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(queries);
    }
    pool.shutdown();

    assertThat(db("new_connections_total")).isEqualTo(threads);
    assertThat(db("execute_total")).isEqualTo(threads * queries);
    assertThat(db("query_duration_seconds_count")).isEqualTo(threads * queries);
  }

  @Test
  void aWrapperOverAMeasuredSourceCountsOnce() throws SQLException {
    InstrumentedDataSource twice = InstrumentedDataSource.wrap(ds, metrics.jdbc);
    try (Connection c = twice.getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
    assertThat(db("new_connections_total")).isEqualTo(1);
    assertThat(db("execute_total")).isEqualTo(1);
  }

  @Test
  void aliasAndVendorCanBeSet() throws SQLException {
    InstrumentedDataSource orders =
        InstrumentedDataSource.builder(raw, metrics.jdbc).alias("orders").vendor("sqlite3").build();
    try (Connection c = orders.getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
    assertThat(orders.alias()).isEqualTo("orders");
    assertThat(metrics.db("execute_total", "orders", "sqlite3")).isEqualTo(1);
    assertThat(metrics.db("new_connections_total", "orders", "sqlite3")).isEqualTo(1);
  }

  @Test
  void instrumentationFailuresAreCountedAndTheCallProceeds() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.addBatch("INSERT INTO t_user VALUES ('a', 1, 'x')");
      // An impossible batch size makes the counter refuse the increment: our failure, not the query's.
      ((InstrumentedStatement) s).batched = -1;
      assertThat(s.executeBatch()).containsExactly(1);
    }
    assertThat(metrics.instrumentationErrors()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM t_user")).isEqualTo(1);
    assertThat(db("query_duration_seconds_count")).isEqualTo(1);
  }

  private int count(String sql) throws SQLException {
    try (Connection c = raw.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
