package io.github.javaprometheus.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The immutable settings of java-prometheus.
 *
 * <p>Read in this order, later wins: defaults, {@code prometheus.properties} on the classpath,
 * framework properties (the Spring {@code Environment}), Java system properties, environment
 * variables. Environment variables use django-prometheus's names ({@code
 * PROMETHEUS_METRICS_EXPORT_PORT}, ...). An unknown {@code prometheus.*} key or a malformed value
 * fails with an {@link InvalidSettingException} naming the key, the value and what is allowed.
 *
 * <p>Each module owns its keys as a {@link SettingGroup} ({@link CoreSettings} here; {@code
 * HttpSettings} in servlet, {@code ExporterSettings}, {@code JdbcSettings}, ...), found on the class
 * path; all of them are loaded and validated together, in one pass. Core's values have accessors
 * here; a module's are read with {@link #get(SettingKey)}.
 */
public final class PrometheusSettings {
  private static final String PROPERTIES_RESOURCE = "prometheus.properties";
  private static final Object NULL = new Object();

  /** Every loaded key's value (a module's too), in group order; {@link #NULL} for unset. */
  private final Map<SettingKey<?>, Object> values;

  private final boolean enabled;
  private final Profile profile;
  private final String metricPrefix;
  private final String metricNamespace;
  private final double[] latencyBuckets;
  private final boolean nativeHistograms;
  private final int maxLabelValues;
  private final String labelOverflowValue;
  private final boolean jvmMetrics;
  private final String multiprocDir;

  private PrometheusSettings(Layers layers) {
    Map<SettingKey<?>, Object> parsed = new LinkedHashMap<>();
    for (SettingKey<?> key : layers.keys) {
      Object v = key.parse(layers.raw.get(SettingKey.canonical(key.key())));
      parsed.put(key, v == null ? NULL : v);
    }
    this.values = Collections.unmodifiableMap(parsed);
    this.enabled = value(CoreSettings.ENABLED);
    this.profile = value(CoreSettings.PROFILE);
    String prefix = value(CoreSettings.METRIC_PREFIX);
    this.metricPrefix = prefix == null ? profile.defaultPrefix() : prefix;
    this.metricNamespace = value(CoreSettings.METRIC_NAMESPACE);
    this.latencyBuckets = value(CoreSettings.LATENCY_BUCKETS);
    this.nativeHistograms = value(CoreSettings.NATIVE_HISTOGRAMS);
    this.maxLabelValues = value(CoreSettings.MAX_LABEL_VALUES);
    this.labelOverflowValue = value(CoreSettings.LABEL_OVERFLOW_VALUE);
    this.jvmMetrics = value(CoreSettings.JVM_METRICS);
    this.multiprocDir = value(CoreSettings.MULTIPROC_DIR);
  }

  @SuppressWarnings("unchecked")
  private <T> T value(SettingKey<T> key) {
    Object v = values.get(key);
    return v == NULL ? null : (T) v;
  }

  /** Defaults, {@code prometheus.properties}, system properties and environment variables. */
  public static PrometheusSettings load() {
    return load(Collections.emptyMap());
  }

  /**
   * As {@link #load()}, with framework properties (keys {@code prometheus.*}) between the
   * properties file and the system properties.
   */
  public static PrometheusSettings load(Map<String, String> frameworkProperties) {
    return load(
        Thread.currentThread().getContextClassLoader(),
        frameworkProperties,
        System.getProperties(),
        System.getenv());
  }

  /**
   * Full control over every source; used by tests and by integrations with their own sources.
   * {@code classLoader} is where {@code prometheus.properties} and the modules' {@link
   * SettingGroup}s are looked for (besides this class's own loader).
   */
  public static PrometheusSettings load(
      ClassLoader classLoader,
      Map<String, String> frameworkProperties,
      Properties systemProperties,
      Map<String, String> environment) {
    Layers layers = new Layers(classLoader);
    layers.addKeys(readClasspathProperties(classLoader), PROPERTIES_RESOURCE);
    layers.addKeys(frameworkProperties, null);
    Map<String, String> sys = new LinkedHashMap<>();
    for (String name : systemProperties.stringPropertyNames()) {
      sys.put(name, systemProperties.getProperty(name));
    }
    layers.addKeys(sys, null);
    for (SettingKey<?> key : layers.keys) {
      String value = environment.get(key.environmentVariable());
      if (value != null) {
        layers.put(key, value, key.environmentVariable());
      }
    }
    return new PrometheusSettings(layers);
  }

  /** The defaults only. */
  public static PrometheusSettings defaults() {
    return builder().build();
  }

  /** Programmatic settings: keys as in {@code prometheus.properties}, validated by {@code build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds settings from explicit {@code prometheus.*} keys, on top of the defaults. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Builder() {}

    /** Sets a key such as {@code prometheus.profile}; an unknown key fails in {@link #build()}. */
    public Builder set(String key, String value) {
      values.put(key, value);
      return this;
    }

    public PrometheusSettings build() {
      Layers layers = new Layers(Thread.currentThread().getContextClassLoader());
      layers.addKeys(values, null);
      return new PrometheusSettings(layers);
    }
  }

  // ---- accessors ----

  /**
   * The value of a module's key (or a core one). A key whose group was not on the class path when
   * these settings were loaded has its default value.
   */
  @SuppressWarnings("unchecked")
  public <T> T get(SettingKey<T> key) {
    if (values.containsKey(key)) {
      T v = value(key);
      // Settings are immutable: an array value is handed out as a copy.
      return v instanceof double[] ? (T) ((double[]) v).clone() : v;
    }
    return key.parse(new SettingValue(key.key(), key.defaultValue(), key.key()));
  }

  /** Every loaded key, core's first, then each module's group. */
  public List<SettingKey<?>> keys() {
    return List.copyOf(values.keySet());
  }

  /** {@code prometheus.enabled}: false turns every integration off. */
  public boolean enabled() {
    return enabled;
  }

  public Profile profile() {
    return profile;
  }

  /** The prefix of every family, {@code java} or {@code django} unless set. */
  public String metricPrefix() {
    return metricPrefix;
  }

  /** Optional namespace put in front of the prefix; empty when unset. */
  public String metricNamespace() {
    return metricNamespace;
  }

  /** Upper bounds of the latency histograms, without +Inf. */
  public double[] latencyBuckets() {
    return latencyBuckets.clone();
  }

  /** Whether histograms are also native histograms (protobuf exposition). */
  public boolean nativeHistograms() {
    return nativeHistograms;
  }

  /** The multiprocess directory, or null. */
  public String multiprocDir() {
    return multiprocDir;
  }

  /** Distinct label values per family before new ones are recorded under the overflow value. */
  public int maxLabelValues() {
    return maxLabelValues;
  }

  public String labelOverflowValue() {
    return labelOverflowValue;
  }

  public boolean jvmMetrics() {
    return jvmMetrics;
  }

  /** Every key with its value, modules' keys included. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("PrometheusSettings{");
    boolean first = true;
    for (Map.Entry<SettingKey<?>, Object> e : values.entrySet()) {
      b.append(first ? "" : ", ").append(e.getKey().key()).append('=');
      Object v = e.getValue();
      if (e.getKey() == CoreSettings.METRIC_PREFIX) {
        v = metricPrefix;
      }
      b.append(v == NULL ? "<unset>" : v instanceof double[] ? Arrays.toString((double[]) v) : v);
      first = false;
    }
    return b.append('}').toString();
  }

  // ---- sources ----

  private static final class Layers {
    final List<SettingKey<?>> keys;
    /** By canonical key. */
    final Map<String, SettingKey<?>> byName = new HashMap<>();
    final Map<String, SettingValue> raw = new HashMap<>();

    Layers(ClassLoader classLoader) {
      keys = discover(classLoader);
      for (SettingKey<?> key : keys) {
        byName.put(SettingKey.canonical(key.key()), key);
        put(key, key.defaultValue(), key.key());
      }
    }

    void put(SettingKey<?> key, String value, String source) {
      raw.put(SettingKey.canonical(key.key()), new SettingValue(key.key(), value, source));
    }

    /** Takes every {@code prometheus.*} key; unknown ones fail. Other keys are not ours. */
    void addKeys(Map<String, String> props, String origin) {
      for (Map.Entry<String, String> e : props.entrySet()) {
        String name = e.getKey();
        if (name == null || !name.startsWith("prometheus.")) {
          continue;
        }
        SettingKey<?> key = byName.get(SettingKey.canonical(name));
        if (key == null) {
          List<String> known = new ArrayList<>();
          for (SettingKey<?> k : keys) {
            known.add(k.key());
          }
          throw new InvalidSettingException(
              name,
              origin,
              e.getValue(),
              "unknown key (no java-prometheus module on the class path owns it); known keys are "
                  + known);
        }
        put(key, e.getValue(), origin == null ? name : name + " in " + origin);
      }
    }
  }

  /** Core's keys, then those of every {@link SettingGroup} found, each key once. */
  private static List<SettingKey<?>> discover(ClassLoader classLoader) {
    Map<String, SettingGroup> groups = new LinkedHashMap<>();
    CoreSettings core = new CoreSettings();
    groups.put(core.getClass().getName(), core);
    for (ClassLoader cl : new ClassLoader[] {PrometheusSettings.class.getClassLoader(), classLoader}) {
      if (cl == null) {
        continue;
      }
      for (SettingGroup g : ServiceLoader.load(SettingGroup.class, cl)) {
        groups.putIfAbsent(g.getClass().getName(), g);
      }
    }
    List<SettingKey<?>> keys = new ArrayList<>();
    Map<String, String> owner = new HashMap<>();
    for (SettingGroup g : groups.values()) {
      for (SettingKey<?> key : g.keys()) {
        String previous = owner.putIfAbsent(SettingKey.canonical(key.key()), g.module());
        if (previous != null) {
          throw new IllegalStateException(
              "setting " + key.key() + " is declared by both " + previous + " and " + g.module());
        }
        keys.add(key);
      }
    }
    return List.copyOf(keys);
  }

  private static Map<String, String> readClasspathProperties(ClassLoader classLoader) {
    ClassLoader cl = classLoader != null ? classLoader : PrometheusSettings.class.getClassLoader();
    Map<String, String> result = new LinkedHashMap<>();
    try (InputStream in = cl.getResourceAsStream(PROPERTIES_RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        for (String name : p.stringPropertyNames()) {
          result.put(name, p.getProperty(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + PROPERTIES_RESOURCE + " from the classpath", e);
    }
    return result;
  }
}
