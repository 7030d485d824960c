package io.github.javaprometheus.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@link MetricsPusher} against a real Pushgateway (Debian's {@code prometheus-pushgateway}),
 * read back through the Pushgateway's own {@code /metrics}: the pushed families with the job and
 * grouping labels and exact values, at close, periodically, with basic auth over HTTPS, and a job
 * whose Pushgateway is down or silent keeping its exit code, with one log line and a bounded wait.
 */
class MetricsPusherIT {
  private static final String PASSWORD = "pu$h-it!";
  private static final String STORE_PASSWORD = "changeit";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private static PrometheusSettings settings(String... keyValues) {
    PrometheusSettings.Builder b = PrometheusSettings.builder();
    for (int i = 0; i < keyValues.length; i += 2) {
      b.set(keyValues[i], keyValues[i + 1]);
    }
    return b.build();
  }

  /** A Pushgateway on a free loopback port, without persistence; {@code webConfig} may be null. */
  private int pushgateway(Path webConfig) {
    int port = FreePorts.next();
    List<String> cmd = new ArrayList<>();
    cmd.add(Tools.require("prometheus-pushgateway").toString());
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.add("--persistence.file=");
    if (webConfig != null) {
      cmd.add("--web.config.file=" + webConfig);
    }
    Probe ready =
        webConfig == null
            ? Probe.http("http://127.0.0.1:" + port + "/-/ready")
            : Probe.tcp("127.0.0.1", port);
    ServerProcess gateway = ServerProcess.command(cmd).readyWhen(ready).start();
    resources.add(gateway);
    return port;
  }

  private int pushgateway() {
    return pushgateway(null);
  }

  private static String scrape(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The lines of {@code exposition} of family {@code name} (its samples, without comments). */
  private static List<String> samples(String exposition, String name) {
    return exposition
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .collect(Collectors.toList());
  }

  @Test
  void pushesTheRegistryAtCloseWithJobAndGroupingKeyLabels() throws Exception {
    int port = pushgateway();
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    CounterDataPoint csv =
        families.counter("batch_records", "Records imported.", "source").label("csv");
    MetricsPusher pusher =
        MetricsPusher.start(
            settings(
                "prometheus.pushgateway.address", "127.0.0.1:" + port,
                "prometheus.pushgateway.job", "nightly-import",
                "prometheus.pushgateway.grouping-key", "instance=batch-1,env=prod"),
            registry);
    assertThat(pusher.job()).isEqualTo("nightly-import");
    assertThat(pusher)
        .hasToString("http://127.0.0.1:" + port + " (job=nightly-import, instance=batch-1, env=prod)");
    csv.inc(42);
    families.gauge("batch_rows_left", "Rows still to import.").set(3);
    assertThat(samples(scrape(port), "java_batch_records_total")).isEmpty();

    pusher.close();

    String pushed = scrape(port);
    assertThat(samples(pushed, "java_batch_records_total"))
        .containsExactly(
            "java_batch_records_total{env=\"prod\",instance=\"batch-1\",job=\"nightly-import\","
                + "source=\"csv\"} 42");
    assertThat(samples(pushed, "java_batch_rows_left"))
        .containsExactly(
            "java_batch_rows_left{env=\"prod\",instance=\"batch-1\",job=\"nightly-import\"} 3");
    assertThat(pusher.isActive()).isFalse();
    pusher.close(); // a second close pushes nothing and does not fail
  }

  @Test
  void pushesEveryIntervalWhileTheJobRuns() throws Exception {
    int port = pushgateway();
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    CounterDataPoint records = families.counter("batch_records", "Records imported.").noLabels();
    try (MetricsPusher pusher =
        MetricsPusher.start(
            settings(
                "prometheus.pushgateway.address", "http://127.0.0.1:" + port,
                "prometheus.pushgateway.job", "stream",
                "prometheus.pushgateway.interval", "0.2"),
            registry)) {
      records.inc(1);
      awaitSample(port, "java_batch_records_total{instance=\"\",job=\"stream\"} 1");
      records.inc(4);
      awaitSample(port, "java_batch_records_total{instance=\"\",job=\"stream\"} 5");
      assertThat(pusher.isActive()).isTrue();
    }
  }

  private static void awaitSample(int port, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = scrape(port);
      if (last.lines().anyMatch(line::equals)) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(last.lines()).as("Pushgateway /metrics").contains(line);
  }

  @Test
  void pushesWithBasicAuthOverHttpsTrustingTheConfiguredTruststore() throws Exception {
    Path dir = Files.createTempDirectory("pushgateway-tls");
    resources.add(() -> ServerProcess.deleteRecursively(dir));
    certificates(dir);
    Path webConfig = dir.resolve("web.yml");
    Files.writeString(
        webConfig,
        "tls_server_config:\n"
            + "  cert_file: " + dir.resolve("server.pem") + "\n"
            + "  key_file: " + dir.resolve("server-key.pem") + "\n"
            + "basic_auth_users:\n"
            + "  pusher: '" + new BCryptPasswordEncoder().encode(PASSWORD) + "'\n");
    int port = pushgateway(webConfig);
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    families.counter("batch_records", "Records imported.").noLabels().inc(9);
    String address = "https://127.0.0.1:" + port;
    String trust = dir.resolve("trust.p12").toString();

    try (MetricsPusher wrong =
        MetricsPusher.start(
            settings(
                "prometheus.pushgateway.address", address,
                "prometheus.pushgateway.job", "secure",
                "prometheus.pushgateway.username", "pusher",
                "prometheus.pushgateway.password", "not-it",
                "prometheus.pushgateway.tls.truststore", trust,
                "prometheus.pushgateway.tls.truststore-password", STORE_PASSWORD),
            registry)) {
      assertThat(wrong.push()).isFalse();
    }
    try (MetricsPusher noTrust =
        MetricsPusher.start(
            settings(
                "prometheus.pushgateway.address", address,
                "prometheus.pushgateway.job", "secure",
                "prometheus.pushgateway.username", "pusher",
                "prometheus.pushgateway.password", PASSWORD),
            registry)) {
      assertThat(noTrust.push()).as("the JVM's default trust does not know the certificate")
          .isFalse();
    }
    assertThat(samples(scrapeHttps(port, dir), "java_batch_records_total")).isEmpty();

    MetricsPusher pusher =
        MetricsPusher.start(
            settings(
                "prometheus.pushgateway.address", address,
                "prometheus.pushgateway.job", "secure",
                "prometheus.pushgateway.username", "pusher",
                "prometheus.pushgateway.password", PASSWORD,
                "prometheus.pushgateway.tls.truststore", trust,
                "prometheus.pushgateway.tls.truststore-password", STORE_PASSWORD),
            registry);
    assertThat(pusher.toString()).doesNotContain(PASSWORD);
    pusher.close();
    assertThat(samples(scrapeHttps(port, dir), "java_batch_records_total"))
        .containsExactly("java_batch_records_total{instance=\"\",job=\"secure\"} 9");
  }

  private static String scrapeHttps(int port, Path dir) throws Exception {
    KeyStore trust = KeyStore.getInstance(dir.resolve("trust.p12").toFile(), STORE_PASSWORD.toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
    String auth =
        Base64.getEncoder().encodeToString(("pusher:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics"))
                .header("Authorization", "Basic " + auth)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** server.pem/server-key.pem for the Pushgateway, trust.p12 with its certificate for us. */
  private static void certificates(Path dir) {
    String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
    String p12 = dir.resolve("server.p12").toString();
    run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-validity", "2",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", p12,
        "-storepass", STORE_PASSWORD);
    run(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", p12, "-storepass",
        STORE_PASSWORD, "-file", dir.resolve("server.pem").toString());
    run(keytool, "-importcert", "-noprompt", "-alias", "server", "-file",
        dir.resolve("server.pem").toString(), "-keystore", dir.resolve("trust.p12").toString(),
        "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
    run(Tools.require("openssl").toString(), "pkcs12", "-in", p12, "-nocerts", "-nodes",
        "-passin", "pass:" + STORE_PASSWORD, "-out", dir.resolve("server-key.pem").toString());
  }

  private static void run(String... command) {
    Processes.run(Duration.ofSeconds(60), command).requireSuccess();
  }

  // ---- a job in its own JVM ----

  private record Job(int exitCode, List<String> stderr, Duration took) {}

  private static Job runJob(String mode, String address, String timeout) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n");
    cmd.add("-Dprometheus.pushgateway.address=" + address);
    cmd.add("-Dprometheus.pushgateway.job=exit-job");
    cmd.add("-Dprometheus.pushgateway.timeout=" + timeout);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PushAtExitMain.class.getName());
    cmd.add(mode);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("PROMETHEUS_"));
    long start = System.nanoTime();
    Processes.Result r = Processes.run(Duration.ofSeconds(60), pb, null);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Job(r.exitCode(), r.errors().lines().collect(Collectors.toList()), took);
  }

  @Test
  void aJobEndingWithSystemExitPushesFromItsShutdownHook() throws Exception {
    int port = pushgateway();
    Job job = runJob("exit3", "127.0.0.1:" + port, "5");
    assertThat(job.exitCode()).isEqualTo(3);
    assertThat(job.stderr()).noneMatch(l -> l.startsWith("WARNING"));
    assertThat(samples(scrape(port), "java_batch_records_total"))
        .containsExactly("java_batch_records_total{instance=\"\",job=\"exit-job\"} 7");
  }

  @Test
  void aPushgatewayThatIsDownAtExitIsOneLogLineAndTheExitCodeIsTheJobs() throws Exception {
    int closedPort = FreePorts.next(); // nothing listens there
    for (String mode : List.of("exit3", "return")) {
      Job job = runJob(mode, "127.0.0.1:" + closedPort, "5");
      assertThat(job.exitCode()).isEqualTo(mode.equals("exit3") ? 3 : 0);
      assertOneWarning(job, "http://127.0.0.1:" + closedPort, "ConnectException");
      assertThat(job.took()).isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void aPushgatewayThatNeverAnswersDelaysTheExitByTheTimeoutOnly() throws Exception {
    // Accepts connections (the kernel's backlog) but never reads or answers.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + silent.getLocalPort();
      Job quick = runJob("return", "127.0.0.1:" + FreePorts.next(), "1");
      Job job = runJob("exit3", address, "2");
      assertThat(job.exitCode()).isEqualTo(3);
      assertOneWarning(job, "http://" + address, "2s");
      // Waited for the timeout, and not much longer than a run whose push fails at once.
      assertThat(job.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(job.took()).isLessThan(quick.took().plus(Duration.ofSeconds(2 + 3)));
    }
  }

  private static void assertOneWarning(Job job, String address, String reason) {
    List<String> warnings =
        job.stderr().stream().filter(l -> l.contains("Pushgateway")).collect(Collectors.toList());
    // The start line (INFO) and exactly one WARNING line, no stack trace.
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).startsWith("INFO: Pushing metrics to the Pushgateway " + address);
    assertThat(warnings.get(1))
        .startsWith(
            "WARNING: Could not push metrics to the Pushgateway "
                + address
                + " (job=exit-job) (last push): ")
        .contains(reason)
        .endsWith("; the job goes on unchanged");
    assertThat(job.stderr()).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
    assertThat(job.stderr()).as(String.join("\n", job.stderr())).hasSize(2);
  }
}
