package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.testing.Tools;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} on the application's port, protected by settings, as curl sees it on Tomcat. */
class ProtectedMetricsServletIT {
  private static final String PASSWORD = "p\u00e4ss word";
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private TomcatServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private void start(String... keyValues) throws Exception {
    PrometheusSettings.Builder b = PrometheusSettings.builder().set("prometheus.jvm-metrics", "false");
    for (int i = 0; i < keyValues.length; i += 2) {
      b.set(keyValues[i], keyValues[i + 1]);
    }
    PrometheusSettings settings = b.build();
    server =
        new TomcatServer()
            .initializer((classes, ctx) -> PrometheusServlets.install(ctx, settings, registry))
            .servlet("/myview/", new PrometheusFiltersIT.MyView())
            .start();
  }

  private Processes.Result curl(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Tools.require("curl").toString());
    cmd.addAll(List.of("-s", "-S", "--max-time", "10", "-D", "-"));
    cmd.addAll(Arrays.asList(args));
    return Processes.run(Duration.ofSeconds(30), cmd.toArray(new String[0]));
  }

  @Test
  void basicAuthOnTheApplicationsMetricsEndpoint() throws Exception {
    start(
        "prometheus.auth.username", "prometheus",
        "prometheus.auth.password-sha256", sha256Hex(PASSWORD));
    String url = server.url("/metrics");

    Processes.Result none = curl(url);
    assertThat(none.output())
        .startsWith("HTTP/1.1 401")
        .contains("WWW-Authenticate: Basic realm=\"prometheus\", charset=\"UTF-8\"")
        .doesNotContain("java_http_");
    Processes.Result wrong = curl("-u", "prometheus:wrong", url);
    assertThat(wrong.output()).startsWith("HTTP/1.1 401").doesNotContain("java_http_");
    // The application itself is not protected by these settings.
    assertThat(curl(server.url("/myview/")).output()).startsWith("HTTP/1.1 200");

    Processes.Result ok = curl("-u", "prometheus:" + PASSWORD, url);
    assertThat(ok.output()).startsWith("HTTP/1.1 200");
    TextScrape s = TextScrape.parse(ok.output().substring(ok.output().indexOf("\r\n\r\n") + 4));
    // The refused scrapes are requests of the metrics view answered 401; no label carries a
    // user name or a credential.
    assertThat(s.value("java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"401\",view=\"prometheus-java-metrics\"}"))
        .isEqualTo(2.0);
    assertThat(ok.output()).doesNotContain(PASSWORD).doesNotContain(sha256Hex(PASSWORD));
  }

  @Test
  void allowedNetworksAndTrustedProxies() throws Exception {
    start(
        "prometheus.allowed-networks", "10.0.0.0/8",
        "prometheus.trusted-proxies", "127.0.0.1,::1");
    String url = server.url("/metrics");
    assertThat(curl(url).output()).startsWith("HTTP/1.1 403").doesNotContain("java_http_");
    // Through a trusted proxy (this loopback client) the forwarded client counts.
    assertThat(curl("-H", "X-Forwarded-For: 10.9.8.7", url).output()).startsWith("HTTP/1.1 200");
    assertThat(curl("-H", "X-Forwarded-For: 10.9.8.7, 203.0.113.5", url).output())
        .startsWith("HTTP/1.1 403");
  }

  @Test
  void aForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    start("prometheus.allowed-networks", "10.0.0.0/8");
    assertThat(curl("-H", "X-Forwarded-For: 10.9.8.7", server.url("/metrics")).output())
        .startsWith("HTTP/1.1 403");
  }

  @Test
  void aBadAccessSettingFailsInstallNamingTheKey() {
    assertThatThrownBy(
            () ->
                PrometheusServlets.install(
                    null,
                    PrometheusSettings.builder().set("prometheus.auth.username", "prometheus").build(),
                    registry))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.auth.username");
    assertThat(registry.scrape().size()).isZero();
  }
}
