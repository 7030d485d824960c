package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Creates this library's metric families: applies namespace and prefix, bounds every labelled
 * family, and creates each family once per store (per registry by default), so a second Spring
 * context or a DevTools restart in the same JVM reuses the families instead of failing on a
 * duplicate name.
 *
 * <p>Values live in a {@link MetricStore}: client_java metrics in the registry by default, or, when
 * {@code prometheus.multiproc-dir} is set, the files of {@code java-prometheus-multiprocess} (found
 * with {@link ServiceLoader}), whose merged view the registry then serves.
 */
public final class MetricFamilies {

  private static final Map<MetricStore, Map<String, Registered>> REGISTERED = new WeakHashMap<>();
  private static final Set<PrometheusRegistry> JVM_REGISTERED =
      Collections.newSetFromMap(new WeakHashMap<>());

  private final PrometheusSettings settings;
  private final PrometheusRegistry registry;
  private final MetricStore store;
  private final MetricStore registryStore;
  private final String base;
  private final BoundedFamily<CounterDataPoint> overflow;
  private final InstrumentationErrors errors;

  private MetricFamilies(
      PrometheusSettings settings, PrometheusRegistry registry, MetricStore store) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.store = Objects.requireNonNull(store, "store");
    this.registryStore = MetricStore.inRegistry(registry);
    String ns = settings.metricNamespace();
    this.base = (ns.isEmpty() ? "" : ns + "_") + settings.metricPrefix() + "_";
    // The overflow counter itself is bounded by the number of our families: it is not guarded.
    this.overflow =
        new BoundedFamily<>(
            counterFamily(
                "label_overflow",
                "Observations recorded under the overflow label value because a family reached max-label-values",
                "family"),
            name("label_overflow"),
            1,
            Integer.MAX_VALUE,
            "other",
            null);
    this.errors =
        new InstrumentationErrors(
            new BoundedFamily<>(
                counterFamily(
                    "instrumentation_errors",
                    "Exceptions thrown inside java-prometheus instrumentation; the application was not affected",
                    "component"),
                name("instrumentation_errors"),
                1,
                Integer.MAX_VALUE,
                "other",
                null));
  }

  /**
   * Families on the given registry: held by the registry, or, when {@code prometheus.multiproc-dir}
   * is set, in the files of {@code java-prometheus-multiprocess}, whose merged view {@code
   * registry} then serves.
   *
   * @throws InvalidSettingException when {@code prometheus.multiproc-dir} is set but cannot be used
   *     (no multiprocess module on the classpath, directory missing or not writable)
   */
  public static MetricFamilies create(PrometheusSettings settings, PrometheusRegistry registry) {
    return new MetricFamilies(settings, registry, storeFor(settings, registry));
  }

  /**
   * Families whose values live in {@code store}; {@code registry} holds what stays in-process
   * ({@link #gauge(String, String, String...)}, JVM metrics) and serves the store's view when the
   * store arranged that.
   */
  public static MetricFamilies create(
      PrometheusSettings settings, PrometheusRegistry registry, MetricStore store) {
    return new MetricFamilies(settings, registry, store);
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

  /** Where the values of the families live. */
  public MetricStore store() {
    return store;
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
    return bounded(counterFamily(suffix, help, labelNames), name(suffix), labelNames.length);
  }

  private MetricStore.Family<CounterDataPoint> counterFamily(
      String suffix, String help, String... labelNames) {
    String name = name(suffix);
    return register(
        store, name, "counter", labelNames, () -> store.counter(name, help, labelNames.clone()));
  }

  /** A histogram with the given classic buckets (native too when the settings ask for it). */
  public BoundedFamily<DistributionDataPoint> histogram(
      String suffix, String help, double[] buckets, String... labelNames) {
    String name = name(suffix);
    MetricStore.Family<DistributionDataPoint> h =
        register(
            store,
            name,
            "histogram",
            labelNames,
            () ->
                store.histogram(
                    name, help, buckets.clone(), settings.nativeHistograms(), labelNames.clone()));
    return bounded(h, name, labelNames.length);
  }

  /** A latency histogram using {@code prometheus.latency-buckets}. */
  public BoundedFamily<DistributionDataPoint> latencyHistogram(
      String suffix, String help, String... labelNames) {
    return histogram(suffix, help, settings.latencyBuckets(), labelNames);
  }

  /**
   * A gauge held by this process's registry, also in multiprocess mode: other processes do not see
   * it. For a gauge shared through the multiprocess files use {@link #gauge(String, String,
   * GaugeMode, String...)}.
   */
  public Gauge gauge(String suffix, String help, String... labelNames) {
    String name = name(suffix);
    MetricStore.Family<GaugeDataPoint> g =
        register(
            registryStore,
            name,
            "gauge",
            labelNames,
            () -> registryStore.gauge(name, help, GaugeMode.ALL, labelNames.clone()));
    return (Gauge) g.metric();
  }

  /**
   * A bounded gauge family in the store: in multiprocess mode its values are written to the files
   * and {@code mode} says how the values of several processes merge (a registry-held gauge has one
   * value and ignores it).
   */
  public BoundedFamily<GaugeDataPoint> gauge(
      String suffix, String help, GaugeMode mode, String... labelNames) {
    Objects.requireNonNull(mode, "mode");
    String name = name(suffix);
    String type = store == registryStore ? "gauge" : "gauge(" + mode.pythonName() + ")";
    MetricStore.Family<GaugeDataPoint> g =
        register(store, name, type, labelNames, () -> store.gauge(name, help, mode, labelNames.clone()));
    return bounded(g, name, labelNames.length);
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
      MetricStore.Family<D> family, String name, int labelCount) {
    return new BoundedFamily<>(
        family,
        name,
        labelCount,
        labelCount == 0 ? 1 : settings.maxLabelValues(),
        settings.labelOverflowValue(),
        overflow);
  }

  private static MetricStore storeFor(PrometheusSettings settings, PrometheusRegistry registry) {
    String dir = settings.multiprocDir();
    if (dir == null) {
      return MetricStore.inRegistry(registry);
    }
    Iterator<MetricStore.Provider> providers =
        ServiceLoader.load(MetricStore.Provider.class, MetricFamilies.class.getClassLoader())
            .iterator();
    if (!providers.hasNext()) {
      providers = ServiceLoader.load(MetricStore.Provider.class).iterator();
    }
    if (!providers.hasNext()) {
      throw new InvalidSettingException(
          "prometheus.multiproc-dir",
          null,
          dir,
          "multiprocess mode needs java-prometheus-multiprocess on the classpath; add it or unset the directory");
    }
    return providers.next().create(settings, registry);
  }

  @SuppressWarnings("unchecked")
  private static <M> M register(
      MetricStore store, String name, String type, String[] labelNames, Supplier<M> create) {
    synchronized (REGISTERED) {
      Map<String, Registered> byName = REGISTERED.computeIfAbsent(store, r -> new HashMap<>());
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
