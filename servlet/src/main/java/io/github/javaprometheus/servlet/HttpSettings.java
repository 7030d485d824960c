package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The keys of the HTTP filters and the metrics endpoint on the application's port. */
public final class HttpSettings implements SettingGroup {

  /** Path of {@code /metrics} on the application; empty: not served there. */
  public static final SettingKey<String> METRICS_PATH =
      SettingKey.of(
          "prometheus.metrics-path",
          "PROMETHEUS_METRICS_PATH",
          "/metrics",
          String.class,
          "Path of the metrics endpoint on the application's own port; empty to not serve it there.",
          v -> {
            if (v.isBlank()) {
              return null;
            }
            String p = v.trimmed();
            if (!p.startsWith("/") || p.contains("*") || p.contains(" ")) {
              throw v.invalid(
                  "expected an exact path starting with /, e.g. /metrics, or empty to not serve"
                      + " metrics on the application");
            }
            return p;
          });

  /** Ant-style path patterns whose requests are not measured. */
  public static final SettingKey<List<String>> EXCLUDE_PATHS =
      SettingKey.of(
          "prometheus.exclude-paths",
          "PROMETHEUS_EXCLUDE_PATHS",
          "",
          String.class,
          "Comma-separated Ant-style path patterns whose requests are not measured, e.g."
              + " /health,/actuator/**.",
          v -> {
            if (v.isBlank()) {
              return Collections.emptyList();
            }
            List<String> paths = new ArrayList<>();
            for (String part : v.text().split(",")) {
              String t = part.trim();
              if (t.isEmpty()) {
                continue;
              }
              if (!t.startsWith("/")) {
                throw v.invalid(
                    "expected comma-separated Ant-style paths starting with /, e.g."
                        + " /health,/actuator/**");
              }
              paths.add(t);
            }
            return Collections.unmodifiableList(paths);
          });

  /**
   * Whether an exception a framework turned into a response (an {@code @ExceptionHandler}, a JAX-RS
   * {@code ExceptionMapper}) is counted like a thrown one, as Django's {@code process_exception}
   * counts every exception a view raises.
   */
  public static final SettingKey<Boolean> COUNT_HANDLED_EXCEPTIONS =
      SettingKey.bool(
          "prometheus.count-handled-exceptions",
          "PROMETHEUS_COUNT_HANDLED_EXCEPTIONS",
          true,
          "Count exceptions a framework turned into a response (@ExceptionHandler, onError,"
              + " ExceptionMapper) in the exception families, as Django counts every exception a"
              + " view raises; false counts only those that escape the application.");

  @Override
  public String module() {
    return "java-prometheus-servlet";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(METRICS_PATH, EXCLUDE_PATHS, COUNT_HANDLED_EXCEPTIONS);
  }
}
