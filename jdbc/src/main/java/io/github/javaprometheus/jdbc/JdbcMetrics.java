package io.github.javaprometheus.jdbc;

import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.MetricFamilies;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database families of django-prometheus, labelled {@code alias} and {@code vendor}, plus the
 * connection pool families. Created once from {@link MetricFamilies}; the driver, the data source
 * wrapper and the HikariCP tracker take it and resolve their label children once per connection
 * (or pool), so a query only increments and observes.
 */
public final class JdbcMetrics {
  /** Buckets of the pool acquire time: a warm pool hands out connections in microseconds. */
  static final double[] ACQUIRE_BUCKETS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    10, 30
  };

  private final MetricFamilies families;
  final BoundedFamily<CounterDataPoint> newConnections;
  final BoundedFamily<CounterDataPoint> newConnectionErrors;
  final BoundedFamily<CounterDataPoint> execute;
  final BoundedFamily<CounterDataPoint> executeMany;
  final BoundedFamily<CounterDataPoint> errors;
  final BoundedFamily<DistributionDataPoint> queryDuration;
  final BoundedFamily<CounterDataPoint> poolTimeouts;
  final BoundedFamily<DistributionDataPoint> poolAcquire;
  private final ConcurrentHashMap<String, DatabaseLabels> labels = new ConcurrentHashMap<>();
  private volatile PoolGauges poolGauges;

  private JdbcMetrics(MetricFamilies families) {
    this.families = Objects.requireNonNull(families, "families");
    newConnections =
        families.counter(
            "db_new_connections",
            "Counter of created connections by database and by vendor.",
            "alias",
            "vendor");
    newConnectionErrors =
        families.counter(
            "db_new_connection_errors",
            "Counter of connection failures by database and by vendor.",
            "alias",
            "vendor");
    execute =
        families.counter(
            "db_execute",
            "Counter of executed statements by database and by vendor, including bulk executions.",
            "alias",
            "vendor");
    executeMany =
        families.counter(
            "db_execute_many",
            "Counter of executed statements in bulk operations by database and by vendor.",
            "alias",
            "vendor");
    errors =
        families.counter(
            "db_errors",
            "Counter of execution errors by database, vendor and exception type.",
            "alias",
            "vendor",
            "type");
    queryDuration =
        families.latencyHistogram(
            "db_query_duration_seconds",
            "Histogram of query duration by database and vendor.",
            "alias",
            "vendor");
    poolTimeouts =
        families.counter(
            "db_pool_connection_timeouts",
            "Connection requests that timed out waiting for the pool, by database and vendor.",
            "alias",
            "vendor");
    poolAcquire =
        families.histogram(
            "db_pool_connection_acquire_seconds",
            "Time to get a connection from the pool, by database and vendor.",
            ACQUIRE_BUCKETS,
            "alias",
            "vendor");
  }

  /** The database families on the registry and with the names of {@code families}. */
  public static JdbcMetrics create(MetricFamilies families) {
    return new JdbcMetrics(families);
  }

  public MetricFamilies families() {
    return families;
  }

  /** The label children of one database; kept per alias and vendor. */
  DatabaseLabels labels(String alias, String vendor) {
    String key = alias + '\u0000' + vendor;
    DatabaseLabels cached = labels.get(key);
    if (cached != null) {
      return cached;
    }
    DatabaseLabels created = new DatabaseLabels(this, alias, vendor);
    // Past max-label-values the children are the shared overflow ones: not cached under this key.
    return created.overflowed() ? created : labels.computeIfAbsent(key, k -> created);
  }

  /** Pool gauges of this registry and prefix, registered at the first pool. */
  PoolGauges poolGauges() {
    PoolGauges gauges = poolGauges;
    if (gauges == null) {
      gauges = PoolGauges.of(families);
      poolGauges = gauges;
    }
    return gauges;
  }

  /** Counts a failure of our own code; the JDBC call goes on as without the library. */
  void failed(Throwable error) {
    families.errors().record("jdbc", error);
  }
}
