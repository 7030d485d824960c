package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Creates this library's metric families: applies namespace and prefix, bounds every labelled
 * family, and registers each family once per registry, so a second Spring context or a DevTools
 * restart in the same JVM reuses the families instead of failing on a duplicate name.
 */
public final class MetricFamilies {

  private static final Map<PrometheusRegistry, Map<String, Registered>> REGISTERED =
      new WeakHashMap<>();
  private static final Set<PrometheusRegistry> JVM_REGISTERED =
      Collections.newSetFromMap(new WeakHashMap<>());

  private final PrometheusSettings settings;
  private final PrometheusRegistry registry;
  private final String base;
  private final BoundedFamily<CounterDataPoint> overflow;
  private final InstrumentationErrors errors;

  private MetricFamilies(PrometheusSettings settings, PrometheusRegistry registry) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registry = Objects.requireNonNull(registry, "registry");
    String ns = settings.metricNamespace();
    this.base = (ns.isEmpty() ? "" : ns + "_") + settings.metricPrefix() + "_";
    // The overflow counter itself is bounded by the number of our families: it is not guarded.
    Counter overflowCounter =
        register(
            name("label_overflow"),
            "counter",
            new String[] {"family"},
            () ->
                Counter.builder()
                    .name(name("label_overflow"))
                    .help("Observations recorded under the overflow label value because a family reached max-label-values")
                    .labelNames("family")
                    .register(registry));
    this.overflow =
        new BoundedFamily<>(
            overflowCounter, name("label_overflow"), 1, Integer.MAX_VALUE, "other", null);
    Counter errorCounter =
        register(
            name("instrumentation_errors"),
            "counter",
            new String[] {"component"},
            () ->
                Counter.builder()
                    .name(name("instrumentation_errors"))
                    .help("Exceptions thrown inside java-prometheus instrumentation; the application was not affected")
                    .labelNames("component")
                    .register(registry));
    this.errors = new InstrumentationErrors(errorCounter);
  }

  /** Families on the given registry. */
  public static MetricFamilies create(PrometheusSettings settings, PrometheusRegistry registry) {
    return new MetricFamilies(settings, registry);
  }

  /** Families on {@link PrometheusRegistry#defaultRegistry}. */
  public static MetricFamilies create(PrometheusSettings settings) {
    return create(settings, PrometheusRegistry.defaultRegistry);
  }

  public PrometheusSettings settings() {
    return settings;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Where instrumentation reports its own failures. */
  public InstrumentationErrors errors() {
    return errors;
  }

  /** The full name of a family: {@code [<namespace>_]<prefix>_<suffix>}. */
  public String name(String suffix) {
    return base + suffix;
  }

  /** A counter; {@code suffix} without {@code _total}, which the exposition adds. */
  public BoundedFamily<CounterDataPoint> counter(String suffix, String help, String... labelNames) {
    String name = name(suffix);
    Counter c =
        register(
            name,
            "counter",
            labelNames,
            () -> Counter.builder().name(name).help(help).labelNames(labelNames).register(registry));
    return bounded(c, name, labelNames.length);
  }

  /** A histogram with the given classic buckets (native too when the settings ask for it). */
  public BoundedFamily<DistributionDataPoint> histogram(
      String suffix, String help, double[] buckets, String... labelNames) {
    String name = name(suffix);
    Histogram h =
        register(
            name,
            "histogram",
            labelNames,
            () -> {
              Histogram.Builder b =
                  Histogram.builder()
                      .name(name)
                      .help(help)
                      .labelNames(labelNames)
                      .classicUpperBounds(buckets);
              if (!settings.nativeHistograms()) {
                b.classicOnly();
              }
              return b.register(registry);
            });
    return bounded(h, name, labelNames.length);
  }

  /** A latency histogram using {@code prometheus.latency-buckets}. */
  public BoundedFamily<DistributionDataPoint> latencyHistogram(
      String suffix, String help, String... labelNames) {
    return histogram(suffix, help, settings.latencyBuckets(), labelNames);
  }

  /** A gauge. */
  public Gauge gauge(String suffix, String help, String... labelNames) {
    String name = name(suffix);
    return register(
        name,
        "gauge",
        labelNames,
        () -> Gauge.builder().name(name).help(help).labelNames(labelNames).register(registry));
  }

  /** Registers client_java's JVM metrics once per registry when {@code prometheus.jvm-metrics}. */
  public void registerJvmMetrics() {
    if (!settings.jvmMetrics()) {
      return;
    }
    synchronized (JVM_REGISTERED) {
      if (JVM_REGISTERED.add(registry)) {
        try {
          JvmMetrics.builder().register(registry);
        } catch (IllegalArgumentException alreadyThere) {
          // Someone else (Micrometer's or the user's own code) registered them first: keep theirs.
        }
      }
    }
  }

  private <D extends DataPoint> BoundedFamily<D> bounded(
      StatefulMetric<D, ?> metric, String name, int labelCount) {
    return new BoundedFamily<>(
        metric,
        name,
        labelCount,
        labelCount == 0 ? 1 : settings.maxLabelValues(),
        settings.labelOverflowValue(),
        overflow);
  }

  @SuppressWarnings("unchecked")
  private <M> M register(String name, String type, String[] labelNames, Supplier<M> create) {
    synchronized (REGISTERED) {
      Map<String, Registered> byName = REGISTERED.computeIfAbsent(registry, r -> new HashMap<>());
      Registered existing = byName.get(name);
      if (existing != null) {
        if (!existing.type.equals(type) || !Arrays.equals(existing.labelNames, labelNames)) {
          throw new IllegalStateException(
              "Metric "
                  + name
                  + " is already registered as a "
                  + existing.type
                  + " with labels "
                  + Arrays.toString(existing.labelNames)
                  + "; cannot register it as a "
                  + type
                  + " with labels "
                  + Arrays.toString(labelNames));
        }
        return (M) existing.metric;
      }
      M metric = create.get();
      byName.put(name, new Registered(type, labelNames.clone(), metric));
      return metric;
    }
  }

  private static final class Registered {
    final String type;
    final String[] labelNames;
    final Object metric;

    Registered(String type, String[] labelNames, Object metric) {
      this.type = type;
      this.labelNames = labelNames;
      this.metric = metric;
    }
  }
}
