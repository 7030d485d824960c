package io.github.javaprometheus.springboot;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot Actuator's own HikariCP metrics ({@code hikaricp_*} in Micrometer). Actuator sets
 * Hikari's tracker factory only on a pool that has none, and ours is set first; so when Actuator
 * would have bound the pool, ours carries Micrometer's tracker alongside. Loaded only when
 * Micrometer is present.
 */
final class ActuatorHikariMetrics {
  private static final String BINDER =
      "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration"
          + "$HikariDataSourceMetricsConfiguration$HikariDataSourceMeterBinder";

  private ActuatorHikariMetrics() {}

  /** Micrometer's factory, resolving the registry when the pool starts; null when Actuator would not bind. */
  static MetricsTrackerFactory ifActuatorWouldBind(ConfigurableListableBeanFactory beanFactory) {
    ClassLoader loader = ActuatorHikariMetrics.class.getClassLoader();
    if (beanFactory == null || !ClassUtils.isPresent(BINDER, loader)) {
      return null;
    }
    Class<?> binder = ClassUtils.resolveClassName(BINDER, loader);
    if (beanFactory.getBeanNamesForType(binder, true, false).length == 0) {
      return null;
    }
    ObjectProvider<MeterRegistry> registries = beanFactory.getBeanProvider(MeterRegistry.class);
    return (poolName, poolStats) -> {
      MeterRegistry registry = registries.getIfUnique();
      return registry == null
          ? new IMetricsTracker() {}
          : new MicrometerMetricsTrackerFactory(registry).create(poolName, poolStats);
    };
  }
}
