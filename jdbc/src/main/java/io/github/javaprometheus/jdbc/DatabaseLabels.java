package io.github.javaprometheus.jdbc;

import io.github.javaprometheus.core.BoundedChild;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The label children of one {@code alias} and {@code vendor}, resolved once as core's {@link
 * BoundedChild} handles: past {@code max-label-values} they are the families' overflow children,
 * which count every use in {@code <p>_label_overflow_total}. Every method catches its own failures
 * and reports them: instrumentation never changes what a JDBC call does.
 */
final class DatabaseLabels {
  private static final double NANOS_PER_SECOND = 1e9;

  private final JdbcMetrics metrics;
  final String alias;
  final String vendor;
  private final BoundedChild<CounterDataPoint> newConnections;
  private final BoundedChild<CounterDataPoint> newConnectionErrors;
  private final BoundedChild<CounterDataPoint> execute;
  private final BoundedChild<CounterDataPoint> executeMany;
  private final BoundedChild<DistributionDataPoint> duration;
  // Error types are few (SQLException subclasses of one driver): one handle per class.
  private final ConcurrentHashMap<Class<?>, BoundedChild<CounterDataPoint>> errorsByType =
      new ConcurrentHashMap<>();

  DatabaseLabels(JdbcMetrics metrics, String alias, String vendor) {
    this.metrics = metrics;
    this.alias = alias;
    this.vendor = vendor;
    newConnections = metrics.newConnections.child(alias, vendor);
    newConnectionErrors = metrics.newConnectionErrors.child(alias, vendor);
    execute = metrics.execute.child(alias, vendor);
    executeMany = metrics.executeMany.child(alias, vendor);
    duration = metrics.queryDuration.child(alias, vendor);
  }

  /** Whether any of the children is an overflow child (the families were full). */
  boolean overflowed() {
    return newConnections.isOverflow()
        || newConnectionErrors.isOverflow()
        || execute.isOverflow()
        || executeMany.isOverflow()
        || duration.isOverflow();
  }

  /** A physical connection was opened. */
  void connected() {
    try {
      newConnections.get().inc();
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
      newConnections.get().inc();
      newConnectionErrors.get().inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
  }

  /** Before one {@code execute*}: counts it and returns the start time. */
  long start() {
    try {
      execute.get().inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
    return System.nanoTime();
  }

  /** Before an {@code executeBatch} of {@code statements}: counts them and one bulk execution. */
  long startBatch(int statements) {
    try {
      execute.get().inc(statements);
      executeMany.get().inc();
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
    return System.nanoTime();
  }

  /** After an {@code execute*}, also when it threw. */
  void end(long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    try {
      duration.get().observe(elapsed / NANOS_PER_SECOND);
    } catch (RuntimeException e) {
      metrics.failed(e);
    }
  }

  /** An {@code execute*} threw {@code error}: counted by its simple class name. */
  void error(Throwable error) {
    try {
      Class<?> type = error.getClass();
      BoundedChild<CounterDataPoint> child = errorsByType.get(type);
      if (child == null) {
        // The overflow handle is kept too: it counts each use itself.
        child =
            errorsByType.computeIfAbsent(
                type, t -> metrics.errors.child(alias, vendor, typeName(t)));
      }
      child.get().inc();
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
