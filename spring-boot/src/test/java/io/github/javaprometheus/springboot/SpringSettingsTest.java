package io.github.javaprometheus.springboot;

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
class SpringSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void jdbcAliasesMapBeanNamesToAliases() {
    assertThat(PrometheusSettings.defaults().get(SpringSettings.JDBC_ALIASES)).isEmpty();
    assertThat(
            fromEnv("PROMETHEUS_JDBC_ALIASES", " dataSource = main , ordersDataSource=orders,")
                .get(SpringSettings.JDBC_ALIASES))
        .containsExactly(Map.entry("dataSource", "main"), Map.entry("ordersDataSource", "orders"));
    String allowed =
        ": expected comma-separated beanName=alias pairs, each bean once, e.g."
            + " dataSource=main,ordersDataSource=orders";
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_JDBC_ALIASES", "dataSource"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.jdbc-aliases (from PROMETHEUS_JDBC_ALIASES)='dataSource'"
                + allowed);
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_JDBC_ALIASES", "a=x,a=y"))
        .hasMessage(
            "Invalid setting prometheus.jdbc-aliases (from PROMETHEUS_JDBC_ALIASES)='a=x,a=y'"
                + allowed);
  }
}
