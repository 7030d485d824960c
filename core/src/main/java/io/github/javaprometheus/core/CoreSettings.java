package io.github.javaprometheus.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The keys core owns: the switch, naming, label bounds, histograms, JVM metrics and where values
 * are stored. {@link PrometheusSettings} has a typed accessor for each.
 */
public final class CoreSettings implements SettingGroup {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** django-prometheus's default latency buckets. */
  static final String DEFAULT_LATENCY_BUCKETS =
      "0.01,0.025,0.05,0.075,0.1,0.25,0.5,0.75,1.0,2.5,5.0,7.5,10.0,25.0,50.0,75.0";

  public static final SettingKey<Boolean> ENABLED =
      SettingKey.bool(
          "prometheus.enabled",
          "PROMETHEUS_ENABLED",
          true,
          "The one switch: false registers nothing, wraps nothing, binds no port and serves no"
              + " /metrics, in every module.");

  public static final SettingKey<Profile> PROFILE =
      SettingKey.of(
          "prometheus.profile",
          "PROMETHEUS_PROFILE",
          "java",
          String.class,
          "Metric names and labels: java, or django for django-prometheus's exact series.",
          v -> {
            try {
              return Profile.parse(v.text());
            } catch (RuntimeException e) {
              throw v.invalid("expected java or django");
            }
          });

  public static final SettingKey<String> METRIC_PREFIX =
      SettingKey.of(
          "prometheus.metric-prefix",
          "PROMETHEUS_METRIC_PREFIX",
          null,
          String.class,
          "The prefix of every family; java or django (the profile's) when unset.",
          v -> v.text() == null ? null : name(v, false));

  public static final SettingKey<String> METRIC_NAMESPACE =
      SettingKey.of(
          "prometheus.metric-namespace",
          "PROMETHEUS_METRIC_NAMESPACE",
          "",
          String.class,
          "An optional namespace put in front of the prefix, as django-prometheus's"
              + " PROMETHEUS_METRIC_NAMESPACE.",
          v -> name(v, true));

  public static final SettingKey<double[]> LATENCY_BUCKETS =
      SettingKey.of(
          "prometheus.latency-buckets",
          "PROMETHEUS_LATENCY_BUCKETS",
          DEFAULT_LATENCY_BUCKETS,
          String.class,
          "Upper bounds of the latency histograms, comma-separated and increasing (+Inf is"
              + " implied).",
          CoreSettings::buckets);

  public static final SettingKey<Boolean> NATIVE_HISTOGRAMS =
      SettingKey.bool(
          "prometheus.native-histograms",
          "PROMETHEUS_NATIVE_HISTOGRAMS",
          false,
          "Whether histograms are also native histograms (served in the protobuf format).");

  public static final SettingKey<Integer> MAX_LABEL_VALUES =
      SettingKey.of(
          "prometheus.max-label-values",
          "PROMETHEUS_MAX_LABEL_VALUES",
          "1000",
          Integer.class,
          "Distinct label-value combinations per family before new ones are recorded under the"
              + " overflow value.",
          v -> v.asInt(1));

  public static final SettingKey<String> LABEL_OVERFLOW_VALUE =
      SettingKey.of(
          "prometheus.label-overflow-value",
          "PROMETHEUS_LABEL_OVERFLOW_VALUE",
          "other",
          String.class,
          "The label value observations get once a family is full.",
          v -> {
            if (v.isBlank()) {
              throw v.invalid("expected a non-empty label value");
            }
            return v.trimmed();
          });

  public static final SettingKey<Boolean> JVM_METRICS =
      SettingKey.bool(
          "prometheus.jvm-metrics",
          "PROMETHEUS_JVM_METRICS",
          true,
          "Whether client_java's JVM metrics are registered.");

  public static final SettingKey<String> MULTIPROC_DIR =
      SettingKey.of(
          "prometheus.multiproc-dir",
          "PROMETHEUS_MULTIPROC_DIR",
          null,
          String.class,
          "Multiprocess mode: the directory of the shared metric files (needs"
              + " java-prometheus-multiprocess).",
          v -> v.isBlank() ? null : v.trimmed());

  @Override
  public String module() {
    return "java-prometheus-core";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(
        ENABLED,
        PROFILE,
        METRIC_PREFIX,
        METRIC_NAMESPACE,
        LATENCY_BUCKETS,
        NATIVE_HISTOGRAMS,
        MAX_LABEL_VALUES,
        LABEL_OVERFLOW_VALUE,
        JVM_METRICS,
        MULTIPROC_DIR);
  }

  private static String name(SettingValue v, boolean emptyAllowed) {
    String s = v.trimmed();
    if (s.isEmpty() && emptyAllowed) {
      return "";
    }
    if (!METRIC_NAME.matcher(s).matches()) {
      throw v.invalid("expected a metric name part matching [a-zA-Z_][a-zA-Z0-9_]*");
    }
    return s;
  }

  private static double[] buckets(SettingValue v) {
    String allowed =
        "expected a comma-separated list of increasing finite numbers, e.g. 0.01,0.1,1,10";
    if (v.isBlank()) {
      throw v.invalid(allowed);
    }
    String[] parts = v.text().split(",");
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
        throw v.invalid(allowed);
      }
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw v.invalid(allowed);
      }
      if (!bounds.isEmpty() && d <= bounds.get(bounds.size() - 1)) {
        throw v.invalid(allowed);
      }
      bounds.add(d);
    }
    if (bounds.isEmpty()) {
      throw v.invalid(allowed);
    }
    double[] result = new double[bounds.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = bounds.get(i);
    }
    return result;
  }
}
