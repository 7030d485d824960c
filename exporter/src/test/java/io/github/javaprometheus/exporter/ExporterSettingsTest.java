package io.github.javaprometheus.exporter;

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
class ExporterSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void noExporterByDefaultAndItBindsEverywhere() {
    PrometheusSettings s = PrometheusSettings.defaults();
    assertThat(s.get(ExporterSettings.PORT)).isNull();
    assertThat(s.get(ExporterSettings.PORT_RANGE)).isNull();
    assertThat(ExporterSettings.configured(s)).isFalse();
    assertThat(s.get(ExporterSettings.ADDRESS)).isEqualTo("0.0.0.0");
  }

  @Test
  void readsDjangoPrometheusEnvironmentNames() {
    PrometheusSettings s =
        PrometheusSettings.load(
            new URLClassLoader(new URL[0], null),
            Map.of(),
            new Properties(),
            Map.of(
                "PROMETHEUS_METRICS_EXPORT_PORT", "8001",
                "PROMETHEUS_METRICS_EXPORT_PORT_RANGE", "9001-9005",
                "PROMETHEUS_METRICS_EXPORT_ADDRESS", "127.0.0.1"));
    assertThat(s.get(ExporterSettings.PORT)).isEqualTo(8001);
    assertThat(s.get(ExporterSettings.PORT_RANGE))
        .isEqualTo(io.github.javaprometheus.core.PortRange.of(9001, 9005));
    assertThat(s.get(ExporterSettings.ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(ExporterSettings.configured(s)).isTrue();
  }

  @Test
  void portOutOfRangeFails() {
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRICS_EXPORT_PORT", "70000"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.export.port (from PROMETHEUS_METRICS_EXPORT_PORT)='70000':"
                + " expected a port number 0-65535 (0 picks any free port)");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRICS_EXPORT_PORT_RANGE", "9005-9001"))
        .hasMessageContaining("prometheus.export.port-range")
        .hasMessageContaining("'9005-9001'");
    assertThatThrownBy(() -> PrometheusSettings.builder().set("prometheus.export.port", "x").build())
        .hasMessageContaining("prometheus.export.port");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRICS_EXPORT_ADDRESS", " "))
        .hasMessageContaining("prometheus.export.address");
  }
}
