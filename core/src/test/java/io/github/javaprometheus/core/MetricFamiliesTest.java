package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class MetricFamiliesTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  @Test
  void namespaceAndPrefixGoInFrontAndCountersGetTotalOnExposition() {
    MetricFamilies f =
        MetricFamilies.create(
            PrometheusSettings.builder()
                .set("prometheus.profile", "django")
                .set("prometheus.metric-namespace", "shop")
                .build(),
            registry);
    f.counter("http_requests_total_by_method", "h", "method").label("GET").inc();
    assertThat(
            TextScrape.of(registry)
                .value("shop_django_http_requests_total_by_method_total{method=\"GET\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void aSecondFactoryOnTheSameRegistryReusesTheFamilies() {
    PrometheusSettings s = PrometheusSettings.defaults();
    MetricFamilies.create(s, registry).counter("x", "h", "a").label("1").inc();
    MetricFamilies.create(s, registry).counter("x", "h", "a").label("1").inc();
    assertThat(TextScrape.of(registry).value("java_x_total{a=\"1\"}")).isEqualTo(2.0);
  }

  @Test
  void aConflictingRedefinitionIsAClearError() {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    f.counter("y", "h", "a");
    assertThatThrownBy(() -> f.counter("y", "h", "b"))
        .hasMessageContaining("java_y is already registered as a counter with labels [a]");
  }

  @Test
  void jvmMetricsAreRegisteredOncePerRegistry() {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    f.registerJvmMetrics();
    f.registerJvmMetrics();
    MetricFamilies.create(PrometheusSettings.defaults(), registry).registerJvmMetrics();
    assertThat(TextScrape.of(registry).samplesStartingWith("jvm_threads_current")).hasSize(1);
  }

  @Test
  void instrumentationErrorsAreCountedByComponentAndNeverThrow() {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    f.errors().record("http", new IllegalStateException("boom"));
    f.errors().record("http", new IllegalStateException("boom again"));
    assertThat(
            TextScrape.of(registry).value("java_instrumentation_errors_total{component=\"http\"}"))
        .isEqualTo(2.0);
  }

  @Test
  void methodsOutsideTheStandardNineAreInvalid() {
    assertThat(HttpMethods.normalize("GET")).isEqualTo("GET");
    assertThat(HttpMethods.normalize("CONNECT")).isEqualTo("CONNECT");
    assertThat(HttpMethods.normalize("BREW")).isEqualTo("<invalid method>");
    assertThat(HttpMethods.normalize("get")).isEqualTo("<invalid method>");
    assertThat(HttpMethods.normalize(null)).isEqualTo("<invalid method>");
  }
}
