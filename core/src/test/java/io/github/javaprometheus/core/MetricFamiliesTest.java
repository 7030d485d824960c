package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.testing.TextScrape;
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
  void aSecondContextWithOtherLatencyBucketsFailsNamingTheFamilyAndBothDefinitions() {
    MetricFamilies first = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    first.latencyHistogram("latency", "Latency");
    MetricFamilies second =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.latency-buckets", "0.1,1").build(),
            registry);
    assertThatThrownBy(() -> second.latencyHistogram("latency", "Latency"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java_latency is already registered as a histogram (classic) with labels [] and buckets [0.01, 0.025,")
        .hasMessageContaining("cannot register it again as a histogram (classic) with labels [] and buckets [0.1, 1.0]");
  }

  @Test
  void aSecondFactoryWithOtherHelpFails() {
    MetricFamilies.create(PrometheusSettings.defaults(), registry).counter("z", "one");
    assertThatThrownBy(
            () -> MetricFamilies.create(PrometheusSettings.defaults(), registry).counter("z", "two"))
        .hasMessageContaining("help \"one\"")
        .hasMessageContaining("help \"two\"");
  }

  @Test
  void disabledFamiliesWorkButRegisterNothing() {
    MetricFamilies f =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.enabled", "false").build(), registry);
    f.counter("x", "h", "a").label("1").inc();
    f.latencyHistogram("l", "h").noLabels().observe(1);
    f.gauge("g", "h").set(3);
    f.errors().record("http", new IllegalStateException("x"));
    f.registerJvmMetrics();
    assertThat(f.enabled()).isFalse();
    assertThat(registry.scrape().size()).isZero();
  }

  @Test
  void componentsAreCreatedOncePerFactory() {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    StringBuilder a = f.component(StringBuilder.class, x -> new StringBuilder());
    assertThat(f.component(StringBuilder.class, x -> new StringBuilder())).isSameAs(a);
    assertThat(
            MetricFamilies.create(PrometheusSettings.defaults(), registry)
                .component(StringBuilder.class, x -> new StringBuilder()))
        .isNotSameAs(a);
  }

  @Test
  void anInstalledDefaultWinsUntilItsHandleIsClosed() throws Exception {
    MetricFamilies loaded = MetricFamilies.defaults();
    assertThat(MetricFamilies.defaults()).isSameAs(loaded);
    MetricFamilies mine = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    AutoCloseable handle = MetricFamilies.installDefault(mine);
    assertThat(MetricFamilies.defaults()).isSameAs(mine);
    handle.close();
    assertThat(MetricFamilies.defaults()).isSameAs(loaded);
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
