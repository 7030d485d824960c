package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/** The default store: client_java metrics registered in one registry. One instance per registry. */
final class RegistryMetricStore implements MetricStore {
  private static final Map<PrometheusRegistry, RegistryMetricStore> BY_REGISTRY =
      new WeakHashMap<>();

  private final PrometheusRegistry registry;

  private RegistryMetricStore(PrometheusRegistry registry) {
    this.registry = registry;
  }

  static RegistryMetricStore of(PrometheusRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY.computeIfAbsent(registry, RegistryMetricStore::new);
    }
  }

  @Override
  public Family<CounterDataPoint> counter(String name, String help, String[] labelNames) {
    return new InRegistry<>(
        Counter.builder().name(name).help(help).labelNames(labelNames).register(registry),
        labelNames.length);
  }

  @Override
  public Family<DistributionDataPoint> histogram(
      String name, String help, double[] upperBounds, boolean nativeHistograms, String[] labelNames) {
    Histogram.Builder b =
        Histogram.builder().name(name).help(help).labelNames(labelNames).classicUpperBounds(upperBounds);
    if (!nativeHistograms) {
      b.classicOnly();
    }
    return new InRegistry<>(b.register(registry), labelNames.length);
  }

  @Override
  public Family<GaugeDataPoint> gauge(String name, String help, GaugeMode mode, String[] labelNames) {
    return new InRegistry<>(
        Gauge.builder().name(name).help(help).labelNames(labelNames).register(registry),
        labelNames.length);
  }

  @Override
  public String toString() {
    return "MetricStore.inRegistry(" + registry + ")";
  }

  /** A client_java metric; without labels the metric itself is the single data point. */
  private static final class InRegistry<D extends DataPoint> implements Family<D> {
    private final StatefulMetric<D, ?> metric;
    private final int labelCount;

    InRegistry(StatefulMetric<D, ?> metric, int labelCount) {
      this.metric = metric;
      this.labelCount = labelCount;
    }

    @Override
    @SuppressWarnings("unchecked")
    public D labelValues(String... values) {
      if (labelCount == 0 && values.length == 0) {
        return (D) metric;
      }
      return metric.labelValues(values);
    }

    @Override
    public StatefulMetric<D, ?> metric() {
      return metric;
    }
  }
}
