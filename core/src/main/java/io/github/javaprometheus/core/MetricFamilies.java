package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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

  private static final Object DEFAULT_LOCK = new Object();
  private static volatile MetricFamilies installedDefault;
  private static volatile MetricFamilies loadedDefault;
  private static final Map<Class<?>, Boolean> UNLOADABLE_LOGGED = new ConcurrentHashMap<>();

  private final PrometheusSettings settings;
  private final PrometheusRegistry registry;
  private final MetricStore store;
  private final MetricStore registryStore;
  private final String base;
  private final BoundedFamily<CounterDataPoint> overflow;
  private final InstrumentationErrors errors;
  private final ConcurrentHashMap<Class<?>, Object> components = new ConcurrentHashMap<>();

  private MetricFamilies(
      PrometheusSettings settings, PrometheusRegistry registry, MetricStore store) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.store = Objects.requireNonNull(store, "store");
    this.registryStore =
        settings.enabled() ? MetricStore.inRegistry(registry) : RegistryMetricStore.detached();
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
   * The JVM's default families, on {@link PrometheusRegistry#defaultRegistry}: the ones a framework
   * {@linkplain #installDefault installed} (Spring Boot installs its own while its context runs), or
   * else families from {@link PrometheusSettings#load()}, created on first use. Used by what a
   * container or {@code DriverManager} creates with no way to pass them: the {@code
   * jdbc:prometheus:} driver, the no-argument filters, the JPA listeners.
   */
  public static MetricFamilies defaults() {
    MetricFamilies installed = installedDefault;
    if (installed != null) {
      return installed;
    }
    MetricFamilies loaded = loadedDefault;
    if (loaded == null) {
      synchronized (DEFAULT_LOCK) {
        loaded = loadedDefault;
        if (loaded == null) {
          loaded = create(PrometheusSettings.load());
          loadedDefault = loaded;
        }
      }
    }
    return loaded;
  }

  /**
   * The component of the {@linkplain #defaults() default families}, for what a container creates
   * with no way to be given families (the {@code jdbc:prometheus:} driver, the JPA listeners):
   * null when {@code prometheus.enabled} or {@code moduleSwitch} is false, and null as well when
   * the settings cannot be loaded, logged once per component at WARNING, so a bad setting never
   * breaks the application's own work there.
   */
  public static <T> T defaultComponent(
      Class<T> type, SettingKey<Boolean> moduleSwitch, Function<MetricFamilies, ? extends T> create) {
    try {
      MetricFamilies families = defaults();
      if (!families.enabled() || !families.settings().get(moduleSwitch)) {
        return null;
      }
      return families.component(type, create);
    } catch (RuntimeException | LinkageError e) {
      if (UNLOADABLE_LOGGED.putIfAbsent(type, Boolean.TRUE) == null) {
        System.getLogger(type.getName())
            .log(
                System.Logger.Level.WARNING,
                "java-prometheus: " + moduleSwitch.key() + " measurements are off: the settings or their"
                    + " metrics could not be loaded",
                e);
      }
      return null;
    }
  }

  /**
   * Makes {@code families} what {@link #defaults()} returns until the returned handle is closed
   * (a framework does this for the lifetime of its application context). Closing restores the
   * previous default.
   */
  public static AutoCloseable installDefault(MetricFamilies families) {
    Objects.requireNonNull(families, "families");
    synchronized (DEFAULT_LOCK) {
      MetricFamilies previous = installedDefault;
      installedDefault = families;
      return () -> {
        synchronized (DEFAULT_LOCK) {
          if (installedDefault == families) {
            installedDefault = previous;
          }
        }
      };
    }
  }

  /**
   * Families whose values live in {@code store}; {@code registry} holds what stays in-process
   * ({@link #gauge(String, String, String...)}, JVM metrics) and serves the store's view when the
   * store arranged that.
   */
  public static MetricFamilies create(
      PrometheusSettings settings, PrometheusRegistry registry, MetricStore store) {
    return new MetricFamilies(
        settings, registry, settings.enabled() ? store : RegistryMetricStore.detached());
  }

  /** Families on {@link PrometheusRegistry#defaultRegistry}. */
  public static MetricFamilies create(PrometheusSettings settings) {
    return create(settings, PrometheusRegistry.defaultRegistry);
  }

  public PrometheusSettings settings() {
    return settings;
  }

  /**
   * {@code prometheus.enabled}. When false the families still work, so instrumentation code needs
   * no special case, but they are registered nowhere; integrations check this and wrap, bind and
   * serve nothing.
   */
  public boolean enabled() {
    return settings.enabled();
  }

  /**
   * The module object of type {@code type} made from these families ({@code HttpMetrics}, {@code
   * JdbcMetrics}, ...), created once per families instance, so every path that uses the same
   * families shares it.
   */
  public <T> T component(Class<T> type, Function<MetricFamilies, ? extends T> create) {
    Object found = components.get(type);
    if (found != null) {
      return type.cast(found); // lock-free: listeners and drivers ask on every call
    }
    synchronized (components) {
      Object existing = components.get(type);
      if (existing != null) {
        return type.cast(existing);
      }
      T created = Objects.requireNonNull(create.apply(this), "component");
      components.put(type, created);
      return created;
    }
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

  /**
   * A counter whose value for each label set is the sum of {@code parts}' values for it, such as
   * {@code cache_get} = hits + misses + failures: recording a part is then the only write. {@code
   * parts} come from these families and have the same label names.
   *
   * <p>In the registry store the family is computed when scraped, from the parts' children; its
   * exposition is that of a counter incremented with every part (same name, help, type, labels,
   * series: a label set is exposed as soon as a part has a child for it), and its own children
   * record nothing: {@link BoundedFamily#isSum()} is true. Callers still resolve its children
   * beside the parts' so that the family is bounded and its overflow counted per use like any
   * other (calling {@link BoundedChild#get()} on an overflow child counts it). In a store that keeps
   * every value itself (the multiprocess files) it is an ordinary counter, {@code isSum()} false,
   * which the caller increments with its parts.
   */
  public BoundedFamily<CounterDataPoint> counterSum(
      String suffix,
      String help,
      List<BoundedFamily<CounterDataPoint>> parts,
      String... labelNames) {
    if (!(store instanceof RegistryMetricStore)) {
      return counter(suffix, help, labelNames);
    }
    String name = name(suffix);
    List<MetricStore.Family<CounterDataPoint>> families = new ArrayList<>(parts.size());
    List<String> names = new ArrayList<>(parts.size());
    for (BoundedFamily<CounterDataPoint> part : parts) {
      families.add(part.storeFamily());
      names.add(part.name());
    }
    MetricStore.Family<CounterDataPoint> sum =
        register(
            store,
            name,
            new Definition("counter (the sum of " + names + ")", help, labelNames, null),
            () ->
                ((RegistryMetricStore) store)
                    .counterSum(name, help, labelNames.clone(), List.copyOf(families)));
    return bounded(sum, name, labelNames.length);
  }

  private MetricStore.Family<CounterDataPoint> counterFamily(
      String suffix, String help, String... labelNames) {
    String name = name(suffix);
    return register(
        store,
        name,
        new Definition("counter", help, labelNames, null),
        () -> store.counter(name, help, labelNames.clone()));
  }

  /** A histogram with the given classic buckets (native too when the settings ask for it). */
  public BoundedFamily<DistributionDataPoint> histogram(
      String suffix, String help, double[] buckets, String... labelNames) {
    String name = name(suffix);
    MetricStore.Family<DistributionDataPoint> h =
        register(
            store,
            name,
            new Definition(
                "histogram"
                    + (settings.nativeHistograms() ? " (classic and native)" : " (classic)"),
                help,
                labelNames,
                buckets),
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
            new Definition("gauge", help, labelNames, null),
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
    String type =
        store instanceof RegistryMetricStore ? "gauge" : "gauge(" + mode.pythonName() + ")";
    MetricStore.Family<GaugeDataPoint> g =
        register(
            store,
            name,
            new Definition(type, help, labelNames, null),
            () -> store.gauge(name, help, mode, labelNames.clone()));
    return bounded(g, name, labelNames.length);
  }

  /** Registers client_java's JVM metrics once per registry when {@code prometheus.jvm-metrics}. */
  public void registerJvmMetrics() {
    if (!settings.enabled() || !settings.jvmMetrics()) {
      return;
    }
    RegistryState state = RegistryState.of(registry);
    synchronized (state) {
      if (state.firstTime("jvm-metrics")) {
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
    if (!settings.enabled()) {
      return RegistryMetricStore.detached();
    }
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

  /**
   * The family {@code name} of {@code store}, created once: a second factory on the same registry
   * (another Spring context, a DevTools restart) gets the same one. Families of a registry-held
   * store are kept in the registry's {@link RegistryState}; those of another store (the
   * multiprocess files) in that store's entry there, as the store serves one JVM.
   */
  @SuppressWarnings("unchecked")
  private <M> M register(MetricStore store, String name, Definition definition, Supplier<M> create) {
    if (store instanceof RegistryMetricStore && !settings.enabled()) {
      return create.get(); // detached: registered nowhere, nothing to share
    }
    Object key = store instanceof RegistryMetricStore ? "families" : List.of("families", store);
    RegistryState state = RegistryState.of(registry);
    synchronized (state) {
      Map<String, Registered> byName = state.computeIfAbsent(key, Map.class, HashMap::new);
      Registered existing = byName.get(name);
      if (existing != null) {
        if (!existing.definition.equals(definition)) {
          throw new IllegalStateException(
              "Metric "
                  + name
                  + " is already registered as "
                  + existing.definition
                  + "; cannot register it again as "
                  + definition
                  + " (two application contexts or factories on one registry with different"
                  + " settings: give them separate registries or the same settings)");
        }
        return (M) existing.metric;
      }
      M metric = create.get();
      byName.put(name, new Registered(definition, metric));
      return metric;
    }
  }

  /** What makes two registrations of one name the same family. */
  private static final class Definition {
    final String type;
    final String help;
    final List<String> labelNames;
    final double[] buckets;

    Definition(String type, String help, String[] labelNames, double[] buckets) {
      this.type = type;
      this.help = help;
      this.labelNames = List.of(labelNames);
      this.buckets = buckets == null ? null : buckets.clone();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Definition)) {
        return false;
      }
      Definition d = (Definition) o;
      return type.equals(d.type)
          && help.equals(d.help)
          && labelNames.equals(d.labelNames)
          && Arrays.equals(buckets, d.buckets);
    }

    @Override
    public int hashCode() {
      return Objects.hash(type, help, labelNames, Arrays.hashCode(buckets));
    }

    @Override
    public String toString() {
      return "a "
          + type
          + " with labels "
          + labelNames
          + (buckets == null ? "" : " and buckets " + Arrays.toString(buckets))
          + " and help \""
          + help
          + "\"";
    }
  }

  private static final class Registered {
    final Definition definition;
    final Object metric;

    Registered(Definition definition, Object metric) {
      this.definition = definition;
      this.metric = metric;
    }
  }
}
