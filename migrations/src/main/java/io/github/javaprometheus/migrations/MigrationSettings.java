package io.github.javaprometheus.migrations;

import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.List;

/** The key of the migration gauges, django-prometheus's PROMETHEUS_EXPORT_MIGRATIONS. */
public final class MigrationSettings implements SettingGroup {

  public static final SettingKey<Boolean> EXPORT_MIGRATIONS =
      SettingKey.bool(
          "prometheus.export-migrations",
          "PROMETHEUS_EXPORT_MIGRATIONS",
          true,
          "Whether the applied/unapplied migration gauges are exposed.");

  @Override
  public String module() {
    return "java-prometheus-migrations";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(EXPORT_MIGRATIONS);
  }
}
