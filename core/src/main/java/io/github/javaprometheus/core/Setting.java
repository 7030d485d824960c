package io.github.javaprometheus.core;

import java.util.Locale;

/** Every key of the settings model, with the environment name a django-prometheus deployment uses. */
enum Setting {
  ENABLED("prometheus.enabled", "PROMETHEUS_ENABLED", "true"),
  PROFILE("prometheus.profile", "PROMETHEUS_PROFILE", "java"),
  METRIC_PREFIX("prometheus.metric-prefix", "PROMETHEUS_METRIC_PREFIX", null),
  METRIC_NAMESPACE("prometheus.metric-namespace", "PROMETHEUS_METRIC_NAMESPACE", ""),
  LATENCY_BUCKETS("prometheus.latency-buckets", "PROMETHEUS_LATENCY_BUCKETS", null),
  NATIVE_HISTOGRAMS("prometheus.native-histograms", "PROMETHEUS_NATIVE_HISTOGRAMS", "false"),
  EXPORT_PORT("prometheus.export.port", "PROMETHEUS_METRICS_EXPORT_PORT", null),
  EXPORT_PORT_RANGE("prometheus.export.port-range", "PROMETHEUS_METRICS_EXPORT_PORT_RANGE", null),
  EXPORT_ADDRESS("prometheus.export.address", "PROMETHEUS_METRICS_EXPORT_ADDRESS", "0.0.0.0"),
  EXPORT_MIGRATIONS("prometheus.export-migrations", "PROMETHEUS_EXPORT_MIGRATIONS", "true"),
  MULTIPROC_DIR("prometheus.multiproc-dir", "PROMETHEUS_MULTIPROC_DIR", null),
  MULTIPROC_FORMAT("prometheus.multiproc-format", "PROMETHEUS_MULTIPROC_FORMAT", "0.16"),
  EXCLUDE_PATHS("prometheus.exclude-paths", "PROMETHEUS_EXCLUDE_PATHS", ""),
  MAX_LABEL_VALUES("prometheus.max-label-values", "PROMETHEUS_MAX_LABEL_VALUES", "1000"),
  LABEL_OVERFLOW_VALUE("prometheus.label-overflow-value", "PROMETHEUS_LABEL_OVERFLOW_VALUE", "other"),
  METRICS_PATH("prometheus.metrics-path", "PROMETHEUS_METRICS_PATH", "/metrics"),
  JVM_METRICS("prometheus.jvm-metrics", "PROMETHEUS_JVM_METRICS", "true"),
  JDBC_METRICS("prometheus.jdbc-metrics", "PROMETHEUS_JDBC_METRICS", "true"),
  JDBC_ALIASES("prometheus.jdbc-aliases", "PROMETHEUS_JDBC_ALIASES", ""),
  MODEL_METRICS("prometheus.model-metrics", "PROMETHEUS_MODEL_METRICS", "true");

  final String key;
  final String env;
  final String defaultValue;

  Setting(String key, String env, String defaultValue) {
    this.key = key;
    this.env = env;
    this.defaultValue = defaultValue;
  }

  /** Finds a setting by key, relaxed the way Spring binds: case, dashes and underscores ignored. */
  static Setting byKey(String key) {
    String wanted = canonical(key);
    for (Setting s : values()) {
      if (canonical(s.key).equals(wanted)) {
        return s;
      }
    }
    return null;
  }

  private static String canonical(String key) {
    return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }
}
