package io.github.javaprometheus.core;

import java.util.Locale;

/**
 * Naming profile. {@code JAVA} names families {@code java_*}; {@code DJANGO} exposes byte-for-byte
 * the series of django-prometheus so existing dashboards keep working.
 */
public enum Profile {
  JAVA("java", "prometheus-java-metrics"),
  DJANGO("django", "prometheus-django-metrics");

  private final String defaultPrefix;
  private final String metricsViewName;

  Profile(String defaultPrefix, String metricsViewName) {
    this.defaultPrefix = defaultPrefix;
    this.metricsViewName = metricsViewName;
  }

  /** Metric prefix used when {@code prometheus.metric-prefix} is not set. */
  public String defaultPrefix() {
    return defaultPrefix;
  }

  /** The {@code view} label value of requests to the metrics endpoint itself. */
  public String metricsViewName() {
    return metricsViewName;
  }

  /**
   * Whether this is the django profile. Its families leave out the labels that only the java
   * profile has (e.g. {@code cache}), so the series are django-prometheus's.
   */
  public boolean isDjango() {
    return this == DJANGO;
  }

  static Profile parse(String value) {
    return Profile.valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
