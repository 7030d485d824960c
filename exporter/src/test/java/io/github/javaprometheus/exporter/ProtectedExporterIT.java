package io.github.javaprometheus.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exporter port protected by basic auth, a network allow-list and TLS with client
 * certificates, as real clients see it: curl, and a real Prometheus server scraping with {@code
 * basic_auth} and {@code tls_config}. Certificates are made by keytool and openssl for each run.
 */
class ProtectedExporterIT {
  private static final String PASSWORD = "sc-r4pe!";
  private static final String STORE_PASSWORD = "changeit";
  private static Path dir;

  private final PrometheusRegistry registry = new PrometheusRegistry();

  ProtectedExporterIT() {
    Counter.builder().name("scraped_things_total").help("things").register(registry).inc(3);
  }

  @BeforeAll
  static void certificates() throws Exception {
    dir = Files.createTempDirectory("exporter-tls");
    ServerProcess.closeAtExit(() -> ServerProcess.deleteRecursively(dir));
    String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
    keypair(keytool, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
    keypair(keytool, "client", "CN=scraper", null);
    run(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", path("server.p12"),
        "-storepass", STORE_PASSWORD, "-file", path("server.pem"));
    run(keytool, "-exportcert", "-rfc", "-alias", "client", "-keystore", path("client.p12"),
        "-storepass", STORE_PASSWORD, "-file", path("client.pem"));
    run(keytool, "-importcert", "-noprompt", "-alias", "client", "-file", path("client.pem"),
        "-keystore", path("trust.p12"), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
    String openssl = Tools.require("openssl").toString();
    run(openssl, "pkcs12", "-in", path("client.p12"), "-nocerts", "-nodes", "-passin",
        "pass:" + STORE_PASSWORD, "-out", path("client-key.pem"));
  }

  private static void keypair(String keytool, String alias, String dname, String san) {
    List<String> cmd =
        new ArrayList<>(
            Arrays.asList(
                keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname",
                "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", dname, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", path(alias + ".p12"), "-storepass",
                STORE_PASSWORD));
    if (san != null) {
      cmd.add("-ext");
      cmd.add(san);
    }
    run(cmd.toArray(new String[0]));
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static Processes.Result run(String... command) {
    return Processes.run(Duration.ofSeconds(60), command).requireSuccess();
  }

  @AfterAll
  static void cleanUp() {
    ServerProcess.deleteRecursively(dir);
  }

  @AfterEach
  void stop() {
    MetricsExporter.stopRunning();
  }

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private MetricsExporter start(String... keyValues) {
    PrometheusSettings.Builder b =
        PrometheusSettings.builder()
            .set("prometheus.export.port", "0")
            .set("prometheus.export.address", "127.0.0.1");
    for (int i = 0; i < keyValues.length; i += 2) {
      b.set(keyValues[i], keyValues[i + 1]);
    }
    return MetricsExporter.start(b.build(), registry).orElseThrow();
  }

  private static Processes.Result curl(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Tools.require("curl").toString());
    cmd.addAll(List.of("-s", "-S", "--max-time", "10", "-D", "-"));
    cmd.addAll(Arrays.asList(args));
    return Processes.run(Duration.ofSeconds(30), cmd.toArray(new String[0]));
  }

  @Test
  void basicAuthOverTlsWithClientCertificatesAsCurlSeesIt() throws Exception {
    MetricsExporter exporter =
        start(
            "prometheus.auth.username", "prometheus",
            "prometheus.auth.password-sha256", sha256Hex(PASSWORD),
            "prometheus.export.tls.keystore", path("server.p12"),
            "prometheus.export.tls.keystore-password", STORE_PASSWORD,
            "prometheus.export.tls.truststore", path("trust.p12"),
            "prometheus.export.tls.truststore-password", STORE_PASSWORD,
            "prometheus.export.tls.client-auth", "need");
    String url = "https://127.0.0.1:" + exporter.port() + "/metrics";
    String[] tls = {"--cacert", path("server.pem"), "--cert", path("client.pem"), "--key", path("client-key.pem")};

    Processes.Result ok = curl(concat(tls, "-u", "prometheus:" + PASSWORD, url));
    assertThat(ok.exitCode()).withFailMessage("%s%s", ok.output(), ok.errors()).isZero();
    assertThat(ok.output()).startsWith("HTTP/1.1 200").contains("scraped_things_total 3.0");

    Processes.Result wrong = curl(concat(tls, "-u", "prometheus:nope", url));
    assertThat(wrong.output())
        .startsWith("HTTP/1.1 401")
        .containsIgnoringCase("WWW-Authenticate: Basic realm=\"prometheus\"")
        .doesNotContain("scraped_things_total");
    Processes.Result none = curl(concat(tls, url));
    assertThat(none.output()).startsWith("HTTP/1.1 401");

    // No client certificate: the TLS handshake is refused, nothing is served.
    Processes.Result noCert = curl("--cacert", path("server.pem"), "-u", "prometheus:" + PASSWORD, url);
    assertThat(noCert.exitCode()).isNotZero();
    assertThat(noCert.output()).doesNotContain("scraped_things_total");
    // Plain HTTP to the TLS port gets nothing either.
    Processes.Result plain =
        curl("-u", "prometheus:" + PASSWORD, "http://127.0.0.1:" + exporter.port() + "/metrics");
    assertThat(plain.output()).doesNotContain("scraped_things_total");
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }

  @Test
  void anAddressOutsideTheAllowedNetworksGets403() throws Exception {
    MetricsExporter exporter = start("prometheus.allowed-networks", "10.0.0.0/8,fd00::/8");
    Processes.Result denied = curl("http://127.0.0.1:" + exporter.port() + "/metrics");
    assertThat(denied.output()).startsWith("HTTP/1.1 403").doesNotContain("scraped_things_total");
    MetricsExporter.stopRunning();
    MetricsExporter allowed = start("prometheus.allowed-networks", "10.0.0.0/8,127.0.0.0/8");
    assertThat(curl("http://127.0.0.1:" + allowed.port() + "/metrics").output())
        .startsWith("HTTP/1.1 200")
        .contains("scraped_things_total 3.0");
  }

  @Test
  void badTlsSettingsFailStartUpNamingTheKey() {
    assertThatThrownBy(() -> start("prometheus.export.tls.keystore", path("missing.p12")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.export.tls.keystore=")
        .hasMessageContaining("cannot read this file");
    assertThatThrownBy(
            () ->
                start(
                    "prometheus.export.tls.keystore", path("server.p12"),
                    "prometheus.export.tls.keystore-password", "wrong-password"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.export.tls.keystore-password")
        .hasMessageNotContaining("wrong-password");
    assertThatThrownBy(
            () ->
                start(
                    "prometheus.export.tls.keystore", path("server.pem"),
                    "prometheus.export.tls.keystore-password", STORE_PASSWORD))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.export.tls.keystore=");
    assertThatThrownBy(
            () ->
                start(
                    "prometheus.export.tls.keystore", path("server.p12"),
                    "prometheus.export.tls.keystore-password", STORE_PASSWORD,
                    "prometheus.export.tls.client-auth", "need"))
        .hasMessageContaining("prometheus.export.tls.client-auth")
        .hasMessageContaining("need prometheus.export.tls.truststore");
    assertThatThrownBy(() -> start("prometheus.export.tls.keystore-password", STORE_PASSWORD))
        .hasMessageContaining("prometheus.export.tls.keystore-password")
        .hasMessageNotContaining(STORE_PASSWORD);
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void aRealPrometheusScrapesWithTheRightCredentialsAndNotWithWrongOnes() throws Exception {
    MetricsExporter exporter =
        start(
            "prometheus.auth.username", "prometheus",
            "prometheus.auth.password-sha256", sha256Hex(PASSWORD),
            "prometheus.export.tls.keystore", path("server.p12"),
            "prometheus.export.tls.keystore-password", STORE_PASSWORD,
            "prometheus.export.tls.truststore", path("trust.p12"),
            "prometheus.export.tls.truststore-password", STORE_PASSWORD,
            "prometheus.export.tls.client-auth", "need");
    String target = "127.0.0.1:" + exporter.port();
    String tls =
        "    scheme: https\n    tls_config:\n      ca_file: " + path("server.pem")
            + "\n      cert_file: " + path("client.pem")
            + "\n      key_file: " + path("client-key.pem") + "\n";
    String config =
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
            + job("right", target, PASSWORD, tls)
            + job("wrong", target, "not-it", tls)
            + "  - job_name: nocert\n    scheme: https\n    tls_config:\n      ca_file: "
            + path("server.pem")
            + "\n    basic_auth:\n      username: prometheus\n      password: " + PASSWORD
            + "\n    static_configs:\n      - targets: ['" + target + "']\n";
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    int port = FreePorts.next();
    try (ServerProcess prometheus =
        ServerProcess.command(
                Tools.require("prometheus").toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .readyWhen(Probe.http("http://127.0.0.1:" + port + "/-/ready"))
            .startTimeout(Duration.ofSeconds(60))
            .start()) {
      assertThat(awaitUp(port, "right", prometheus)).isEqualTo("1");
      assertThat(awaitUp(port, "wrong", prometheus)).isEqualTo("0");
      assertThat(awaitUp(port, "nocert", prometheus)).isEqualTo("0");
      assertThat(query(port, "scraped_things_total{job=\"right\"}")).contains("\"3\"]");
    }
  }

  private static String job(String name, String target, String password, String tls) {
    return "  - job_name: " + name + "\n" + tls
        + "    basic_auth:\n      username: prometheus\n      password: '" + password + "'\n"
        + "    static_configs:\n      - targets: ['" + target + "']\n";
  }

  private static String query(int port, String promql) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + port + "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /** The value of {@code up} for the job, once Prometheus has scraped it (60 s at most). */
  private static String awaitUp(int port, String job, ServerProcess prometheus) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      String body = query(port, "up{job=\"" + job + "\"}");
      int at = body.indexOf("\"value\":[");
      if (at >= 0) {
        String value = body.substring(at);
        return value.substring(value.indexOf(",\"") + 2, value.indexOf("\"]"));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Prometheus did not scrape job " + job + " within 60 s: " + body + "\n" + prometheus.output());
      }
      Thread.sleep(250);
    }
  }
}
