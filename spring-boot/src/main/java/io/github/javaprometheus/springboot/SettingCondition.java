package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.PrometheusSettings;
import java.util.function.Predicate;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches on the settings model itself (Environment, {@code prometheus.properties}, system
 * properties, environment variables), so a switch set in any of its sources counts.
 */
abstract class SettingCondition implements Condition {
  private final Predicate<PrometheusSettings> test;

  SettingCondition(Predicate<PrometheusSettings> test) {
    this.test = test;
  }

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    try {
      return test.test(EnvironmentSettings.load(context.getEnvironment()));
    } catch (RuntimeException invalid) {
      // A malformed setting: JavaPrometheusAutoConfiguration reports it with the failure analyzer.
      return false;
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.model-metrics}. */
  static final class ModelMetricsOn extends SettingCondition {
    ModelMetricsOn() {
      super(s -> s.enabled() && s.modelMetrics());
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.export-migrations}. */
  static final class ExportMigrationsOn extends SettingCondition {
    ExportMigrationsOn() {
      super(s -> s.enabled() && s.exportMigrations());
    }
  }
}
