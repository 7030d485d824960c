package io.github.javaprometheus.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * The processes of the exemplar and native-histogram tests: the packaged demo jar (optionally with
 * the OpenTelemetry Java agent), a real Prometheus, and HTTP to both.
 */
final class Servers {
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private Servers() {}

  /** A demo jar not yet started, on free loopback ports. */
  record Demo(int appPort, int exporterPort, ServerProcess process) {}

  /**
   * The demo jar in {@code dir} with the given environment and JVM options (before {@code -jar});
   * ready when its application port accepts connections (a probe that sends no request).
   */
  static Demo demo(Path dir, Map<String, String> environment, List<String> jvmOptions) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path jar = Path.of(System.getProperty("demo.jar"));
    assertThat(jar).as("the demo jar (built by the demo module)").exists();
    int app = FreePorts.next();
    int exporter = FreePorts.next();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + app, "--server.address=127.0.0.1"));
    ServerProcess.Builder b =
        ServerProcess.command(cmd)
            .directory(dir)
            .environment("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporter))
            .environment("PROMETHEUS_METRICS_EXPORT_ADDRESS", "127.0.0.1")
            .readyWhen(Probe.tcp("127.0.0.1", app))
            .startTimeout(Duration.ofSeconds(150));
    environment.forEach(b::environment);
    return new Demo(app, exporter, b.build());
  }

  /**
   * The OpenTelemetry Java agent's options: the jar that Maven copied to {@code target/otel}, no
   * exporter of traces, metrics or logs (nothing listens), W3C trace context. A missing jar fails.
   */
  static List<String> otelAgent() {
    String property = System.getProperty("otel.agent.jar");
    assertThat(property).as("system property otel.agent.jar (set by monitoring/pom.xml)").isNotNull();
    Path agent = Path.of(property);
    assertThat(agent).as("the OpenTelemetry Java agent, copied by maven-dependency-plugin").exists();
    return List.of(
        "-javaagent:" + agent,
        "-Dotel.traces.exporter=none",
        "-Dotel.metrics.exporter=none",
        "-Dotel.logs.exporter=none",
        "-Dotel.propagators=tracecontext");
  }

  /** Starts the processes side by side (each waits until ready) and returns when all are. */
  static void startAll(ServerProcess... processes) {
    CompletableFuture<?>[] started = new CompletableFuture<?>[processes.length];
    for (int i = 0; i < processes.length; i++) {
      ServerProcess p = processes[i];
      started[i] = CompletableFuture.runAsync(p::start);
    }
    CompletableFuture.allOf(started).join();
  }

  /** A real Prometheus (Debian's) with this configuration and these feature flags, not started. */
  static ServerProcess prometheus(Path dir, int port, String config, String... features) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("prometheus.yml"), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Tools.require("prometheus").toString());
    cmd.add("--config.file=" + dir.resolve("prometheus.yml"));
    cmd.add("--storage.tsdb.path=" + dir.resolve("tsdb"));
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    for (String f : features) {
      cmd.add("--enable-feature=" + f);
    }
    return ServerProcess.command(cmd)
        .readyWhen(Probe.http("http://127.0.0.1:" + port + "/-/ready"))
        .startTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** A GET with the given headers (name, value, name, value…); fails on a transport error. */
  static HttpResponse<String> get(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(url + ": interrupted", e);
    }
  }

  /** One OpenMetrics scrape of a demo's exporter. */
  static List<OpenMetricsSamples.Sample> scrapeOpenMetrics(int exporterPort) {
    HttpResponse<String> r = get("http://127.0.0.1:" + exporterPort + "/metrics", "Accept", OPENMETRICS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
    return OpenMetricsSamples.parse(r.body());
  }

  /** The {@code data} of a successful Prometheus API answer. */
  static JsonNode api(int prometheusPort, String path) {
    HttpResponse<String> r = get("http://127.0.0.1:" + prometheusPort + path);
    JsonNode json = Shipped.parse(r.body());
    assertThat(json.get("status").asString()).withFailMessage("%s -> %s", path, r.body()).isEqualTo("success");
    return json.get("data");
  }

  /** The result of an instant query. */
  static JsonNode query(int prometheusPort, String promql) {
    return api(prometheusPort, "/api/v1/query?query=" + encode(promql)).get("result");
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Sleeps a little; used inside loops that check their own deadline. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
