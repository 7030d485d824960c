package io.github.javaprometheus.multiprocess;

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
class MultiprocessSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void theFileLayoutSettingAcceptsTheTwoPythonLayouts() {
    assertThat(PrometheusSettings.defaults().get(MultiprocessSettings.FORMAT))
        .isEqualTo(FileFormat.VALUE);
    assertThat(
            PrometheusSettings.builder()
                .set("prometheus.multiproc-format", "0.17")
                .build()
                .get(MultiprocessSettings.FORMAT))
        .isEqualTo(FileFormat.VALUE_AND_TIMESTAMP);
    assertThat(fromEnv("PROMETHEUS_MULTIPROC_FORMAT", " 0.17 ").get(MultiprocessSettings.FORMAT))
        .isEqualTo(FileFormat.VALUE_AND_TIMESTAMP);
    assertThatThrownBy(
            () -> PrometheusSettings.builder().set("prometheus.multiproc-format", "1.0").build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.multiproc-format")
        .hasMessageContaining("expected 0.16");
  }
}
