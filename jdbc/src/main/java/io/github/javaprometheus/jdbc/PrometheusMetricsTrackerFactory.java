package io.github.javaprometheus.jdbc;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.github.javaprometheus.core.BoundedChild;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * HikariCP pool metrics through Hikari's own hook: set it with {@code
 * hikariConfig.setMetricsTrackerFactory(...)} before the pool starts. The gauges ({@code
 * <p>_db_pool_active_connections}, {@code _idle_connections}, {@code _pending_threads}, {@code
 * _max_connections}, {@code _min_connections}) read Hikari's {@code PoolStats} at scrape time;
 * {@code <p>_db_pool_connection_timeouts_total} and {@code <p>_db_pool_connection_acquire_seconds}
 * are recorded by the tracker. Hikari takes one factory: {@code alongside} keeps one that was
 * already set (Micrometer's, Dropwizard's) working next to ours. {@link HikariMetrics#instrument}
 * sets it, together with the measured data source below the pool.
 */
public final class PrometheusMetricsTrackerFactory implements MetricsTrackerFactory {
  private static final double NANOS_PER_SECOND = 1e9;

  private final JdbcMetrics metrics;
  private final String alias;
  private final Supplier<String> vendor;
  private final MetricsTrackerFactory alongside;

  /** Pool metrics labelled {@code alias} and {@code vendor}. */
  public PrometheusMetricsTrackerFactory(JdbcMetrics metrics, String alias, String vendor) {
    this(metrics, alias, vendor, null);
  }

  /** As above, also feeding {@code alongside} (may be null) every event, as if it were alone. */
  public PrometheusMetricsTrackerFactory(
      JdbcMetrics metrics, String alias, String vendor, MetricsTrackerFactory alongside) {
    Objects.requireNonNull(vendor, "vendor");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.alias = Objects.requireNonNull(alias, "alias");
    this.vendor = () -> vendor;
    this.alongside = alongside;
  }

  private PrometheusMetricsTrackerFactory(
      InstrumentedDataSource physical, MetricsTrackerFactory alongside) {
    this.metrics = physical.metrics();
    this.alias = physical.alias();
    // Read when the pool starts: by then Hikari has opened a connection, which names the vendor.
    this.vendor = physical::vendor;
    this.alongside = alongside;
  }

  /**
   * Pool metrics of a pool whose physical connections come from {@code physical}, with its alias
   * and vendor; {@code alongside} (may be null) keeps receiving every event.
   */
  public static PrometheusMetricsTrackerFactory forPoolOver(
      InstrumentedDataSource physical, MetricsTrackerFactory alongside) {
    return new PrometheusMetricsTrackerFactory(physical, alongside);
  }

  /** The factory this one also feeds, or null. */
  public MetricsTrackerFactory alongside() {
    return alongside;
  }

  @Override
  public IMetricsTracker create(String poolName, PoolStats poolStats) {
    IMetricsTracker other = alongside == null ? null : alongside.create(poolName, poolStats);
    try {
      return new Tracker(metrics, alias, vendor.get(), poolStats, other);
    } catch (RuntimeException e) {
      // Without our tracker the pool still works, and so does the other one.
      metrics.failed(e);
      return other != null ? other : new IMetricsTracker() {};
    }
  }

  private static final class Tracker implements IMetricsTracker, PoolGauges.Source {
    private final JdbcMetrics metrics;
    private final String alias;
    private final String vendor;
    private final PoolStats stats;
    private final IMetricsTracker other;
    private final BoundedChild<CounterDataPoint> timeouts;
    private final BoundedChild<DistributionDataPoint> acquire;
    private final PoolGauges gauges;

    Tracker(
        JdbcMetrics metrics,
        String alias,
        String vendor,
        PoolStats stats,
        IMetricsTracker other) {
      this.metrics = metrics;
      this.alias = alias;
      this.vendor = vendor;
      this.stats = stats;
      this.other = other;
      this.timeouts = metrics.poolTimeouts.child(alias, vendor);
      this.acquire = metrics.poolAcquire.child(alias, vendor);
      this.gauges = metrics.poolGauges();
      gauges.add(this);
    }

    @Override
    public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
      if (other != null) {
        other.recordConnectionCreatedMillis(connectionCreatedMillis);
      }
    }

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
      try {
        acquire.get().observe(elapsedAcquiredNanos / NANOS_PER_SECOND);
      } catch (RuntimeException e) {
        metrics.failed(e);
      }
      if (other != null) {
        other.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
      }
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
      if (other != null) {
        other.recordConnectionUsageMillis(elapsedBorrowedMillis);
      }
    }

    @Override
    public void recordConnectionTimeout() {
      try {
        timeouts.get().inc();
      } catch (RuntimeException e) {
        metrics.failed(e);
      }
      if (other != null) {
        other.recordConnectionTimeout();
      }
    }

    /** The pool shut down: its gauges go away with it. */
    @Override
    public void close() {
      gauges.remove(this);
      if (other != null) {
        other.close();
      }
    }

    @Override
    public String alias() {
      return alias;
    }

    @Override
    public String vendor() {
      return vendor;
    }

    @Override
    public int active() {
      return stats.getActiveConnections();
    }

    @Override
    public int idle() {
      return stats.getIdleConnections();
    }

    @Override
    public int pending() {
      return stats.getPendingThreads();
    }

    @Override
    public int max() {
      return stats.getMaxConnections();
    }

    @Override
    public int min() {
      return stats.getMinConnections();
    }
  }
}
