package io.github.javaprometheus.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DESIGN §8 R3: the cost of measuring one {@code executeQuery}, on H2 in memory, side by side in
 * one run with the raw driver ({@code none}), datasource-proxy and p6spy. Every variant runs
 * {@code SELECT age FROM t_user WHERE id = ?} on one open connection:
 *
 * <ul>
 *   <li>{@code shape=execute}: one prepared statement, reused: set the parameter, {@code
 *       executeQuery}, read the row, close the result set. The wrapper's own per-query cost.
 *   <li>{@code shape=prepare}: {@code prepareStatement} per query as well, as {@code JdbcTemplate}
 *       does: adds each wrapper's statement proxy.
 * </ul>
 *
 * <p>Overhead is a variant minus {@code none}, in ns/op and in {@code gc.alloc.rate.norm} (B/op).
 * At the end of each trial the variant must have recorded exactly as many executions as were run,
 * or the run fails. Run it from the repository root:
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JdbcBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdbcBenchmark {
  static final String SQL = "SELECT age FROM t_user WHERE id = ?";

  @Param({"none", "java-prometheus", "datasource-proxy", "p6spy"})
  public String instrumentation;

  @Param({"execute", "prepare"})
  public String shape;

  private JdbcInstrumentation installed;
  private Connection setup;
  private Connection connection;
  private PreparedStatement reused;
  private boolean prepareEachTime;
  private long executed;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:r3-" + instrumentation + "-" + shape);
    // The table is made on a raw connection, which also keeps the in-memory database alive.
    setup = h2.getConnection();
    try (Statement s = setup.createStatement()) {
      s.execute("CREATE TABLE t_user (id INT PRIMARY KEY, name VARCHAR(64), age INT)");
      s.execute("INSERT INTO t_user VALUES (1, 'zhangsan', 12)");
    }
    installed = JdbcInstrumentation.create(instrumentation);
    connection = installed.wrap(h2).getConnection();
    reused = connection.prepareStatement(SQL);
    prepareEachTime = shape.equals("prepare");
    executed = 0;
  }

  @Benchmark
  public int query() throws SQLException {
    executed++;
    if (prepareEachTime) {
      try (PreparedStatement p = connection.prepareStatement(SQL)) {
        return ageOf(p);
      }
    }
    return ageOf(reused);
  }

  private static int ageOf(PreparedStatement p) throws SQLException {
    p.setInt(1, 1);
    try (ResultSet rs = p.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Fails the trial when the variant did not record every execution that ran. */
  @TearDown(Level.Trial)
  public void verifyEveryExecutionWasRecorded() throws SQLException {
    long recorded = installed.recordedExecutions();
    reused.close();
    connection.close();
    setup.close();
    if (executed == 0 || (recorded >= 0 && recorded != executed)) {
      throw new IllegalStateException(
          instrumentation + " recorded " + recorded + " of " + executed + " executions");
    }
  }
}
