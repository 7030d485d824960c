package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.MetricStore;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Found by {@code MetricFamilies.create(settings, registry)} through {@link java.util.ServiceLoader}
 * when {@code prometheus.multiproc-dir} is set: the JVM's {@link MultiprocessStore} for the
 * directory, with the registry serving the merged view.
 */
public final class MultiprocessStoreProvider implements MetricStore.Provider {
  @Override
  public MetricStore create(PrometheusSettings settings, PrometheusRegistry registry) {
    MultiprocessStore store = MultiprocessStore.open(settings);
    store.collectInto(registry);
    return store;
  }
}
