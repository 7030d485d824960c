package io.github.javaprometheus.springboot;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Chooses the registry our families live in: the application's own {@code PrometheusRegistry}
 * bean when it has exactly one (the primary one when it has several), but never the one Spring
 * Boot Actuator creates for Micrometer's {@code PrometheusMeterRegistry} (its {@code
 * /actuator/prometheus} stays Micrometer's alone); else {@link PrometheusRegistry#defaultRegistry}.
 */
final class Registries {
  private static final String MICROMETER_REGISTRY =
      "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

  private Registries() {}

  static PrometheusRegistry choose(
      ObjectProvider<PrometheusRegistry> registries, ListableBeanFactory beans) {
    Set<PrometheusRegistry> micrometers = MicrometerOwned.registries(beans);
    List<PrometheusRegistry> own = new ArrayList<>();
    for (PrometheusRegistry r : registries) {
      if (!micrometers.contains(r)) {
        own.add(r);
      }
    }
    if (own.size() == 1) {
      return own.get(0);
    }
    if (own.size() > 1) {
      PrometheusRegistry primary = registries.getIfUnique();
      if (primary != null && !micrometers.contains(primary)) {
        return primary;
      }
    }
    return PrometheusRegistry.defaultRegistry;
  }

  /** Kept apart so Micrometer's types are loaded only when Micrometer is present. */
  private static final class MicrometerOwned {
    static Set<PrometheusRegistry> registries(ListableBeanFactory beans) {
      if (!ClassUtils.isPresent(MICROMETER_REGISTRY, Registries.class.getClassLoader())) {
        return Set.of();
      }
      return Micrometer.registries(beans);
    }
  }

  private static final class Micrometer {
    static Set<PrometheusRegistry> registries(ListableBeanFactory beans) {
      Set<PrometheusRegistry> result =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (io.micrometer.prometheusmetrics.PrometheusMeterRegistry m :
          beans
              .getBeansOfType(io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class, false, false)
              .values()) {
        result.add(m.getPrometheusRegistry());
      }
      return result;
    }
  }
}
