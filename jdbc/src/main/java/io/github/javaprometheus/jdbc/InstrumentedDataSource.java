package io.github.javaprometheus.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.sql.ShardingKeyBuilder;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps any {@code DataSource}: every connection it hands out measures its statements ({@code
 * <p>_db_execute_total}, {@code _execute_many_total}, {@code _errors_total}, {@code
 * _query_duration_seconds}), labelled {@code alias} and {@code vendor}.
 *
 * <p>{@code <p>_db_new_connections_total} counts physical connections, so wrap the data source a
 * pool opens its connections from (for HikariCP: {@code hikariConfig.setDataSource(wrapped)}, or
 * the {@code jdbc:prometheus:} URL). Wrapping a pool itself works too, but then {@code
 * getConnection()} is a checkout and is not counted as a new connection ({@link Builder#pool};
 * known pools are recognised). Connections that are already measured (a pool over the {@code
 * jdbc:prometheus:} driver) are handed out as they are, so nothing is counted twice.
 */
public final class InstrumentedDataSource implements DataSource {
  private final DataSource target;
  private final JdbcMetrics metrics;
  private final String alias;
  private final boolean pool;
  private final String vendorHint;
  private volatile DatabaseLabels labels;

  private InstrumentedDataSource(Builder b) {
    this.target = b.target;
    this.metrics = b.metrics;
    this.alias = b.alias;
    this.pool = b.pool != null ? b.pool : isKnownPool(b.target);
    this.vendorHint = b.vendor != null ? b.vendor : DatabaseVendors.fromDataSource(b.target);
  }

  /** Wraps {@code target} with alias {@code default}, the vendor found from it. */
  public static InstrumentedDataSource wrap(DataSource target, JdbcMetrics metrics) {
    return builder(target, metrics).build();
  }

  /** A wrapper of {@code target} to configure: alias, vendor, whether it is a pool. */
  public static Builder builder(DataSource target, JdbcMetrics metrics) {
    return new Builder(target, metrics);
  }

  /** Options of an {@link InstrumentedDataSource}. */
  public static final class Builder {
    private final DataSource target;
    private final JdbcMetrics metrics;
    private String alias = "default";
    private String vendor;
    private Boolean pool;

    private Builder(DataSource target, JdbcMetrics metrics) {
      this.target = Objects.requireNonNull(target, "target");
      this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The {@code alias} label, {@code default} unless set (Django's name of the main database). */
    public Builder alias(String alias) {
      this.alias = Objects.requireNonNull(alias, "alias");
      return this;
    }

    /** The {@code vendor} label; by default from the data source, else its first connection. */
    public Builder vendor(String vendor) {
      this.vendor = Objects.requireNonNull(vendor, "vendor");
      return this;
    }

    /**
     * Whether {@code target} is a connection pool, whose {@code getConnection()} borrows rather
     * than opens: then new connections are not counted here. By default HikariCP, Tomcat JDBC,
     * DBCP2, c3p0, Oracle UCP, Agroal and Vibur are recognised.
     */
    public Builder pool(boolean pool) {
      this.pool = pool;
      return this;
    }

    public InstrumentedDataSource build() {
      return new InstrumentedDataSource(this);
    }
  }

  /** The {@code alias} label of this data source. */
  public String alias() {
    return alias;
  }

  /**
   * The {@code vendor} label: from the data source when it tells (its URL, its class), else from
   * the first connection's metadata; {@code unknown} before that.
   */
  public String vendor() {
    DatabaseLabels l = labels;
    return l != null ? l.vendor : vendorHint;
  }

  JdbcMetrics metrics() {
    return metrics;
  }

  /** The wrapped data source. */
  public DataSource target() {
    return target;
  }

  /** Whether {@code getConnection()} borrows from a pool: then it is not a new connection. */
  public boolean isPool() {
    return pool;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return open(target::getConnection);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return open(() -> target.getConnection(username, password));
  }

  @Override
  public ConnectionBuilder createConnectionBuilder() throws SQLException {
    ConnectionBuilder builder = target.createConnectionBuilder();
    return new ConnectionBuilder() {
      @Override
      public ConnectionBuilder user(String username) {
        builder.user(username);
        return this;
      }

      @Override
      public ConnectionBuilder password(String password) {
        builder.password(password);
        return this;
      }

      @Override
      public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
        builder.shardingKey(shardingKey);
        return this;
      }

      @Override
      public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
        builder.superShardingKey(superShardingKey);
        return this;
      }

      @Override
      public Connection build() throws SQLException {
        return open(builder::build);
      }
    };
  }

  private interface Opener {
    Connection open() throws SQLException;
  }

  private Connection open(Opener opener) throws SQLException {
    Connection connection;
    try {
      connection = opener.open();
    } catch (Throwable e) {
      if (!pool) {
        DatabaseLabels l = labelsOrNull(null);
        if (l != null) {
          l.connectionFailed();
        }
      }
      throw e;
    }
    if (connection == null) {
      return null;
    }
    try {
      if (InstrumentedConnection.isInstrumented(connection)) {
        return connection;
      }
      DatabaseLabels l = labelsOrNull(connection);
      if (l == null) {
        return connection;
      }
      if (!pool) {
        l.connected();
      }
      return new InstrumentedConnection(connection, l);
    } catch (RuntimeException e) {
      metrics.failed(e);
      return connection;
    }
  }

  /** Labels, resolved at the first connection when the vendor was unknown before; never throws. */
  private DatabaseLabels labelsOrNull(Connection connection) {
    DatabaseLabels l = labels;
    if (l != null) {
      return l;
    }
    try {
      String vendor = vendorHint;
      if (vendor.equals(DatabaseVendors.UNKNOWN) && connection != null) {
        vendor = DatabaseVendors.fromConnection(connection);
      }
      l = metrics.labels(alias, vendor);
      // Before the first connection the vendor may still be learned: keep only a final answer.
      if (connection != null || !vendor.equals(DatabaseVendors.UNKNOWN)) {
        labels = l;
      }
      return l;
    } catch (RuntimeException e) {
      metrics.failed(e);
      return null;
    }
  }

  private static boolean isKnownPool(DataSource dataSource) {
    for (Class<?> c = dataSource.getClass(); c != null; c = c.getSuperclass()) {
      switch (c.getName()) {
        case "com.zaxxer.hikari.HikariDataSource":
        case "org.apache.tomcat.jdbc.pool.DataSourceProxy":
        case "org.apache.commons.dbcp2.BasicDataSource":
        case "org.apache.commons.dbcp2.PoolingDataSource":
        case "com.mchange.v2.c3p0.AbstractPoolBackedDataSource":
        case "oracle.ucp.jdbc.PoolDataSourceImpl":
        case "io.agroal.pool.DataSource":
        case "org.vibur.dbcp.ViburDBCPDataSource":
          return true;
        default:
          break;
      }
    }
    return false;
  }

  @Override
  public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
    return target.createShardingKeyBuilder();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return iface.isInstance(target) ? iface.cast(target) : target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || iface.isInstance(target) || target.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "InstrumentedDataSource[" + alias + "]: " + target;
  }
}
