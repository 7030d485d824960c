package io.github.javaprometheus.springboot;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.github.javaprometheus.jdbc.HikariMetrics;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * HikariCP beans, measured below the pool by the jdbc module's {@link HikariMetrics}; this class
 * only adds what Spring knows: Actuator's Micrometer tracker, which our tracker then feeds. Loaded
 * only when HikariCP is present.
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
        && HikariMetrics.isInstrumented((HikariDataSource) dataSource);
  }

  /**
   * Instruments a pool that has not started; false when {@code dataSource} is not Hikari or cannot
   * be measured below the pool (it already runs, or uses JNDI), and then it must be wrapped from
   * above.
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
    // Actuator sets its tracker only on a pool without one, and ours comes first: ours feeds it.
    MetricsTrackerFactory actuator =
        hikari.getMetricsTrackerFactory() == null ? actuatorTracker(beanFactory) : null;
    return HikariMetrics.instrument(hikari, metrics, alias, actuator);
  }

  /** The tracker Actuator would have set, had ours not been there first; null without Actuator. */
  private static MetricsTrackerFactory actuatorTracker(ConfigurableListableBeanFactory beanFactory) {
    return MICROMETER_PRESENT ? ActuatorHikariMetrics.ifActuatorWouldBind(beanFactory) : null;
  }
}
