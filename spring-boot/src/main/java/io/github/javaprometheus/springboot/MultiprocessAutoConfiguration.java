package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.multiprocess.MultiprocessStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Multiprocess mode in Spring Boot: with {@code java-prometheus-multiprocess} on the classpath and
 * {@code prometheus.multiproc-dir} (or {@code PROMETHEUS_MULTIPROC_DIR}) set, the metric families
 * keep their values in the directory's files, and {@link PrometheusRegistry#defaultRegistry} — so
 * {@code /metrics} and the dedicated exporter — serves the merged view of every process writing
 * there. Runs before {@link JavaPrometheusAutoConfiguration}, whose {@link MetricFamilies} bean then
 * backs off.
 *
 * <p>The {@link MultiprocessStore} is a bean, to call {@link MultiprocessStore#markProcessDead}
 * from; it is the JVM's single store for the directory and is never closed with the context (a
 * DevTools restart reuses it).
 */
@AutoConfiguration(before = JavaPrometheusAutoConfiguration.class)
@ConditionalOnClass(MultiprocessStore.class)
@Conditional(SettingCondition.MultiprocDirSet.class)
public class MultiprocessAutoConfiguration {

  /** The store of {@code prometheus.multiproc-dir}; a missing or read-only directory fails start-up. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  public MultiprocessStore javaPrometheusMultiprocessStore(PrometheusSettings settings) {
    return MultiprocessStore.open(settings);
  }

  /** The families, file-backed, with the default registry serving the merged directory. */
  @Bean
  @ConditionalOnMissingBean
  public MetricFamilies javaPrometheusMetricFamilies(PrometheusSettings settings, MultiprocessStore store) {
    store.collectInto(PrometheusRegistry.defaultRegistry);
    MetricFamilies families = MetricFamilies.create(settings, PrometheusRegistry.defaultRegistry, store);
    families.registerJvmMetrics();
    return families;
  }
}
