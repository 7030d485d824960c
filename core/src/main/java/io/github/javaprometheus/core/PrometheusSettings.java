package io.github.javaprometheus.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The immutable settings of java-prometheus.
 *
 * <p>Read in this order, later wins: defaults, {@code prometheus.properties} on the classpath,
 * framework properties (the Spring {@code Environment}), Java system properties, environment
 * variables. Environment variables use django-prometheus's names ({@code
 * PROMETHEUS_METRICS_EXPORT_PORT}, ...). An unknown {@code prometheus.*} key or a malformed value
 * fails with an {@link InvalidSettingException} naming the key, the value and what is allowed.
 */
public final class PrometheusSettings {

  /** django-prometheus's default latency buckets. */
  static final double[] DEFAULT_LATENCY_BUCKETS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 25.0, 50.0, 75.0
  };

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final String PROPERTIES_RESOURCE = "prometheus.properties";

  private final boolean enabled;
  private final Profile profile;
  private final String metricPrefix;
  private final String metricNamespace;
  private final double[] latencyBuckets;
  private final boolean nativeHistograms;
  private final Integer exportPort;
  private final PortRange exportPortRange;
  private final String exportAddress;
  private final boolean exportMigrations;
  private final String multiprocDir;
  private final String multiprocFormat;
  private final List<String> excludePaths;
  private final int maxLabelValues;
  private final String labelOverflowValue;
  private final String metricsPath;
  private final boolean jvmMetrics;
  private final boolean jdbcMetrics;
  private final Map<String, String> jdbcAliases;
  private final boolean modelMetrics;

  private PrometheusSettings(Map<Setting, Raw> raw) {
    this.enabled = parseBoolean(raw, Setting.ENABLED);
    this.profile = parseProfile(raw.get(Setting.PROFILE));
    Raw prefix = raw.get(Setting.METRIC_PREFIX);
    this.metricPrefix =
        prefix.value == null ? profile.defaultPrefix() : parseName(prefix, false);
    this.metricNamespace = parseName(raw.get(Setting.METRIC_NAMESPACE), true);
    Raw buckets = raw.get(Setting.LATENCY_BUCKETS);
    this.latencyBuckets =
        buckets.value == null ? DEFAULT_LATENCY_BUCKETS.clone() : parseBuckets(buckets);
    this.nativeHistograms = parseBoolean(raw, Setting.NATIVE_HISTOGRAMS);
    Raw port = raw.get(Setting.EXPORT_PORT);
    this.exportPort = blank(port.value) ? null : parsePort(port);
    Raw range = raw.get(Setting.EXPORT_PORT_RANGE);
    this.exportPortRange = blank(range.value) ? null : parsePortRange(range);
    Raw address = raw.get(Setting.EXPORT_ADDRESS);
    if (blank(address.value)) {
      throw invalid(address, "expected a host name or IP address to bind, e.g. 0.0.0.0");
    }
    this.exportAddress = address.value.trim();
    this.exportMigrations = parseBoolean(raw, Setting.EXPORT_MIGRATIONS);
    Raw dir = raw.get(Setting.MULTIPROC_DIR);
    this.multiprocDir = blank(dir.value) ? null : dir.value.trim();
    Raw format = raw.get(Setting.MULTIPROC_FORMAT);
    String f = format.value == null ? "" : format.value.trim();
    if (!f.equals("0.16") && !f.equals("0.17")) {
      throw invalid(
          format,
          "expected 0.16 (one value per entry: Python prometheus_client up to 0.16) or 0.17"
              + " (value and timestamp: prometheus_client 0.17 and later)");
    }
    this.multiprocFormat = f;
    this.excludePaths = parsePaths(raw.get(Setting.EXCLUDE_PATHS));
    this.maxLabelValues = parsePositiveInt(raw.get(Setting.MAX_LABEL_VALUES));
    Raw overflow = raw.get(Setting.LABEL_OVERFLOW_VALUE);
    if (blank(overflow.value)) {
      throw invalid(overflow, "expected a non-empty label value");
    }
    this.labelOverflowValue = overflow.value.trim();
    Raw path = raw.get(Setting.METRICS_PATH);
    this.metricsPath = parseMetricsPath(path);
    this.jvmMetrics = parseBoolean(raw, Setting.JVM_METRICS);
    this.jdbcMetrics = parseBoolean(raw, Setting.JDBC_METRICS);
    this.jdbcAliases = parseAliases(raw.get(Setting.JDBC_ALIASES));
    this.modelMetrics = parseBoolean(raw, Setting.MODEL_METRICS);
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

  /** Full control over every source; used by tests and by integrations with their own sources. */
  public static PrometheusSettings load(
      ClassLoader classLoader,
      Map<String, String> frameworkProperties,
      Properties systemProperties,
      Map<String, String> environment) {
    Layers layers = new Layers();
    layers.addKeys(readClasspathProperties(classLoader), PROPERTIES_RESOURCE);
    layers.addKeys(frameworkProperties, null);
    Map<String, String> sys = new LinkedHashMap<>();
    for (String name : systemProperties.stringPropertyNames()) {
      sys.put(name, systemProperties.getProperty(name));
    }
    layers.addKeys(sys, null);
    for (Setting s : Setting.values()) {
      String value = environment.get(s.env);
      if (value != null) {
        layers.put(s, value, s.env);
      }
    }
    return new PrometheusSettings(layers.raw);
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
      Layers layers = new Layers();
      layers.addKeys(values, null);
      return new PrometheusSettings(layers.raw);
    }
  }

  // ---- accessors ----

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

  /** The dedicated exporter port, or null for none. */
  public Integer exportPort() {
    return exportPort;
  }

  /** The dedicated exporter port range, or null; when set it wins over {@link #exportPort()}. */
  public PortRange exportPortRange() {
    return exportPortRange;
  }

  /** Whether a dedicated exporter port is configured. */
  public boolean exporterEnabled() {
    return exportPort != null || exportPortRange != null;
  }

  public String exportAddress() {
    return exportAddress;
  }

  /** {@code prometheus.export-migrations}: whether the applied/unapplied migration gauges are exposed. */
  public boolean exportMigrations() {
    return exportMigrations;
  }

  /** {@code prometheus.model-metrics}: whether entity inserts, updates and deletes are counted. */
  public boolean modelMetrics() {
    return modelMetrics;
  }

  /** The multiprocess directory, or null. */
  public String multiprocDir() {
    return multiprocDir;
  }

  /**
   * {@code prometheus.multiproc-format}: the layout of the multiprocess files written, named after
   * the Python prometheus_client versions that read it: {@code 0.16} (one 8-byte value per entry,
   * up to 0.16) or {@code 0.17} (value and timestamp, 0.17 and later). Both are read.
   */
  public String multiprocFormat() {
    return multiprocFormat;
  }

  /** Ant-style path patterns whose requests are not measured. */
  public List<String> excludePaths() {
    return excludePaths;
  }

  /** Distinct label values per family before new ones are recorded under the overflow value. */
  public int maxLabelValues() {
    return maxLabelValues;
  }

  public String labelOverflowValue() {
    return labelOverflowValue;
  }

  /** Path of the metrics endpoint on the application, or null when it is not served there. */
  public String metricsPath() {
    return metricsPath;
  }

  public boolean jvmMetrics() {
    return jvmMetrics;
  }

  /** {@code prometheus.jdbc-metrics}: whether data sources and the jdbc:prometheus: driver are measured. */
  public boolean jdbcMetrics() {
    return jdbcMetrics;
  }

  /** {@code prometheus.jdbc-aliases}: the {@code alias} label by DataSource bean name. */
  public Map<String, String> jdbcAliases() {
    return jdbcAliases;
  }

  @Override
  public String toString() {
    return "PrometheusSettings{profile="
        + profile
        + ", prefix="
        + metricPrefix
        + ", namespace="
        + metricNamespace
        + ", latencyBuckets="
        + Arrays.toString(latencyBuckets)
        + ", exportPort="
        + exportPort
        + ", exportPortRange="
        + exportPortRange
        + ", exportAddress="
        + exportAddress
        + ", excludePaths="
        + excludePaths
        + ", maxLabelValues="
        + maxLabelValues
        + ", metricsPath="
        + metricsPath
        + "}";
  }

  // ---- sources ----

  private static final class Raw {
    final Setting setting;
    final String value;
    final String source;

    Raw(Setting setting, String value, String source) {
      this.setting = setting;
      this.value = value;
      this.source = source;
    }
  }

  private static final class Layers {
    final Map<Setting, Raw> raw = new EnumMap<>(Setting.class);

    Layers() {
      for (Setting s : Setting.values()) {
        raw.put(s, new Raw(s, s.defaultValue, s.key));
      }
    }

    void put(Setting s, String value, String source) {
      raw.put(s, new Raw(s, value, source));
    }

    /** Takes every {@code prometheus.*} key; unknown ones fail. Other keys are not ours. */
    void addKeys(Map<String, String> props, String origin) {
      for (Map.Entry<String, String> e : props.entrySet()) {
        String key = e.getKey();
        if (key == null || !key.startsWith("prometheus.")) {
          continue;
        }
        Setting s = Setting.byKey(key);
        if (s == null) {
          throw new InvalidSettingException(
              key,
              origin,
              e.getValue(),
              "unknown key; known keys are " + knownKeys());
        }
        put(s, e.getValue(), origin == null ? key : key + " in " + origin);
      }
    }
  }

  private static List<String> knownKeys() {
    List<String> keys = new ArrayList<>();
    for (Setting s : Setting.values()) {
      keys.add(s.key);
    }
    return keys;
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

  // ---- parsing ----

  private static InvalidSettingException invalid(Raw raw, String allowed) {
    return new InvalidSettingException(raw.setting.key, raw.source, raw.value, allowed);
  }

  private static boolean blank(String s) {
    return s == null || s.trim().isEmpty();
  }

  private static boolean parseBoolean(Map<Setting, Raw> raw, Setting setting) {
    Raw r = raw.get(setting);
    String v = r.value == null ? "" : r.value.trim();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(r, "expected true or false");
  }

  private static Profile parseProfile(Raw raw) {
    try {
      return Profile.parse(raw.value);
    } catch (RuntimeException e) {
      throw invalid(raw, "expected java or django");
    }
  }

  private static String parseName(Raw raw, boolean emptyAllowed) {
    String v = raw.value == null ? "" : raw.value.trim();
    if (v.isEmpty() && emptyAllowed) {
      return "";
    }
    if (!METRIC_NAME.matcher(v).matches()) {
      throw invalid(raw, "expected a metric name part matching [a-zA-Z_][a-zA-Z0-9_]*");
    }
    return v;
  }

  private static double[] parseBuckets(Raw raw) {
    String allowed =
        "expected a comma-separated list of increasing finite numbers, e.g. 0.01,0.1,1,10";
    String[] parts = raw.value.split(",");
    List<Double> bounds = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      if (i == parts.length - 1 && (p.equalsIgnoreCase("+Inf") || p.equalsIgnoreCase("Inf"))) {
        continue;
      }
      double d;
      try {
        d = Double.parseDouble(p);
      } catch (NumberFormatException e) {
        throw invalid(raw, allowed);
      }
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw invalid(raw, allowed);
      }
      if (!bounds.isEmpty() && d <= bounds.get(bounds.size() - 1)) {
        throw invalid(raw, allowed);
      }
      bounds.add(d);
    }
    if (bounds.isEmpty()) {
      throw invalid(raw, allowed);
    }
    double[] result = new double[bounds.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = bounds.get(i);
    }
    return result;
  }

  private static int parsePort(Raw raw) {
    try {
      int port = Integer.parseInt(raw.value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw invalid(raw, "expected a port number 0-65535 (0 picks any free port)");
  }

  private static PortRange parsePortRange(Raw raw) {
    String allowed = "expected first-last with 1 <= first <= last <= 65535, e.g. 8001-8050";
    String[] parts = raw.value.trim().split("-", -1);
    if (parts.length != 2) {
      throw invalid(raw, allowed);
    }
    try {
      return PortRange.of(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    } catch (IllegalArgumentException e) {
      throw invalid(raw, allowed);
    }
  }

  private static int parsePositiveInt(Raw raw) {
    try {
      int v = Integer.parseInt(raw.value.trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // fall through to the error below
    }
    throw invalid(raw, "expected a whole number >= 1");
  }

  private static List<String> parsePaths(Raw raw) {
    List<String> paths = new ArrayList<>();
    if (blank(raw.value)) {
      return Collections.emptyList();
    }
    for (String p : raw.value.split(",")) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!t.startsWith("/")) {
        throw invalid(raw, "expected comma-separated Ant-style paths starting with /, e.g. /health,/actuator/**");
      }
      paths.add(t);
    }
    return Collections.unmodifiableList(paths);
  }

  private static Map<String, String> parseAliases(Raw raw) {
    if (blank(raw.value)) {
      return Collections.emptyMap();
    }
    Map<String, String> aliases = new LinkedHashMap<>();
    for (String pair : raw.value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String bean = eq < 0 ? "" : pair.substring(0, eq).trim();
      String alias = eq < 0 ? "" : pair.substring(eq + 1).trim();
      if (bean.isEmpty() || alias.isEmpty() || aliases.containsKey(bean)) {
        throw invalid(
            raw,
            "expected comma-separated beanName=alias pairs, each bean once, e.g. dataSource=main,ordersDataSource=orders");
      }
      aliases.put(bean, alias);
    }
    return Collections.unmodifiableMap(aliases);
  }

  private static String parseMetricsPath(Raw raw) {
    if (blank(raw.value)) {
      return null;
    }
    String v = raw.value.trim();
    if (!v.startsWith("/") || v.contains("*") || v.contains(" ")) {
      throw invalid(raw, "expected an exact path starting with /, e.g. /metrics, or empty to not serve metrics on the application");
    }
    return v;
  }
}
