package io.github.javaprometheus.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.util.DriverDataSource;
import com.zaxxer.hikari.util.PropertyElf;
import com.zaxxer.hikari.util.UtilityElf;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Measures a HikariCP pool below the pool, with no framework: Hikari opens its physical
 * connections from an {@link InstrumentedDataSource} (the data source it would have built itself
 * from {@code jdbcUrl}, {@code dataSourceClassName} or {@code dataSource}), so {@code
 * <p>_db_new_connections_total} counts physical connections and not checkouts; the pool gauges,
 * timeouts and acquire times come from Hikari's own hook, a {@link
 * PrometheusMetricsTrackerFactory}. Call it on the configuration before the pool starts:
 *
 * <pre>{@code
 * JdbcMetrics jdbc = JdbcMetrics.create(MetricFamilies.create(PrometheusSettings.load(), registry));
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db/app");
 * config.setUsername("app");
 * if (!HikariMetrics.instrument(config, jdbc, "default")) {
 *   // not possible below this pool (see instrument): measure it from above instead
 * }
 * DataSource pool = new HikariDataSource(config);
 * }</pre>
 *
 * <p>An unstarted {@link HikariDataSource} is a {@code HikariConfig} too. A pool that already runs
 * cannot be changed below; {@link #instrument} then still adds the gauges when it can and answers
 * false, and the pool is measured from above with {@code InstrumentedDataSource.builder(pool,
 * jdbc).alias(alias).build()}, which does not count checkouts as new connections. The Spring Boot
 * auto-configuration calls this class for every {@code HikariDataSource} bean.
 */
public final class HikariMetrics {
  private HikariMetrics() {}

  /**
   * Measures the pool {@code pool} configures under {@code alias}; see {@link #instrument(HikariConfig,
   * JdbcMetrics, String, MetricsTrackerFactory)}.
   */
  public static boolean instrument(HikariConfig pool, JdbcMetrics metrics, String alias) {
    return instrument(pool, metrics, alias, null);
  }

  /**
   * Measures the pool {@code pool} configures under {@code alias}, the vendor read from its URL or
   * data source (else from its first connection). Calling it again on the same pool changes
   * nothing.
   *
   * <ul>
   *   <li>{@code jdbcUrl} or {@code dataSourceClassName}: the data source Hikari would build is
   *       built now, wrapped, and set as the pool's {@code dataSource};
   *   <li>a {@code dataSource}: it is wrapped (unless it is an {@link InstrumentedDataSource}
   *       already);
   *   <li>a {@code jdbc:prometheus:} URL: the driver measures already; the alias is passed to it
   *       as the connection property {@value PrometheusDriver#ALIAS_PROPERTY}.
   * </ul>
   *
   * <p>A metrics tracker factory the pool already has keeps receiving every event next to ours; a
   * pool with a Dropwizard {@code metricRegistry} keeps it and gets no gauges from us (Hikari takes
   * one or the other).
   *
   * @param alongside a factory to feed next to ours when the pool has none of its own (the one a
   *     framework would set once ours is there, such as Micrometer's); may be null
   * @return true when the pool's physical connections are measured; false, with the pool left as
   *     it was except for the gauges, when it already runs (or is closed), when it looks its data
   *     source up in JNDI, or when its data source cannot be built (the pool then fails to start
   *     with Hikari's own error): then measure it from above with an {@link
   *     InstrumentedDataSource}
   */
  public static boolean instrument(
      HikariConfig pool, JdbcMetrics metrics, String alias, MetricsTrackerFactory alongside) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(alias, "alias");
    try {
      MetricsTrackerFactory theirs = pool.getMetricsTrackerFactory();
      MetricsTrackerFactory feed = theirs != null ? theirs : alongside;
      if (pool instanceof HikariDataSource && !canChange((HikariDataSource) pool)) {
        HikariDataSource running = (HikariDataSource) pool;
        // Too late to go below the pool, but Hikari takes a tracker from a running pool once.
        if (!running.isClosed() && theirs == null && pool.getMetricRegistry() == null) {
          running.setMetricsTrackerFactory(
              new PrometheusMetricsTrackerFactory(metrics, alias, vendorOf(pool), alongside));
        }
        return false;
      }
      String url = pool.getJdbcUrl();
      if (pool.getDataSource() == null
          && pool.getDataSourceClassName() == null
          && url != null
          && url.startsWith(PrometheusDriver.URL_PREFIX)) {
        // The jdbc:prometheus: driver measures every physical connection already: name it only.
        if (pool.getDataSourceProperties().getProperty(PrometheusDriver.ALIAS_PROPERTY) == null) {
          pool.addDataSourceProperty(PrometheusDriver.ALIAS_PROPERTY, alias);
        }
        String vendor = DatabaseVendors.fromUrl(url);
        setTracker(pool, () -> new PrometheusMetricsTrackerFactory(metrics, alias, vendor, feed));
        return true;
      }
      if (pool.getDataSource() instanceof InstrumentedDataSource) {
        // Measured by the application itself (or by an earlier call): add the pool gauges only.
        InstrumentedDataSource measured = (InstrumentedDataSource) pool.getDataSource();
        setTracker(pool, () -> PrometheusMetricsTrackerFactory.forPoolOver(measured, feed));
        return true;
      }
      DataSource physical = physicalDataSource(pool);
      if (physical == null) {
        return false; // JNDI: the application server's pool, measured from above
      }
      InstrumentedDataSource.Builder below =
          InstrumentedDataSource.builder(physical, metrics).alias(alias).pool(false);
      if (url != null && physical instanceof DriverDataSource) {
        below.vendor(DatabaseVendors.fromUrl(url)); // Hikari's driver wrapper does not tell it
      }
      InstrumentedDataSource measured = below.build();
      pool.setDataSource(measured);
      // Hikari would warn that it ignores the class name now that a data source is set.
      pool.setDataSourceClassName(null);
      setTracker(pool, () -> PrometheusMetricsTrackerFactory.forPoolOver(measured, feed));
      return true;
    } catch (RuntimeException | LinkageError e) {
      // A data source Hikari could not build either, or a sealed configuration: the pool is left
      // to start (or fail) exactly as without the library.
      metrics.failed(e);
      return false;
    }
  }

  /** Whether {@code pool} has our metrics tracker: {@link #instrument} ran on it (or its user set one). */
  public static boolean isInstrumented(HikariConfig pool) {
    return pool.getMetricsTrackerFactory() instanceof PrometheusMetricsTrackerFactory;
  }

  /** A data source whose pool has neither started nor been closed still takes configuration. */
  private static boolean canChange(HikariDataSource pool) {
    return !pool.isClosed() && !pool.isRunning() && pool.getHikariPoolMXBean() == null;
  }

  private interface TrackerFactory {
    PrometheusMetricsTrackerFactory create();
  }

  private static void setTracker(HikariConfig pool, TrackerFactory ours) {
    if (pool.getMetricRegistry() != null || isInstrumented(pool)) {
      // Hikari takes a registry or a tracker factory, not both: the application's wins. Ours
      // already there (set by the application, or an earlier call) is not wrapped in a second.
      return;
    }
    pool.setMetricsTrackerFactory(ours.create());
  }

  /** What Hikari itself opens physical connections from (its {@code PoolBase}), built now. */
  private static DataSource physicalDataSource(HikariConfig pool) {
    if (pool.getDataSource() != null) {
      return pool.getDataSource();
    }
    if (pool.getDataSourceClassName() != null) {
      DataSource created = UtilityElf.createInstance(pool.getDataSourceClassName(), DataSource.class);
      PropertyElf.setTargetFromProperties(created, pool.getDataSourceProperties());
      return created;
    }
    if (pool.getJdbcUrl() != null) {
      // Hikari passes its credentials (possibly from a rotating provider) on every connect too.
      return new DriverDataSource(
          pool.getJdbcUrl(),
          pool.getDriverClassName(),
          pool.getDataSourceProperties(),
          pool.getUsername(),
          pool.getPassword());
    }
    return null;
  }

  private static String vendorOf(HikariConfig pool) {
    String vendor = DatabaseVendors.fromUrl(pool.getJdbcUrl());
    if (vendor.equals(DatabaseVendors.UNKNOWN) && pool.getDataSource() != null) {
      vendor = DatabaseVendors.fromDataSource(pool.getDataSource());
    }
    return vendor;
  }
}
