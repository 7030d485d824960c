package io.github.javaprometheus.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.config.ExporterPushgatewayProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The keys of the Pushgateway, loaded and validated by core's one loader. */
class PushgatewaySettingsTest {
  private static PrometheusSettings settings(String... keyValues) {
    PrometheusSettings.Builder b = PrometheusSettings.builder();
    for (int i = 0; i < keyValues.length; i += 2) {
      b.set(keyValues[i], keyValues[i + 1]);
    }
    return b.build();
  }

  @Test
  void nothingIsPushedByDefault() {
    PrometheusSettings s = PrometheusSettings.defaults();
    assertThat(PushgatewaySettings.configured(s)).isFalse();
    assertThat(s.get(PushgatewaySettings.TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.get(PushgatewaySettings.INTERVAL)).isNull();
    assertThat(s.get(PushgatewaySettings.GROUPING_KEY)).isEmpty();
    try (MetricsPusher pusher = MetricsPusher.start(s, new PrometheusRegistry())) {
      assertThat(pusher.isActive()).isFalse();
      assertThat(pusher.push()).isFalse();
    }
  }

  @Test
  void disabledLibraryPushesNothingEvenWithAnAddress() {
    PrometheusSettings s =
        settings(
            "prometheus.enabled", "false",
            "prometheus.pushgateway.address", "127.0.0.1:9091");
    assertThat(PushgatewaySettings.configured(s)).isFalse();
    MetricsPusher pusher = MetricsPusher.start(s, new PrometheusRegistry());
    assertThat(pusher.isActive()).isFalse();
    pusher.close();
  }

  @Test
  void readsEnvironmentVariables() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PROMETHEUS_PUSHGATEWAY_ADDRESS", "https://push.example.com:9443/gw/");
    env.put("PROMETHEUS_PUSHGATEWAY_JOB", "nightly-import");
    env.put("PROMETHEUS_PUSHGATEWAY_GROUPING_KEY", " instance = batch-1 , env=prod");
    env.put("PROMETHEUS_PUSHGATEWAY_INTERVAL", "0.25");
    env.put("PROMETHEUS_PUSHGATEWAY_TIMEOUT", "2");
    env.put("PROMETHEUS_PUSHGATEWAY_USERNAME", "pusher");
    env.put("PROMETHEUS_PUSHGATEWAY_PASSWORD", "s3cret");
    PrometheusSettings s =
        PrometheusSettings.load(
            new URLClassLoader(new URL[0], null), Map.of(), new Properties(), env);
    PushgatewaySettings.Address address = s.get(PushgatewaySettings.ADDRESS);
    assertThat(address.https()).isTrue();
    assertThat(address.hostPortPath()).isEqualTo("push.example.com:9443/gw");
    assertThat(address).hasToString("https://push.example.com:9443/gw");
    assertThat(s.get(PushgatewaySettings.JOB)).isEqualTo("nightly-import");
    assertThat(s.get(PushgatewaySettings.GROUPING_KEY))
        .containsExactly(Map.entry("instance", "batch-1"), Map.entry("env", "prod"));
    assertThat(s.get(PushgatewaySettings.INTERVAL)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.get(PushgatewaySettings.TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.get(PushgatewaySettings.USERNAME)).isEqualTo("pusher");
    assertThat(String.valueOf(s.get(PushgatewaySettings.PASSWORD).reveal())).isEqualTo("s3cret");
    assertThat(s.toString()).doesNotContain("s3cret");
  }

  @Test
  void addressForms() {
    assertThat(address("pushgateway:9091")).hasToString("http://pushgateway:9091");
    assertThat(address("http://127.0.0.1:9091/")).hasToString("http://127.0.0.1:9091");
    assertThat(address("HTTPS://Push.Example.com")).hasToString("https://Push.Example.com");
    assertThat(address("[::1]:9091")).hasToString("http://[::1]:9091");
    assertThat(address("push_gateway:9091")).hasToString("http://push_gateway:9091");
  }

  private static PushgatewaySettings.Address address(String text) {
    return settings("prometheus.pushgateway.address", text).get(PushgatewaySettings.ADDRESS);
  }

  @Test
  void malformedValuesFailNamingTheKey() {
    assertInvalid("prometheus.pushgateway.address", "ftp://host:21", "http or https");
    assertInvalid("prometheus.pushgateway.address", "host:99999", "1-65535");
    assertInvalid("prometheus.pushgateway.address", "host:9091/?x=1", "host:port");
    assertInvalid("prometheus.pushgateway.grouping-key", "instance", "has no value");
    assertInvalid("prometheus.pushgateway.grouping-key", "instance=a,instance=b", "given twice");
    assertInvalid("prometheus.pushgateway.grouping-key", "job=x", "prometheus.pushgateway.job");
    assertInvalid("prometheus.pushgateway.grouping-key", "1x=a", "not a label name");
    assertInvalid("prometheus.pushgateway.grouping-key", "__x=a", "not a label name");
    assertInvalid("prometheus.pushgateway.interval", "0", "seconds > 0");
    assertInvalid("prometheus.pushgateway.interval", "30s", "seconds > 0");
    assertInvalid("prometheus.pushgateway.timeout", "-1", "seconds > 0");
    assertInvalid("prometheus.pushgateway.username", "a:b", "cannot contain ':'");
  }

  private static void assertInvalid(String key, String value, String allowed) {
    assertThatThrownBy(() -> settings(key, value))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting " + key + "='" + value + "'")
        .hasMessageContaining(allowed);
  }

  @Test
  void credentialsInTheAddressAreRefusedWithoutShowingThem() {
    assertThatThrownBy(
            () -> settings("prometheus.pushgateway.address", "http://pusher:s3cret@host:9091"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.pushgateway.address")
        .hasMessageContaining("prometheus.pushgateway.username")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void settingsThatDoNotFitTogetherFailAtStartNamingTheKey() {
    PrometheusRegistry registry = new PrometheusRegistry();
    String address = "127.0.0.1:9";
    assertThatThrownBy(
            () -> MetricsPusher.start(settings("prometheus.pushgateway.address", address), registry))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting prometheus.pushgateway.job=<unset>")
        .hasMessageContaining("PROMETHEUS_PUSHGATEWAY_JOB");
    assertThatThrownBy(
            () ->
                MetricsPusher.start(
                    settings(
                        "prometheus.pushgateway.address", address,
                        "prometheus.pushgateway.password", "s3cret"),
                    registry,
                    "job"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting prometheus.pushgateway.username")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(
            () ->
                MetricsPusher.start(
                    settings(
                        "prometheus.pushgateway.address", address,
                        "prometheus.pushgateway.username", "pusher"),
                    registry,
                    "job"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting prometheus.pushgateway.password");
    assertThatThrownBy(
            () ->
                MetricsPusher.start(
                    settings(
                        "prometheus.pushgateway.address", address,
                        "prometheus.pushgateway.tls.truststore", "/nonexistent/trust.p12"),
                    registry,
                    "job"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting prometheus.pushgateway.tls.truststore")
        .hasMessageContaining("https://");
    assertThatThrownBy(
            () ->
                MetricsPusher.start(
                    settings(
                        "prometheus.pushgateway.address", "https://" + address,
                        "prometheus.pushgateway.tls.truststore", "/nonexistent/trust.p12",
                        "prometheus.pushgateway.tls.truststore-password", "s3cret"),
                    registry,
                    "job"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith(
            "Invalid setting prometheus.pushgateway.tls.truststore='/nonexistent/trust.p12'")
        .hasMessageContaining("readable")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void clientJavasOwnPushgatewayPropertiesAreRefusedNotSilentlyIgnored() {
    MetricsPusher.refuseClientJavaProperties(ExporterPushgatewayProperties.builder().build());
    assertThatThrownBy(
            () ->
                MetricsPusher.refuseClientJavaProperties(
                    ExporterPushgatewayProperties.builder().address("other:9091").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io.prometheus.exporter.pushgateway.address")
        .hasMessageContaining("prometheus.pushgateway.address");
  }
}
