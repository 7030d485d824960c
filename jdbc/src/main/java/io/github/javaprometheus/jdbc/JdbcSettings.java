package io.github.javaprometheus.jdbc;

import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.List;

/** The key of the database metrics. */
public final class JdbcSettings implements SettingGroup {

  public static final SettingKey<Boolean> JDBC_METRICS =
      SettingKey.bool(
          "prometheus.jdbc-metrics",
          "PROMETHEUS_JDBC_METRICS",
          true,
          "Whether data sources and the jdbc:prometheus: driver are measured.");

  @Override
  public String module() {
    return "java-prometheus-jdbc";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(JDBC_METRICS);
  }
}
