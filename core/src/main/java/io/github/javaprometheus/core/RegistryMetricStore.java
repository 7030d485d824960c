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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The default store: client_java metrics registered in one registry, or, {@link #detached}, in
 * none (what {@code prometheus.enabled=false} uses: instrumentation code runs unchanged and nothing
 * is exposed). Keeps no state of its own: which families exist is kept in {@link RegistryState}.
 */
final class RegistryMetricStore implements MetricStore {
  private final PrometheusRegistry registry;

  private RegistryMetricStore(PrometheusRegistry registry) {
    this.registry = registry;
  }

  static RegistryMetricStore of(PrometheusRegistry registry) {
    return new RegistryMetricStore(Objects.requireNonNull(registry, "registry"));
  }

  /** Metrics built but registered nowhere. */
  static RegistryMetricStore detached() {
    return new RegistryMetricStore(null);
  }

  private <M extends io.prometheus.metrics.model.registry.Collector> M register(M metric) {
    if (registry != null) {
      registry.register(metric);
    }
    return metric;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryMetricStore && ((RegistryMetricStore) o).registry == registry;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(registry);
  }

  @Override
  public Family<CounterDataPoint> counter(String name, String help, String[] labelNames) {
    return new InRegistry<>(
        register(Counter.builder().name(name).help(help).labelNames(labelNames).build()),
        labelNames.length);
  }

  /**
   * A counter whose value per label set is the sum of {@code parts} (counters of this store with
   * the same label names), computed when scraped; see {@link CounterSum}.
   */
  Family<CounterDataPoint> counterSum(
      String name, String help, String[] labelNames, List<Family<CounterDataPoint>> parts) {
    List<Counter> counters = new ArrayList<>(parts.size());
    List<String> names = new ArrayList<>(parts.size());
    for (Family<CounterDataPoint> part : parts) {
      if (!(part.metric() instanceof Counter)) {
        throw new IllegalArgumentException(name + ": not a counter of this store: " + part);
      }
      Counter counter = (Counter) part.metric();
      counters.add(counter);
      names.add(counter.collect().getMetadata().getName());
    }
    Counter template = Counter.builder().name(name).help(help).labelNames(labelNames).build();
    return register(new CounterSum(template, labelNames.length, counters, names));
  }

  @Override
  public Family<DistributionDataPoint> histogram(
      String name, String help, double[] upperBounds, boolean nativeHistograms, String[] labelNames) {
    Histogram.Builder b =
        Histogram.builder().name(name).help(help).labelNames(labelNames).classicUpperBounds(upperBounds);
    if (!nativeHistograms) {
      b.classicOnly();
    }
    return new InRegistry<>(register(b.build()), labelNames.length);
  }

  @Override
  public Family<GaugeDataPoint> gauge(String name, String help, GaugeMode mode, String[] labelNames) {
    return new InRegistry<>(
        register(Gauge.builder().name(name).help(help).labelNames(labelNames).build()),
        labelNames.length);
  }

  @Override
  public String toString() {
    return registry == null ? "MetricStore.detached" : "MetricStore.inRegistry(" + registry + ")";
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
