package io.github.javaprometheus.springboot;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.util.DriverDataSource;
import com.zaxxer.hikari.util.PropertyElf;
import io.github.javaprometheus.jdbc.DatabaseVendors;
import io.github.javaprometheus.jdbc.InstrumentedDataSource;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import io.github.javaprometheus.jdbc.PrometheusDriver;
import io.github.javaprometheus.jdbc.PrometheusMetricsTrackerFactory;
import javax.sql.DataSource;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * HikariCP, measured below the pool: Hikari opens its physical connections from an {@link
 * InstrumentedDataSource} (the one it would have built itself from {@code jdbcUrl}, {@code
 * dataSourceClassName} or {@code dataSource}), so checkouts are not new connections; the pool
 * gauges come from Hikari's {@code MetricsTrackerFactory}. Loaded only when HikariCP is present.
 */
final class HikariInstrumentation {
  private static final boolean MICROMETER_PRESENT =
      ClassUtils.isPresent(
              "io.micrometer.core.instrument.MeterRegistry",
              HikariInstrumentation.class.getClassLoader())
          && ClassUtils.isPresent(
              "com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory",
              HikariInstrumentation.class.getClassLoader());

  private HikariInstrumentation() {}

  static boolean isMeasured(DataSource dataSource) {
    return dataSource instanceof HikariDataSource
        && ((HikariDataSource) dataSource).getMetricsTrackerFactory()
            instanceof PrometheusMetricsTrackerFactory;
  }

  /**
   * Instruments a pool that has not started; false when {@code dataSource} is not Hikari or its
   * pool already runs (its configuration is sealed), and then it must be wrapped from above.
   */
  static boolean instrumentBelowThePool(
      DataSource dataSource,
      JdbcMetrics metrics,
      String alias,
      ConfigurableListableBeanFactory beanFactory) {
    if (!(dataSource instanceof HikariDataSource)) {
      return false;
    }
    HikariDataSource hikari = (HikariDataSource) dataSource;
    if (hikari.isRunning() || hikari.getHikariPoolMXBean() != null) {
      // Too late to go below the pool; the gauges can still be had if no tracker is set.
      if (hikari.getMetricsTrackerFactory() == null && hikari.getMetricRegistry() == null) {
        hikari.setMetricsTrackerFactory(
            new PrometheusMetricsTrackerFactory(
                metrics,
                alias,
                DatabaseVendors.fromUrl(hikari.getJdbcUrl()),
                actuatorTracker(beanFactory)));
      }
      return false;
    }
    MetricsTrackerFactory existing = hikari.getMetricsTrackerFactory();
    if (existing == null) {
      existing = actuatorTracker(beanFactory);
    }
    String url = hikari.getJdbcUrl();
    if (hikari.getDataSource() == null
        && hikari.getDataSourceClassName() == null
        && url != null
        && url.startsWith(PrometheusDriver.URL_PREFIX)) {
      // The jdbc:prometheus: driver already measures every physical connection: name it only.
      if (hikari.getDataSourceProperties().getProperty(PrometheusDriver.ALIAS_PROPERTY) == null) {
        hikari.addDataSourceProperty(PrometheusDriver.ALIAS_PROPERTY, alias);
      }
      setTracker(
          hikari,
          new PrometheusMetricsTrackerFactory(metrics, alias, DatabaseVendors.fromUrl(url), existing));
      return true;
    }
    if (hikari.getDataSource() instanceof InstrumentedDataSource) {
      // The application measured the physical data source itself: add the pool gauges only.
      setTracker(
          hikari,
          PrometheusMetricsTrackerFactory.forPoolOver(
              (InstrumentedDataSource) hikari.getDataSource(), existing));
      return true;
    }
    DataSource physical = physicalDataSource(hikari);
    if (physical == null) {
      return false; // JNDI: the server's pool, measured from above
    }
    InstrumentedDataSource.Builder below =
        InstrumentedDataSource.builder(physical, metrics).alias(alias).pool(false);
    if (url != null && physical instanceof DriverDataSource) {
      below.vendor(DatabaseVendors.fromUrl(url));
    }
    InstrumentedDataSource measured = below.build();
    hikari.setDataSource(measured);
    // Hikari would warn that it ignores the class name now that a data source is set.
    hikari.setDataSourceClassName(null);
    setTracker(hikari, PrometheusMetricsTrackerFactory.forPoolOver(measured, existing));
    return true;
  }

  /** The tracker Actuator would have set, had ours not been there first; null without Actuator. */
  private static MetricsTrackerFactory actuatorTracker(ConfigurableListableBeanFactory beanFactory) {
    return MICROMETER_PRESENT ? ActuatorHikariMetrics.ifActuatorWouldBind(beanFactory) : null;
  }

  /** What Hikari itself would open physical connections from (PoolBase.initializeDataSource). */
  private static DataSource physicalDataSource(HikariDataSource hikari) {
    if (hikari.getDataSource() != null) {
      return hikari.getDataSource();
    }
    if (hikari.getDataSourceClassName() != null) {
      Class<?> type =
          ClassUtils.resolveClassName(
              hikari.getDataSourceClassName(), ClassUtils.getDefaultClassLoader());
      DataSource created = (DataSource) BeanUtils.instantiateClass(type);
      PropertyElf.setTargetFromProperties(created, hikari.getDataSourceProperties());
      return created;
    }
    if (hikari.getJdbcUrl() != null) {
      // Credentials are passed by Hikari on every connect, from its (possibly rotating) provider.
      return new DriverDataSource(
          hikari.getJdbcUrl(),
          hikari.getDriverClassName(),
          hikari.getDataSourceProperties(),
          hikari.getUsername(),
          hikari.getPassword());
    }
    return null;
  }

  private static void setTracker(HikariDataSource hikari, MetricsTrackerFactory ours) {
    if (hikari.getMetricRegistry() != null) {
      return; // Hikari takes a registry or a tracker factory, not both: the application's wins
    }
    hikari.setMetricsTrackerFactory(ours);
  }
}
