package io.github.javaprometheus.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection whose statements are measured. Holds the label children resolved when it was
 * opened; its statements and metadata answer this connection from {@code getConnection()}, and
 * everything else is passed to the driver's connection untouched, exceptions included.
 * Closing it closes the driver's connection, and with it every statement, as JDBC requires.
 */
final class InstrumentedConnection implements Connection {
  final Connection delegate;
  final DatabaseLabels labels;
  // The metadata handed out last; drivers mostly answer the same object every time.
  private InstrumentedDatabaseMetaData metaData;

  InstrumentedConnection(Connection delegate, DatabaseLabels labels) {
    this.delegate = delegate;
    this.labels = labels;
  }

  /** Whether a connection is already measured by this library, directly or below a pool's proxy. */
  static boolean isInstrumented(Connection connection) {
    if (connection instanceof InstrumentedConnection) {
      return true;
    }
    try {
      return connection.isWrapperFor(InstrumentedConnection.class);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private Statement statement(Statement statement) {
    return statement == null ? null : new InstrumentedStatement(this, statement, labels);
  }

  // prepareStatement/prepareCall that throw count in db_errors_total: a driver that parses SQL at
  // prepare time (SQLite, H2, Oracle) reports there what others report at execute, the same
  // failed query (Python's DB-API, which django-prometheus measures, prepares inside execute).
  private PreparedStatement prepared(PreparedStatement statement) {
    return statement == null ? null : new InstrumentedPreparedStatement(this, statement, labels);
  }

  private CallableStatement callable(CallableStatement statement) {
    return statement == null ? null : new InstrumentedCallableStatement(this, statement, labels);
  }

  /** A statement the driver made on its own (for a metadata result set), measured as ours. */
  Statement wrap(Statement statement) {
    if (statement instanceof CallableStatement) {
      return callable((CallableStatement) statement);
    }
    if (statement instanceof PreparedStatement) {
      return prepared((PreparedStatement) statement);
    }
    return statement(statement);
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "InstrumentedConnection[" + labels.alias + ", " + labels.vendor + "]: " + delegate;
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    delegate.abort(executor);
  }

  @Override
  public void beginRequest() throws SQLException {
    delegate.beginRequest();
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    delegate.close();
  }

  @Override
  public void commit() throws SQLException {
    delegate.commit();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    return delegate.createArrayOf(typeName, elements);
  }

  @Override
  public Blob createBlob() throws SQLException {
    return delegate.createBlob();
  }

  @Override
  public Clob createClob() throws SQLException {
    return delegate.createClob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return delegate.createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return delegate.createSQLXML();
  }

  @Override
  public Statement createStatement() throws SQLException {
    return statement(delegate.createStatement());
  }

  @Override
  public Statement createStatement(
      int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return statement(delegate.createStatement(resultSetType, resultSetConcurrency));
  }

  @Override
  public Statement createStatement(
      int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return statement(
        delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    return delegate.createStruct(typeName, attributes);
  }

  @Override
  public void endRequest() throws SQLException {
    delegate.endRequest();
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return delegate.getAutoCommit();
  }

  @Override
  public String getCatalog() throws SQLException {
    return delegate.getCatalog();
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return delegate.getClientInfo();
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    return delegate.getClientInfo(name);
  }

  @Override
  public int getHoldability() throws SQLException {
    return delegate.getHoldability();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    DatabaseMetaData driver = delegate.getMetaData();
    if (driver == null) {
      return null;
    }
    InstrumentedDatabaseMetaData last = metaData;
    if (last != null && last.delegate == driver) {
      return last;
    }
    InstrumentedDatabaseMetaData created = new InstrumentedDatabaseMetaData(driver, this);
    metaData = created;
    return created;
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return delegate.getNetworkTimeout();
  }

  @Override
  public String getSchema() throws SQLException {
    return delegate.getSchema();
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return delegate.getTransactionIsolation();
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return delegate.getTypeMap();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate.isClosed();
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return delegate.isReadOnly();
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    return delegate.isValid(timeout);
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return delegate.nativeSQL(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    try {
      return callable(delegate.prepareCall(sql));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public CallableStatement prepareCall(
      String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    try {
      return callable(delegate.prepareCall(sql, resultSetType, resultSetConcurrency));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public CallableStatement prepareCall(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    try {
      return callable(delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    try {
      return prepared(delegate.prepareStatement(sql));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    try {
      return prepared(delegate.prepareStatement(sql, columnIndexes));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    try {
      return prepared(delegate.prepareStatement(sql, columnNames));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    try {
      return prepared(delegate.prepareStatement(sql, autoGeneratedKeys));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    try {
      return prepared(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    try {
      return prepared(delegate.prepareStatement(
            sql, resultSetType, resultSetConcurrency, resultSetHoldability));
    } catch (SQLException e) {
      labels.error(e);
      throw e;
    }
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    delegate.releaseSavepoint(savepoint);
  }

  @Override
  public void rollback() throws SQLException {
    delegate.rollback();
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    delegate.rollback(savepoint);
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    delegate.setAutoCommit(autoCommit);
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    delegate.setCatalog(catalog);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    delegate.setClientInfo(properties);
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    delegate.setClientInfo(name, value);
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    delegate.setHoldability(holdability);
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    delegate.setNetworkTimeout(executor, milliseconds);
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    delegate.setReadOnly(readOnly);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return delegate.setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return delegate.setSavepoint(name);
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    delegate.setSchema(schema);
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey) throws SQLException {
    delegate.setShardingKey(shardingKey);
  }

  @Override
  public void setShardingKey(
      ShardingKey shardingKey, ShardingKey superShardingKey)
      throws SQLException {
    delegate.setShardingKey(shardingKey, superShardingKey);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
    return delegate.setShardingKeyIfValid(shardingKey, timeout);
  }

  @Override
  public boolean setShardingKeyIfValid(
      ShardingKey shardingKey, ShardingKey superShardingKey, int timeout)
      throws SQLException {
    return delegate.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    delegate.setTransactionIsolation(level);
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    delegate.setTypeMap(map);
  }
}
