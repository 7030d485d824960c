package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.SettingSource;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code prometheus.enabled=false}, from each source of the settings model: the families work, so
 * instrumentation code needs no special case, but nothing reaches the registry, and the JVM's
 * default families say "off" while disabled ones are installed.
 */
class DisabledFamiliesTest {

  /** {@code prometheus.enabled=false} in {@code source} only; {@code more} as framework keys. */
  private static PrometheusSettings disabled(
      SettingSource source, Path dir, Map<String, String> more) {
    Map<String, String> framework = new HashMap<>(more);
    framework.putAll(source.framework("prometheus.enabled", "false"));
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            framework,
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    assertThat(settings.enabled()).isFalse();
    return settings;
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void jvmMetricsRegisterNothing(SettingSource source, @TempDir Path dir) {
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies families = MetricFamilies.create(disabled(source, dir, Map.of()), registry);
    assertThat(families.settings().jvmMetrics()).isTrue();

    families.registerJvmMetrics();
    families.registerJvmMetrics();

    assertThat(registry.scrape().size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void observedFamiliesRegisterNothing(SettingSource source, @TempDir Path dir) {
    PrometheusRegistry registry = new PrometheusRegistry();
    // A bound of 2 label values, so the third value goes to the overflow counter.
    MetricFamilies families =
        MetricFamilies.create(
            disabled(source, dir, Map.of("prometheus.max-label-values", "2")), registry);

    BoundedFamily<CounterDataPoint> requests =
        families.counter("requests", "Requests by view", "view");
    requests.label("/a").inc(3);
    requests.label("/b").inc();
    requests.label("/c").inc();
    families.counter("plain", "No labels").noLabels().inc();
    families.latencyHistogram("latency", "Latency by view", "view").label("/a").observe(0.2);
    families.histogram("sizes", "Sizes", new double[] {1, 10}).noLabels().observe(5);
    families.gauge("in_flight", "In flight", GaugeMode.LIVESUM, "view").label("/a").set(2);
    families.gauge("local", "Held by this process", "view").labelValues("/a").set(5);

    // The families still count, registered nowhere.
    assertThat(requests.label("/a").get()).isEqualTo(3.0);
    assertThat(requests.isOverflow(requests.label("/c"))).isTrue();
    assertThat(registry.scrape().size()).isZero();
    assertThat(families.enabled()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void aMultiprocDirNeedsNoMultiprocessModuleWhileDisabled(
      SettingSource source, @TempDir Path dir) {
    PrometheusRegistry registry = new PrometheusRegistry();
    // core's tests have no java-prometheus-multiprocess: enabled, this would be an error.
    MetricFamilies families =
        MetricFamilies.create(
            disabled(source, dir, Map.of("prometheus.multiproc-dir", dir.toString())), registry);

    families.counter("requests", "Requests by view", "view").label("/a").inc();

    assertThat(families.store()).isEqualTo(RegistryMetricStore.detached());
    assertThat(registry.scrape().size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void installedDisabledFamiliesTurnTheJvmDefaultOffUntilClosed(
      SettingSource source, @TempDir Path dir) throws Exception {
    MetricFamilies before = MetricFamilies.defaults();
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies families = MetricFamilies.create(disabled(source, dir, Map.of()), registry);

    AutoCloseable handle = MetricFamilies.installDefault(families);
    try {
      assertThat(MetricFamilies.defaults()).isSameAs(families);
      assertThat(MetricFamilies.defaults().enabled()).isFalse();
      MetricFamilies.defaults().counter("requests", "Requests by view", "view").label("/a").inc();
      MetricFamilies.defaults().registerJvmMetrics();
    } finally {
      handle.close();
    }

    assertThat(MetricFamilies.defaults()).isSameAs(before);
    // This JVM's own sources leave the library on.
    assertThat(MetricFamilies.defaults().enabled()).isTrue();
    assertThat(registry.scrape().size()).isZero();
  }
}
