package io.github.javaprometheus.jdbc;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The label children of one {@code alias} and {@code vendor}, resolved once. Every method catches
 * its own failures and reports them: instrumentation never changes what a JDBC call does.
 */
final class DatabaseLabels {
  private static final double NANOS_PER_SECOND = 1e9;

  private final JdbcMetrics metrics;
  final String alias;
  final String vendor;
  private final CounterDataPoint newConnections;
  private final CounterDataPoint newConnectionErrors;
  private final CounterDataPoint execute;
  private final CounterDataPoint executeMany;
  private final DistributionDataPoint duration;
  private final boolean overflowed;
  // Error types are few (SQLException subclasses of one driver): one child per class.
  private final ConcurrentHashMap<Class<?>, CounterDataPoint> errorsByType =
      new ConcurrentHashMap<>();

  DatabaseLabels(JdbcMetrics metrics, String alias, String vendor) {
    this.metrics = metrics;
    this.alias = alias;
    this.vendor = vendor;
    newConnections = metrics.newConnections.labels(alias, vendor);
    newConnectionErrors = metrics.newConnectionErrors.labels(alias, vendor);
    execute = metrics.execute.labels(alias, vendor);
    executeMany = metrics.executeMany.labels(alias, vendor);
    duration = metrics.queryDuration.labels(alias, vendor);
    overflowed =
        metrics.newConnections.isOverflow(newConnections)
            || metrics.execute.isOverflow(execute)
            || metrics.queryDuration.isOverflow(duration);
  }

  boolean overflowed() {
    return overflowed;
  }

  /** A physical connection was opened. */
  void connected() {
    try {
      newConnections.inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
  }

  /**
   * Opening a physical connection failed. As django-prometheus, the attempt is a new connection
   * too, so errors / connections is the failure ratio.
   */
  void connectionFailed() {
    try {
      newConnections.inc();
      newConnectionErrors.inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
  }

  /** Before one {@code execute*}: counts it and returns the start time. */
  long start() {
    try {
      execute.inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
    return System.nanoTime();
  }

  /** Before an {@code executeBatch} of {@code statements}: counts them and one bulk execution. */
  long startBatch(int statements) {
    try {
      execute.inc(statements);
      executeMany.inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
    return System.nanoTime();
  }

  /** After an {@code execute*}, also when it threw. */
  void end(long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    try {
      duration.observe(elapsed / NANOS_PER_SECOND);
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
  }

  /** An {@code execute*} threw {@code error}: counted by its simple class name. */
  void error(Throwable error) {
    try {
      Class<?> type = error.getClass();
      CounterDataPoint child = errorsByType.get(type);
      if (child == null) {
        child = metrics.errors.labels(alias, vendor, typeName(type));
        if (!metrics.errors.isOverflow(child)) {
          errorsByType.putIfAbsent(type, child);
        }
      }
      child.inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
  }

  private static String typeName(Class<?> type) {
    String simple = type.getSimpleName();
    // Anonymous and hidden classes have no simple name; their class name still says what failed.
    return simple.isEmpty() ? type.getName() : simple;
  }
}
