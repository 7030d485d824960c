package io.github.javaprometheus.jpa;

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
class ModelSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void modelMetricsAreOnByDefaultAndCanBeTurnedOff() {
    assertThat(PrometheusSettings.defaults().get(ModelSettings.MODEL_METRICS)).isTrue();
    assertThat(fromEnv("PROMETHEUS_MODEL_METRICS", "false").get(ModelSettings.MODEL_METRICS)).isFalse();
    assertThat(
            PrometheusSettings.builder()
                .set("prometheus.model-metrics", "false")
                .build()
                .get(ModelSettings.MODEL_METRICS))
        .isFalse();
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_MODEL_METRICS", "off"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.model-metrics (from PROMETHEUS_MODEL_METRICS)='off': expected true or false");
  }
}
