package io.github.javaprometheus.jdbc;

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
class JdbcSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void jdbcMetricsAreOnByDefaultAndCanBeTurnedOff() {
    assertThat(PrometheusSettings.defaults().get(JdbcSettings.JDBC_METRICS)).isTrue();
    assertThat(fromEnv("PROMETHEUS_JDBC_METRICS", "false").get(JdbcSettings.JDBC_METRICS)).isFalse();
    assertThat(
            PrometheusSettings.builder()
                .set("prometheus.jdbc-metrics", "FALSE")
                .build()
                .get(JdbcSettings.JDBC_METRICS))
        .isFalse();
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_JDBC_METRICS", "yes"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.jdbc-metrics")
        .hasMessageContaining("expected true or false");
  }
}
