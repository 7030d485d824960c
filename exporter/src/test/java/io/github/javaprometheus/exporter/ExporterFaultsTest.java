package io.github.javaprometheus.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.FreePorts;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exporter faults: bind addresses that are not this machine's, and a scrape still running when the
 * exporter is closed. (Taken ports, an exhausted range and an unresolvable host are in {@link
 * MetricsExporterTest}.)
 */
class ExporterFaultsTest {
  /** TEST-NET-1 (RFC 5737): never an address of this machine. */
  private static final String NOT_LOCAL = "192.0.2.1";

  @BeforeEach
  @AfterEach
  void noExporter() {
    MetricsExporter.stopRunning();
  }

  private static PrometheusSettings settings(String... keyValues) {
    PrometheusSettings.Builder b = PrometheusSettings.builder();
    for (int i = 0; i < keyValues.length; i += 2) {
      b.set(keyValues[i], keyValues[i + 1]);
    }
    return b.build();
  }

  @Test
  void anAddressNotOfThisMachineFailsNamingAddressPortAndKeys() {
    int port = FreePorts.next();
    PrometheusSettings s =
        settings("prometheus.export.address", NOT_LOCAL, "prometheus.export.port", String.valueOf(port));

    assertThatThrownBy(() -> MetricsExporter.start(s, new PrometheusRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot start the Prometheus exporter on " + NOT_LOCAL + ":" + port
                + ": Cannot assign requested address (check prometheus.export.address /"
                + " PROMETHEUS_METRICS_EXPORT_ADDRESS, which must be an address of this machine such"
                + " as 0.0.0.0, and prometheus.export.port / PROMETHEUS_METRICS_EXPORT_PORT)");
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void withARangeAnAddressNotOfThisMachineFailsAtTheFirstPortWithoutTryingTheRest() {
    int first = FreePorts.firstOfConsecutive(3);
    PrometheusSettings s =
        settings(
            "prometheus.export.address", NOT_LOCAL,
            "prometheus.export.port-range", first + "-" + (first + 2));

    assertThatThrownBy(() -> MetricsExporter.start(s, new PrometheusRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot start the Prometheus exporter on " + NOT_LOCAL + ":" + first
                + ": Cannot assign requested address (check prometheus.export.address /"
                + " PROMETHEUS_METRICS_EXPORT_ADDRESS, which must be an address of this machine such"
                + " as 0.0.0.0, and prometheus.export.port-range / PROMETHEUS_METRICS_EXPORT_PORT_RANGE)");
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void aPortTakenOnTheWildcardAddressIsTakenForLoopbackToo() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
      int port = taken.getLocalPort();
      PrometheusSettings s =
          settings("prometheus.export.address", "127.0.0.1", "prometheus.export.port", String.valueOf(port));

      assertThatThrownBy(() -> MetricsExporter.start(s, new PrometheusRegistry()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Cannot start the Prometheus exporter on 127.0.0.1:" + port + ": port " + port
                  + " is already in use (set prometheus.export.port / PROMETHEUS_METRICS_EXPORT_PORT"
                  + " to a free port, or a range with prometheus.export.port-range)");
    }
  }

  /**
   * A collector that blocks the scrape until released (30 s at most), like a callback stuck on a
   * slow pool or file system.
   */
  private static final class Stuck implements Collector {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public MetricSnapshot collect() {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return GaugeSnapshot.builder().name("stuck").build();
    }
  }

  @Test
  void closeReturnsPromptlyWhileAScrapeIsStuckInACollector() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("served").help("h").register(registry).inc();
    Stuck stuck = new Stuck();
    registry.register(stuck);
    MetricsExporter exporter =
        MetricsExporter.start(
                settings("prometheus.export.address", "127.0.0.1", "prometheus.export.port", "0"),
                registry)
            .orElseThrow();
    int port = exporter.port();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    CompletableFuture<HttpResponse<String>> scrape =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    try {
      assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).as("scrape reached the collector").isTrue();

      long start = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(exporter::close);
      closing.get(5, TimeUnit.SECONDS); // fails with a TimeoutException if close hangs
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      // HTTPServer.close() is HttpServer.stop(0): the listener and every open connection are
      // closed at once, without waiting for exchanges in flight; the handler pool is shut down
      // without waiting for it. So close does not depend on the stuck collector at all.
      assertThat(millis).isLessThan(2_000);
      System.out.println("exporter faults: close() during a stuck scrape returned in " + millis + " ms");
      assertThat(exporter.isRunning()).isFalse();
      assertThat(MetricsExporter.running()).isEmpty();
      // The port is free again at once, although the stuck scrape has not finished.
      try (ServerSocket rebound = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
        assertThat(rebound.getLocalPort()).isEqualTo(port);
      }
      assertThat(stuck.release.getCount()).isEqualTo(1); // still stuck while all of this happened
    } finally {
      stuck.release.countDown();
    }
    // The client of the abandoned scrape gets a closed connection, not a response.
    assertThatThrownBy(() -> scrape.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
    // A new exporter binds the same port and serves.
    registry.unregister(stuck);
    MetricsExporter again =
        MetricsExporter.start(
                settings("prometheus.export.address", "127.0.0.1", "prometheus.export.port", String.valueOf(port)),
                registry)
            .orElseThrow();
    HttpResponse<String> ok =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(List.of(ok.body().split("\n"))).contains("served_total 1.0");
    again.close();
  }
}
