package io.github.javaprometheus.springboot;

import io.github.javaprometheus.migrations.MigrationSettings;
import io.github.javaprometheus.jpa.ModelSettings;
import io.github.javaprometheus.jdbc.JdbcSettings;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.servlet.HttpSettings;
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
  private final boolean whenInvalid;

  SettingCondition(Predicate<PrometheusSettings> test) {
    this(test, false);
  }

  SettingCondition(Predicate<PrometheusSettings> test, boolean whenInvalid) {
    this.test = test;
    this.whenInvalid = whenInvalid;
  }

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    try {
      return test.test(EnvironmentSettings.load(context.getEnvironment(), context.getClassLoader()));
    } catch (LinkageError absent) {
      // The module owning the key is not on the class path: its auto-configuration has nothing
      // to configure.
      return false;
    } catch (RuntimeException invalid) {
      // A malformed setting: the settings bean of JavaPrometheusAutoConfiguration fails start-up
      // with it (and the failure analyzer), so that one condition matches and the others do not.
      return whenInvalid;
    }
  }

  /**
   * {@code prometheus.enabled}, from any source of the settings model: the one switch every
   * auto-configuration of this library is conditional on.
   */
  static final class Enabled extends SettingCondition {
    Enabled() {
      super(PrometheusSettings::enabled, true);
    }
  }

  /** {@code prometheus.enabled=false} in valid settings: the library stays out of the context. */
  static final class Disabled extends SettingCondition {
    Disabled() {
      super(s -> !s.enabled());
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.jdbc-metrics}. */
  static final class JdbcMetricsOn extends SettingCondition {
    JdbcMetricsOn() {
      super(s -> s.enabled() && s.get(JdbcSettings.JDBC_METRICS));
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.multiproc-dir} set. */
  static final class MultiprocDirSet extends SettingCondition {
    MultiprocDirSet() {
      super(s -> s.enabled() && s.multiprocDir() != null);
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.model-metrics}. */
  static final class ModelMetricsOn extends SettingCondition {
    ModelMetricsOn() {
      super(s -> s.enabled() && s.get(ModelSettings.MODEL_METRICS));
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.export-migrations}. */
  static final class ExportMigrationsOn extends SettingCondition {
    ExportMigrationsOn() {
      super(s -> s.enabled() && s.get(MigrationSettings.EXPORT_MIGRATIONS));
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.count-handled-exceptions}. */
  static final class CountHandledExceptionsOn extends SettingCondition {
    CountHandledExceptionsOn() {
      super(s -> s.enabled() && s.get(HttpSettings.COUNT_HANDLED_EXCEPTIONS));
    }
  }
}
