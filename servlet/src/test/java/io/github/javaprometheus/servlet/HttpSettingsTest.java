package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** This module's keys, loaded and validated by core's one loader. */
class HttpSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void defaultsServeMetricsAndExcludeNothing() {
    PrometheusSettings s = PrometheusSettings.defaults();
    assertThat(s.get(HttpSettings.METRICS_PATH)).isEqualTo("/metrics");
    assertThat(s.get(HttpSettings.EXCLUDE_PATHS)).isEmpty();
    assertThat(s.keys()).contains(HttpSettings.METRICS_PATH, HttpSettings.EXCLUDE_PATHS);
  }

  @Test
  void readsDjangoPrometheusEnvironmentNames() {
    assertThat(fromEnv("PROMETHEUS_EXCLUDE_PATHS", "/health, /actuator/**").get(HttpSettings.EXCLUDE_PATHS))
        .containsExactly("/health", "/actuator/**");
    assertThat(fromEnv("PROMETHEUS_METRICS_PATH", "/prom").get(HttpSettings.METRICS_PATH))
        .isEqualTo("/prom");
  }

  @Test
  void malformedValuesFailNamingTheirKey() {
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_EXCLUDE_PATHS", "health"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.exclude-paths");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRICS_PATH", "/metrics/*"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.metrics-path");
  }

  @Test
  void anEmptyMetricsPathServesNoEndpointOnTheApplication() {
    assertThat(
            PrometheusSettings.builder()
                .set("prometheus.metrics-path", "")
                .build()
                .get(HttpSettings.METRICS_PATH))
        .isNull();
  }

  @Test
  void laterSourcesWin() {
    Properties sys = new Properties();
    sys.setProperty("prometheus.metrics-path", "/system");
    PrometheusSettings s =
        PrometheusSettings.load(
            new URLClassLoader(new URL[0], null),
            Map.of("prometheus.metrics-path", "/spring"),
            sys,
            Map.of());
    assertThat(s.get(HttpSettings.METRICS_PATH)).isEqualTo("/system");
  }
}
