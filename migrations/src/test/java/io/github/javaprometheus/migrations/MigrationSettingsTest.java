package io.github.javaprometheus.migrations;

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
class MigrationSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void migrationsAreExportedByDefaultAndCanBeTurnedOff() {
    assertThat(PrometheusSettings.defaults().get(MigrationSettings.EXPORT_MIGRATIONS)).isTrue();
    assertThat(fromEnv("PROMETHEUS_EXPORT_MIGRATIONS", "False").get(MigrationSettings.EXPORT_MIGRATIONS))
        .isFalse();
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_EXPORT_MIGRATIONS", "maybe"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.export-migrations (from PROMETHEUS_EXPORT_MIGRATIONS)='maybe':"
                + " expected true or false");
  }
}
