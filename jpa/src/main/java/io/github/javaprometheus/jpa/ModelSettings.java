package io.github.javaprometheus.jpa;

import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.List;

/** The key of the model (entity) metrics. */
public final class ModelSettings implements SettingGroup {

  public static final SettingKey<Boolean> MODEL_METRICS =
      SettingKey.bool(
          "prometheus.model-metrics",
          "PROMETHEUS_MODEL_METRICS",
          true,
          "Whether entity inserts, updates and deletes are counted.");

  @Override
  public String module() {
    return "java-prometheus-jpa";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(MODEL_METRICS);
  }
}
