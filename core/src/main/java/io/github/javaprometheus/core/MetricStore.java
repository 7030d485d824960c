package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Where the values of this library's families live. The default, {@link #inRegistry}, keeps them
 * in client_java metrics registered in a {@link PrometheusRegistry}. {@code
 * java-prometheus-multiprocess} keeps them in memory-mapped files shared by many processes; it is
 * found through {@link Provider} ({@link java.util.ServiceLoader}) when {@code
 * prometheus.multiproc-dir} is set.
 *
 * <p>Children are client_java data points ({@link CounterDataPoint}, {@link DistributionDataPoint},
 * {@link GaugeDataPoint}), so instrumentation code is the same for every store. {@link
 * MetricFamilies} calls a store once per family name and keeps the result; names are complete
 * (namespace and prefix applied, counters without {@code _total}).
 */
public interface MetricStore {

  /** A counter family. */
  Family<CounterDataPoint> counter(String name, String help, String[] labelNames);

  /** A histogram family with classic buckets (upper bounds without +Inf). */
  Family<DistributionDataPoint> histogram(
      String name, String help, double[] upperBounds, boolean nativeHistograms, String[] labelNames);

  /** A gauge family; {@code mode} says how values of several processes merge. */
  Family<GaugeDataPoint> gauge(String name, String help, GaugeMode mode, String[] labelNames);

  /** The children of one family. */
  interface Family<D extends DataPoint> {
    /**
     * The child for these label values, one per label name (none for a family without labels).
     * The same values give a child backed by the same value; callers keep the result.
     */
    D labelValues(String... values);

    /** The client_java metric behind the family, or null when there is none (file-backed). */
    default StatefulMetric<D, ?> metric() {
      return null;
    }
  }

  /** Creates the store for {@code prometheus.multiproc-dir}; listed in {@code META-INF/services}. */
  interface Provider {
    /**
     * The store for the settings' multiprocess directory, arranging for {@code registry} to serve
     * the merged view of the directory. Fails with an {@link InvalidSettingException} naming
     * {@code prometheus.multiproc-dir} when the directory cannot be used.
     */
    MetricStore create(PrometheusSettings settings, PrometheusRegistry registry);
  }

  /** The default store: client_java metrics registered in {@code registry}, one per registry. */
  static MetricStore inRegistry(PrometheusRegistry registry) {
    return RegistryMetricStore.of(registry);
  }
}
