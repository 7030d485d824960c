package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The exception a driver throws is the very instance the application catches. A stand-in driver
 * (a few JDK proxies) throws instances the test keeps, so identity can be checked; the real
 * databases are in {@link SqliteTest}, {@code PostgresIT} and {@code MariaDbIT}.
 */
class SameExceptionTest {
  private final TestMetrics metrics = new TestMetrics();

  /** A driver whose every statement call throws {@code error}. */
  private static DataSource throwingDriver(Throwable error) {
    InvocationHandler statement =
        (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            return null;
          }
          throw error;
        };
    InvocationHandler connection =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "createStatement":
              return Proxy.newProxyInstance(
                  SameExceptionTest.class.getClassLoader(), new Class<?>[] {Statement.class}, statement);
            case "prepareStatement":
              return Proxy.newProxyInstance(
                  SameExceptionTest.class.getClassLoader(),
                  new Class<?>[] {PreparedStatement.class},
                  statement);
            case "isWrapperFor":
              return false;
            case "close":
              return null;
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        };
    InvocationHandler dataSource =
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return Proxy.newProxyInstance(
                SameExceptionTest.class.getClassLoader(), new Class<?>[] {Connection.class}, connection);
          }
          throw new UnsupportedOperationException(method.getName());
        };
    return (DataSource)
        Proxy.newProxyInstance(
            SameExceptionTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, dataSource);
  }

  @Test
  void theDriversSqlExceptionIsRethrownAsTheSameInstanceAndCountedByType() throws SQLException {
    SQLSyntaxErrorException thrown = new SQLSyntaxErrorException("syntax error at or near SELEC");
    DataSource ds =
        InstrumentedDataSource.builder(throwingDriver(thrown), metrics.jdbc).vendor("fake").build();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      assertThat(catchThrowable(() -> s.executeQuery("SELEC 1"))).isSameAs(thrown);
      assertThat(catchThrowable(() -> s.executeUpdate("SELEC 1"))).isSameAs(thrown);
    }
    assertThat(metrics.errors("default", "fake", "SQLSyntaxErrorException")).isEqualTo(2);
    assertThat(metrics.db("execute_total", "default", "fake")).isEqualTo(2);
    assertThat(metrics.db("query_duration_seconds_count", "default", "fake")).isEqualTo(2);
  }

  @Test
  void runtimeExceptionsAndBatchFailuresPassThroughUnchangedToo() throws SQLException {
    IllegalStateException bug = new IllegalStateException("driver bug");
    DataSource ds = InstrumentedDataSource.builder(throwingDriver(bug), metrics.jdbc).vendor("fake").build();
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("x")) {
      assertThat(catchThrowable(p::execute)).isSameAs(bug);
    }
    BatchUpdateException batch = new BatchUpdateException("row 2 failed", new int[] {1});
    DataSource batches =
        InstrumentedDataSource.builder(throwingDriver(batch), metrics.jdbc).vendor("fake").build();
    try (Connection c = batches.getConnection(); Statement s = c.createStatement()) {
      assertThat(catchThrowable(s::executeBatch)).isSameAs(batch);
    }
    assertThat(metrics.errors("default", "fake", "IllegalStateException")).isEqualTo(1);
    assertThat(metrics.errors("default", "fake", "BatchUpdateException")).isEqualTo(1);
    assertThat(metrics.db("execute_many_total", "default", "fake")).isEqualTo(1);
  }

  @Test
  void aFailedConnectIsCountedAndItsExceptionPassesThrough() {
    SQLException refused = new SQLException("Connection refused", "08001");
    InvocationHandler failing =
        (proxy, method, args) -> {
          throw refused;
        };
    DataSource target =
        (DataSource)
            Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, failing);
    DataSource ds = InstrumentedDataSource.builder(target, metrics.jdbc).vendor("fake").build();
    assertThat(catchThrowable(ds::getConnection)).isSameAs(refused);
    assertThat(catchThrowable(() -> ds.getConnection("u", "p"))).isSameAs(refused);
    assertThat(metrics.db("new_connections_total", "default", "fake")).isEqualTo(2);
    assertThat(metrics.db("new_connection_errors_total", "default", "fake")).isEqualTo(2);
  }
}
