package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusSettingsTest {

  private static PrometheusSettings load(
      ClassLoader cl, Map<String, String> framework, Properties sys, Map<String, String> env) {
    return PrometheusSettings.load(cl, framework, sys, env);
  }

  private static PrometheusSettings fromEnv(String name, String value) {
    return load(emptyLoader(), Map.of(), new Properties(), Map.of(name, value));
  }

  private static ClassLoader emptyLoader() {
    return new URLClassLoader(new URL[0], null);
  }

  @Test
  void defaultsMatchDjangoPrometheus() {
    PrometheusSettings s = PrometheusSettings.defaults();
    assertThat(s.profile()).isEqualTo(Profile.JAVA);
    assertThat(s.metricPrefix()).isEqualTo("java");
    assertThat(s.metricNamespace()).isEmpty();
    assertThat(s.latencyBuckets())
        .containsExactly(
            0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 25.0, 50.0,
            75.0);
    assertThat(s.exportPort()).isNull();
    assertThat(s.exportPortRange()).isNull();
    assertThat(s.exporterEnabled()).isFalse();
    assertThat(s.exportAddress()).isEqualTo("0.0.0.0");
    assertThat(s.exportMigrations()).isTrue();
    assertThat(s.multiprocDir()).isNull();
    assertThat(s.excludePaths()).isEmpty();
    assertThat(s.maxLabelValues()).isEqualTo(1000);
    assertThat(s.labelOverflowValue()).isEqualTo("other");
    assertThat(s.metricsPath()).isEqualTo("/metrics");
  }

  @Test
  void djangoProfileChangesThePrefixUnlessOneIsSet() {
    assertThat(fromEnv("PROMETHEUS_PROFILE", "django").metricPrefix()).isEqualTo("django");
    assertThat(
            load(
                    emptyLoader(),
                    Map.of(),
                    new Properties(),
                    Map.of("PROMETHEUS_PROFILE", "django", "PROMETHEUS_METRIC_PREFIX", "shop"))
                .metricPrefix())
        .isEqualTo("shop");
  }

  @Test
  void laterSourcesWinInTheDocumentedOrder(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("prometheus.properties"),
        "prometheus.max-label-values=10\nprometheus.metric-namespace=fromfile\n"
            + "prometheus.export.address=127.0.0.2\nprometheus.metrics-path=/file\n"
            + "io.prometheus.exporter.httpServer.port=1\n");
    ClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    Map<String, String> framework = new HashMap<>();
    framework.put("prometheus.max-label-values", "20");
    framework.put("prometheus.export.address", "127.0.0.3");
    framework.put("prometheus.metrics-path", "/spring");
    Properties sys = new Properties();
    sys.setProperty("prometheus.max-label-values", "30");
    sys.setProperty("prometheus.export.address", "127.0.0.4");
    Map<String, String> env = Map.of("PROMETHEUS_MAX_LABEL_VALUES", "40");

    PrometheusSettings s = load(cl, framework, sys, env);

    assertThat(s.maxLabelValues()).isEqualTo(40); // env over everything
    assertThat(s.exportAddress()).isEqualTo("127.0.0.4"); // system property over Spring
    assertThat(s.metricsPath()).isEqualTo("/spring"); // Spring over the file
    assertThat(s.metricNamespace()).isEqualTo("fromfile"); // file over defaults
  }

  @Test
  void readsEveryDjangoPrometheusEnvironmentName() {
    Map<String, String> env = new HashMap<>();
    env.put("PROMETHEUS_PROFILE", "django");
    env.put("PROMETHEUS_METRIC_PREFIX", "app");
    env.put("PROMETHEUS_METRIC_NAMESPACE", "team");
    env.put("PROMETHEUS_LATENCY_BUCKETS", "0.1, 1, 10, +Inf");
    env.put("PROMETHEUS_METRICS_EXPORT_PORT", "8001");
    env.put("PROMETHEUS_METRICS_EXPORT_PORT_RANGE", "9001-9005");
    env.put("PROMETHEUS_METRICS_EXPORT_ADDRESS", "127.0.0.1");
    env.put("PROMETHEUS_EXPORT_MIGRATIONS", "False");
    env.put("PROMETHEUS_MULTIPROC_DIR", "/tmp/mp");
    env.put("PROMETHEUS_EXCLUDE_PATHS", "/health, /actuator/**");
    env.put("PROMETHEUS_MAX_LABEL_VALUES", "5");

    PrometheusSettings s = load(emptyLoader(), Map.of(), new Properties(), env);

    assertThat(s.profile()).isEqualTo(Profile.DJANGO);
    assertThat(s.metricPrefix()).isEqualTo("app");
    assertThat(s.metricNamespace()).isEqualTo("team");
    assertThat(s.latencyBuckets()).containsExactly(0.1, 1.0, 10.0);
    assertThat(s.exportPort()).isEqualTo(8001);
    assertThat(s.exportPortRange()).isEqualTo(PortRange.of(9001, 9005));
    assertThat(s.exportAddress()).isEqualTo("127.0.0.1");
    assertThat(s.exportMigrations()).isFalse();
    assertThat(s.multiprocDir()).isEqualTo("/tmp/mp");
    assertThat(s.excludePaths()).containsExactly("/health", "/actuator/**");
    assertThat(s.maxLabelValues()).isEqualTo(5);
  }

  @Test
  void springStyleRelaxedKeysAreAccepted() {
    PrometheusSettings s =
        load(emptyLoader(), Map.of("prometheus.maxLabelValues", "7"), new Properties(), Map.of());
    assertThat(s.maxLabelValues()).isEqualTo(7);
  }

  @Test
  void malformedLatencyBucketsFailNamingKeyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_LATENCY_BUCKETS", "abc"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.latency-buckets (from PROMETHEUS_LATENCY_BUCKETS)='abc':"
                + " expected a comma-separated list of increasing finite numbers, e.g. 0.01,0.1,1,10");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_LATENCY_BUCKETS", "1,0.5"))
        .hasMessageContaining("prometheus.latency-buckets");
  }

  @Test
  void portOutOfRangeFails() {
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRICS_EXPORT_PORT", "70000"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.export.port (from PROMETHEUS_METRICS_EXPORT_PORT)='70000':"
                + " expected a port number 0-65535 (0 picks any free port)");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRICS_EXPORT_PORT_RANGE", "9005-9001"))
        .hasMessageContaining("prometheus.export.port-range")
        .hasMessageContaining("'9005-9001'");
  }

  @Test
  void unknownPrometheusKeyFailsButForeignKeysAreIgnored() {
    assertThatThrownBy(
            () ->
                load(emptyLoader(), Map.of("prometheus.foo", "1"), new Properties(), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting prometheus.foo='1': unknown key; known keys are [")
        .hasMessageContaining("prometheus.export.port");

    Properties sys = new Properties();
    sys.setProperty("io.prometheus.exporter.httpServer.port", "9999");
    sys.setProperty("spring.application.name", "x");
    assertThat(load(emptyLoader(), Map.of(), sys, Map.of("PROMETHEUS_OTHER", "x")).enabled())
        .isTrue();
  }

  @Test
  void otherMalformedValuesFailNamingTheirKey() {
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_PROFILE", "ruby"))
        .hasMessageContaining("prometheus.profile")
        .hasMessageContaining("expected java or django");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_MAX_LABEL_VALUES", "0"))
        .hasMessageContaining("prometheus.max-label-values");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_EXPORT_MIGRATIONS", "maybe"))
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRIC_NAMESPACE", "my-team"))
        .hasMessageContaining("prometheus.metric-namespace");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_EXCLUDE_PATHS", "health"))
        .hasMessageContaining("prometheus.exclude-paths");
  }

  @Test
  void builderValidatesToo() {
    assertThatThrownBy(() -> PrometheusSettings.builder().set("prometheus.export.port", "x").build())
        .hasMessageContaining("prometheus.export.port");
    assertThat(PrometheusSettings.builder().set("prometheus.metrics-path", "").build().metricsPath())
        .isNull();
  }

  @Test
  void jdbcMetricsAreOnByDefaultWithNoAliasesAndCanBeTurnedOff() {
    PrometheusSettings defaults = PrometheusSettings.defaults();
    assertThat(defaults.jdbcMetrics()).isTrue();
    assertThat(defaults.jdbcAliases()).isEmpty();
    assertThat(fromEnv("PROMETHEUS_JDBC_METRICS", "false").jdbcMetrics()).isFalse();
    assertThat(
            PrometheusSettings.builder().set("prometheus.jdbc-metrics", "FALSE").build().jdbcMetrics())
        .isFalse();
  }

  @Test
  void modelMetricsAreOnByDefaultAndCanBeTurnedOff() {
    assertThat(PrometheusSettings.defaults().modelMetrics()).isTrue();
    assertThat(fromEnv("PROMETHEUS_MODEL_METRICS", "false").modelMetrics()).isFalse();
    assertThat(PrometheusSettings.builder().set("prometheus.model-metrics", "false").build().modelMetrics())
        .isFalse();
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_MODEL_METRICS", "off"))
        .hasMessage(
            "Invalid setting prometheus.model-metrics (from PROMETHEUS_MODEL_METRICS)='off': expected true or false");
  }

  @Test
  void jdbcAliasesMapBeanNamesToAliases() {
    assertThat(
            fromEnv("PROMETHEUS_JDBC_ALIASES", " dataSource = main , ordersDataSource=orders,")
                .jdbcAliases())
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
        .hasMessage("Invalid setting prometheus.jdbc-aliases (from PROMETHEUS_JDBC_ALIASES)='a=x,a=y'" + allowed);
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_JDBC_METRICS", "yes"))
        .hasMessageContaining("prometheus.jdbc-metrics")
        .hasMessageContaining("expected true or false");
  }
}
