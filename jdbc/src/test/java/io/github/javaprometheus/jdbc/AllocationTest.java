package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/**
 * In steady state a measured query allocates what the driver's query allocates and nothing more:
 * the label children are resolved when the connection opens, the hot path only counts and
 * observes. Measured with the JVM's per-thread allocation counter on a real SQLite database.
 */
class AllocationTest {
  private static final int QUERIES = 50_000;

  @Test
  void aMeasuredQueryAllocatesNothingBeyondTheDriver() throws SQLException {
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite::memory:");
    TestMetrics metrics = new TestMetrics();
    InstrumentedDataSource measured = InstrumentedDataSource.wrap(raw, metrics.jdbc);
    try (Connection rawConnection = raw.getConnection();
        Connection measuredConnection = measured.getConnection();
        PreparedStatement rawQuery = rawConnection.prepareStatement("SELECT 1");
        PreparedStatement measuredQuery = measuredConnection.prepareStatement("SELECT 1")) {
      // Warm up both paths until the JIT has compiled them.
      for (int round = 0; round < 8; round++) {
        bytesPerQuery(rawQuery);
        bytesPerQuery(measuredQuery);
      }
      double driver = Double.MAX_VALUE;
      double ours = Double.MAX_VALUE;
      for (int round = 0; round < 3; round++) {
        driver = Math.min(driver, bytesPerQuery(rawQuery));
        ours = Math.min(ours, bytesPerQuery(measuredQuery));
      }

      assertThat(ours - driver)
          .as("bytes per query beyond the driver's %.1f", driver)
          .isLessThan(1.0);
    }
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(11.0 * QUERIES);
  }

  private static double bytesPerQuery(PreparedStatement query) throws SQLException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    long sum = 0;
    for (int i = 0; i < QUERIES; i++) {
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        sum += rs.getInt(1);
      }
    }
    long after = threads.getThreadAllocatedBytes(id);
    assertThat(sum).isEqualTo(QUERIES);
    return (after - before) / (double) QUERIES;
  }
}
