package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

/** What container-created objects (driver, JPA listeners) get from the default families. */
@SuppressWarnings("try") // the handles only scope the installed default
class DefaultComponentTest {
  private static final SettingKey<Boolean> SWITCH = CoreSettings.JVM_METRICS;

  private static MetricFamilies families(String... settings) {
    PrometheusSettings.Builder b = PrometheusSettings.builder();
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    return MetricFamilies.create(b.build(), new PrometheusRegistry());
  }

  @Test
  void theComponentOfTheInstalledDefaultOnceAndNullWhenEitherSwitchIsOff() throws Exception {
    MetricFamilies on = families();
    try (AutoCloseable installed = MetricFamilies.installDefault(on)) {
      StringBuilder first = MetricFamilies.defaultComponent(StringBuilder.class, SWITCH, f -> new StringBuilder("x"));
      assertThat(first).hasToString("x");
      assertThat(MetricFamilies.defaultComponent(StringBuilder.class, SWITCH, f -> new StringBuilder("y")))
          .isSameAs(first);
    }
    try (AutoCloseable installed =
        MetricFamilies.installDefault(families("prometheus.enabled", "false"))) {
      assertThat(MetricFamilies.defaultComponent(StringBuilder.class, SWITCH, f -> new StringBuilder()))
          .isNull();
    }
    try (AutoCloseable installed =
        MetricFamilies.installDefault(families("prometheus.jvm-metrics", "false"))) {
      assertThat(MetricFamilies.defaultComponent(StringBuilder.class, SWITCH, f -> new StringBuilder()))
          .isNull();
    }
  }

  @Test
  void aFailureIsNullNotAnException() throws Exception {
    try (AutoCloseable installed = MetricFamilies.installDefault(families())) {
      assertThat(
              MetricFamilies.defaultComponent(
                  Integer.class,
                  SWITCH,
                  f -> {
                    throw new IllegalStateException("broken");
                  }))
          .isNull();
      // Again: logged once, still null, never thrown.
      assertThat(
              MetricFamilies.defaultComponent(
                  Integer.class,
                  SWITCH,
                  f -> {
                    throw new LinkageError("missing");
                  }))
          .isNull();
    }
  }
}
