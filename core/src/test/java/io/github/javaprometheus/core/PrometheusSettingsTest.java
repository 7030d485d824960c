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
    assertThat(s.multiprocDir()).isNull();
    assertThat(s.maxLabelValues()).isEqualTo(1000);
    assertThat(s.labelOverflowValue()).isEqualTo("other");
    assertThat(s.enabled()).isTrue();
    assertThat(s.jvmMetrics()).isTrue();
    assertThat(s.nativeHistograms()).isFalse();
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
            + "prometheus.label-overflow-value=file\nprometheus.metric-prefix=file\n"
            + "io.prometheus.exporter.httpServer.port=1\n");
    ClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    Map<String, String> framework = new HashMap<>();
    framework.put("prometheus.max-label-values", "20");
    framework.put("prometheus.label-overflow-value", "spring");
    framework.put("prometheus.metric-prefix", "spring");
    Properties sys = new Properties();
    sys.setProperty("prometheus.max-label-values", "30");
    sys.setProperty("prometheus.label-overflow-value", "system");
    Map<String, String> env = Map.of("PROMETHEUS_MAX_LABEL_VALUES", "40");

    PrometheusSettings s = load(cl, framework, sys, env);

    assertThat(s.maxLabelValues()).isEqualTo(40); // env over everything
    assertThat(s.labelOverflowValue()).isEqualTo("system"); // system property over Spring
    assertThat(s.metricPrefix()).isEqualTo("spring"); // Spring over the file
    assertThat(s.metricNamespace()).isEqualTo("fromfile"); // file over defaults
  }

  @Test
  void readsEveryDjangoPrometheusEnvironmentName() {
    Map<String, String> env = new HashMap<>();
    env.put("PROMETHEUS_PROFILE", "django");
    env.put("PROMETHEUS_METRIC_PREFIX", "app");
    env.put("PROMETHEUS_METRIC_NAMESPACE", "team");
    env.put("PROMETHEUS_LATENCY_BUCKETS", "0.1, 1, 10, +Inf");
    env.put("PROMETHEUS_MULTIPROC_DIR", "/tmp/mp");
    env.put("PROMETHEUS_MAX_LABEL_VALUES", "5");
    env.put("PROMETHEUS_ENABLED", "FALSE");
    env.put("PROMETHEUS_JVM_METRICS", "false");
    env.put("PROMETHEUS_NATIVE_HISTOGRAMS", "true");
    env.put("PROMETHEUS_LABEL_OVERFLOW_VALUE", "rest");

    PrometheusSettings s = load(emptyLoader(), Map.of(), new Properties(), env);

    assertThat(s.profile()).isEqualTo(Profile.DJANGO);
    assertThat(s.metricPrefix()).isEqualTo("app");
    assertThat(s.metricNamespace()).isEqualTo("team");
    assertThat(s.latencyBuckets()).containsExactly(0.1, 1.0, 10.0);
    assertThat(s.multiprocDir()).isEqualTo("/tmp/mp");
    assertThat(s.maxLabelValues()).isEqualTo(5);
    assertThat(s.enabled()).isFalse();
    assertThat(s.jvmMetrics()).isFalse();
    assertThat(s.nativeHistograms()).isTrue();
    assertThat(s.labelOverflowValue()).isEqualTo("rest");
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
  void unknownPrometheusKeyFailsButForeignKeysAreIgnored() {
    assertThatThrownBy(
            () ->
                load(emptyLoader(), Map.of("prometheus.foo", "1"), new Properties(), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith(
            "Invalid setting prometheus.foo='1': unknown key (no java-prometheus module on the"
                + " class path owns it); known keys are [prometheus.enabled, prometheus.profile,")
        .hasMessageContaining("prometheus.multiproc-dir")
        .hasMessageContaining(TestSettings.VALUE.key());

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
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_JVM_METRICS", "maybe"))
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_METRIC_NAMESPACE", "my-team"))
        .hasMessageContaining("prometheus.metric-namespace");
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_LABEL_OVERFLOW_VALUE", " "))
        .hasMessageContaining("prometheus.label-overflow-value");
  }

  @Test
  void builderValidatesToo() {
    assertThatThrownBy(() -> PrometheusSettings.builder().set("prometheus.max-label-values", "x").build())
        .hasMessageContaining("prometheus.max-label-values");
    assertThat(PrometheusSettings.builder().set("prometheus.multiproc-dir", " ").build().multiprocDir())
        .isNull();
  }

  /** A module's group (TestSettings, listed in this module's test services) is loaded with core's. */
  @Test
  void aModulesKeysAreLoadedValidatedAndTypedLikeCoresOwn() {
    assertThat(PrometheusSettings.defaults().get(TestSettings.VALUE)).isEqualTo(3);
    assertThat(fromEnv("PROMETHEUS_TEST_VALUE", "7").get(TestSettings.VALUE)).isEqualTo(7);
    assertThat(
            PrometheusSettings.builder().set("prometheus.test-value", "9").build().get(TestSettings.VALUE))
        .isEqualTo(9);
    assertThatThrownBy(() -> fromEnv("PROMETHEUS_TEST_VALUE", "0"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.test-value (from PROMETHEUS_TEST_VALUE)='0': expected a"
                + " whole number >= 1");
    assertThat(PrometheusSettings.defaults().keys())
        .startsWith(CoreSettings.ENABLED, CoreSettings.PROFILE)
        .contains(TestSettings.VALUE)
        .doesNotHaveDuplicates();
  }

  @Test
  void aKeyOfAGroupNotOnTheClassPathHasItsDefault() {
    SettingKey<Integer> elsewhere =
        SettingKey.of(
            "prometheus.elsewhere", "PROMETHEUS_ELSEWHERE", "5", Integer.class, "d", v -> v.asInt(1));
    assertThat(PrometheusSettings.defaults().get(elsewhere)).isEqualTo(5);
  }

  @Test
  void toStringShowsEveryKey() {
    PrometheusSettings s = PrometheusSettings.defaults();
    String text = s.toString();
    for (SettingKey<?> key : s.keys()) {
      assertThat(text).contains(key.key() + "=");
    }
    assertThat(text)
        .startsWith("PrometheusSettings{prometheus.enabled=true, prometheus.profile=JAVA,"
            + " prometheus.metric-prefix=java, prometheus.metric-namespace=,"
            + " prometheus.latency-buckets=[0.01, 0.025,")
        .contains("prometheus.multiproc-dir=<unset>")
        .endsWith("}");
  }

  @Test
  void settingsAreImmutable() {
    PrometheusSettings s = PrometheusSettings.defaults();
    s.latencyBuckets()[0] = 99;
    s.get(CoreSettings.LATENCY_BUCKETS)[0] = 99;
    assertThat(s.latencyBuckets()[0]).isEqualTo(0.01);
    assertThat(s.get(CoreSettings.LATENCY_BUCKETS)[0]).isEqualTo(0.01);
  }
}
