package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.TextScrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged demo jar run as its own process, configured by environment variables as a
 * deployment would be, on free ports of 127.0.0.1.
 */
final class DemoJar implements AutoCloseable {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final int appPort = FreePorts.next();
  final int exporterPort = FreePorts.next();
  private final ServerProcess process;

  /**
   * Starts the jar in {@code dir} and waits (90 s at most) until its application port accepts
   * connections. Spring Boot opens that port last, after the exporter; the probe sends no request,
   * so it counts in no family.
   */
  DemoJar(Path dir, Map<String, String> environment) {
    Path jar = Path.of(System.getProperty("demo.jar", "target/java-prometheus-demo.jar"));
    assertThat(jar).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerProcess.Builder b =
        ServerProcess.command(java, "-jar", jar.toString(), "--server.port=" + appPort)
            .directory(dir)
            .environment("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporterPort))
            .readyWhen(Probe.tcp("127.0.0.1", appPort))
            .startTimeout(Duration.ofSeconds(90));
    environment.forEach(b::environment);
    process = b.start();
  }

  /** GET of a path on the application port. */
  HttpResponse<String> send(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The body of a GET on the application port. */
  String get(String path) throws IOException, InterruptedException {
    return send(path).body();
  }

  /** One scrape of the dedicated exporter. */
  TextScrape scrape() throws IOException, InterruptedException {
    return scrape(exporterPort);
  }

  static TextScrape scrape(int exporterPort) throws IOException, InterruptedException {
    return TextScrape.parse(
        CLIENT
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporterPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /**
   * Waits (10 s at most) until {@code <prefix>_http_responses_before_middlewares_total} shows
   * {@code responses}, then scrapes once more. The outer filter records that counter last, after
   * the client already has its response; one scrape reads family after family, so the awaited
   * one may show a request that families read earlier in the same scrape did not, hence the
   * fresh scrape.
   */
  static TextScrape awaitResponses(int exporterPort, String prefix, double responses)
      throws IOException, InterruptedException {
    String series = prefix + "_http_responses_before_middlewares_total";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape s = scrape(exporterPort);
    while (s.valueOrZero(series) < responses) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            series + " did not reach " + responses + " within 10 s:\n" + s.text());
      }
      Thread.sleep(20);
      s = scrape(exporterPort);
    }
    return scrape(exporterPort);
  }

  /**
   * Waits (30 s at most) until {@code series} shows exactly {@code expected} (a value set in the
   * background, such as the pool's physical connections) and returns that scrape; fails with the
   * last scrape otherwise.
   */
  TextScrape awaitValue(String series, double expected) throws IOException, InterruptedException {
    return awaitValue(exporterPort, series, expected);
  }

  static TextScrape awaitValue(int exporterPort, String series, double expected)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    TextScrape s = scrape(exporterPort);
    while (s.value(series) == null || s.value(series) != expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            series + " is " + s.value(series) + ", not " + expected + " after 30 s:\n" + s.text());
      }
      Thread.sleep(50);
      s = scrape(exporterPort);
    }
    return s;
  }

  TextScrape awaitResponses(String prefix, double responses)
      throws IOException, InterruptedException {
    return awaitResponses(exporterPort, prefix, responses);
  }

  /** Its output so far, for failure messages. */
  String output() {
    return process.output();
  }

  @Override
  public void close() {
    process.close();
  }
}
