package io.github.javaprometheus.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsExporterTest {

  private static final String LOOPBACK = "127.0.0.1";

  // Held in a field: JUL keeps loggers weakly, and the handler must stay attached.
  private final Logger julLogger = Logger.getLogger(MetricsExporter.class.getName());
  private final List<LogRecord> logRecords = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logRecords.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final List<ServerSocket> blockers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    MetricsExporter.stopRunning();
    julLogger.addHandler(capture);
    // The records are asserted here; printing them too would only bury real failures.
    julLogger.setUseParentHandlers(false);
  }

  @AfterEach
  void tearDown() throws IOException {
    MetricsExporter.stopRunning();
    julLogger.removeHandler(capture);
    julLogger.setUseParentHandlers(true);
    for (ServerSocket s : blockers) {
      s.close();
    }
  }

  @Test
  void servesMetricsOfTheGivenRegistryOverHttp() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter events =
        Counter.builder().name("exporter_test_events").help("events seen").register(registry);
    events.inc(3);

    MetricsExporter exporter = start(settings("0"), registry);

    HttpResponse<String> response = get(exporter.port(), "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TextScrape.parse(response.body()).value("exporter_test_events_total"))
        .isEqualTo(3.0);

    // Scrapes read the registry live, not a snapshot taken at start.
    events.inc();
    assertThat(TextScrape.parse(get(exporter.port(), "/metrics").body())
            .value("exporter_test_events_total"))
        .isEqualTo(4.0);
  }

  @Test
  void portZeroPicksAFreePortAndListensOnIt() throws Exception {
    MetricsExporter exporter = start(settings("0"), new PrometheusRegistry());

    assertThat(exporter.port()).isPositive();
    assertThat(exporter.address()).isEqualTo(LOOPBACK);
    assertThat(exporter.isRunning()).isTrue();
    assertThat(exporter).hasToString(LOOPBACK + ":" + exporter.port());
    try (Socket socket = new Socket(LOOPBACK, exporter.port())) {
      assertThat(socket.isConnected()).isTrue();
    }
  }

  @Test
  void rangeUsesItsFirstPortWhenFree() throws Exception {
    int first = FreePorts.firstOfConsecutive(2);

    MetricsExporter exporter =
        start(rangeSettings(first + "-" + (first + 1)), new PrometheusRegistry());

    assertThat(exporter.port()).isEqualTo(first);
    assertThat(get(first, "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void rangeSkipsAnOccupiedPortAndLogsTheChosenOne() throws Exception {
    int first = FreePorts.firstOfConsecutive(2);
    block(first);

    MetricsExporter exporter =
        start(rangeSettings(first + "-" + (first + 1)), new PrometheusRegistry());

    assertThat(exporter.port()).isEqualTo(first + 1);
    assertThat(get(first + 1, "/metrics").statusCode()).isEqualTo(200);
    assertThat(messages(Level.INFO))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains(LOOPBACK + ":" + (first + 1))
                    .contains("prometheus.export.port-range " + first + "-" + (first + 1)));
  }

  @Test
  void rangeWinsOverASinglePort() throws Exception {
    int first = FreePorts.firstOfConsecutive(2);
    PrometheusSettings settings =
        PrometheusSettings.builder()
            .set("prometheus.export.address", LOOPBACK)
            .set("prometheus.export.port", "0")
            .set("prometheus.export.port-range", first + "-" + (first + 1))
            .build();

    assertThat(start(settings, new PrometheusRegistry()).port()).isEqualTo(first);
  }

  @Test
  void aTakenSinglePortFailsNamingPortAddressAndSetting() throws Exception {
    int port = FreePorts.next();
    block(port);

    PrometheusSettings settings = settings(String.valueOf(port));

    assertThatThrownBy(() -> MetricsExporter.start(settings, new PrometheusRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot start the Prometheus exporter on " + LOOPBACK + ":" + port)
        .hasMessageContaining("port " + port + " is already in use")
        .hasMessageContaining("prometheus.export.port / PROMETHEUS_METRICS_EXPORT_PORT");
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void aRangeWithEveryPortTakenFailsNamingTheRange() throws Exception {
    int first = FreePorts.firstOfConsecutive(2);
    block(first);
    block(first + 1);
    String range = first + "-" + (first + 1);

    assertThatThrownBy(() -> MetricsExporter.start(rangeSettings(range), new PrometheusRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("every port of prometheus.export.port-range " + range)
        .hasMessageContaining("already in use");
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void startingTwiceReturnsTheSameExporterAndBindsOnce() throws Exception {
    // A fixed port: a second bind would fail with "already in use", so success proves one bind.
    int port = FreePorts.next();
    PrometheusRegistry registry = new PrometheusRegistry();

    MetricsExporter first = start(settings(String.valueOf(port)), registry);
    MetricsExporter second = start(settings(String.valueOf(port)), registry);

    assertThat(second).isSameAs(first);
    assertThat(second.port()).isEqualTo(port);
    assertThat(MetricsExporter.running()).containsSame(first);
    assertThat(messages(Level.WARNING)).isEmpty();
  }

  @Test
  void concurrentStartsShareOneExporter() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<MetricsExporter>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<MetricsExporter> task =
            () -> {
              go.await();
              return MetricsExporter.start(settings("0"), registry).orElseThrow();
            };
        results.add(pool.submit(task));
      }
      go.countDown();
      MetricsExporter expected = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<MetricsExporter> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondStartWithAnotherRegistryKeepsTheFirstAndWarns() throws Exception {
    PrometheusRegistry firstRegistry = new PrometheusRegistry();
    Counter.builder().name("first_registry_marker").help("m").register(firstRegistry).inc();
    PrometheusRegistry secondRegistry = new PrometheusRegistry();
    Counter.builder().name("second_registry_marker").help("m").register(secondRegistry).inc();

    MetricsExporter first = start(settings("0"), firstRegistry);
    MetricsExporter second = start(settings("0"), secondRegistry);

    assertThat(second).isSameAs(first);
    assertThat(second.registry()).isSameAs(firstRegistry);
    TextScrape scrape = TextScrape.parse(get(first.port(), "/metrics").body());
    assertThat(scrape.value("first_registry_marker_total")).isEqualTo(1.0);
    assertThat(scrape.value("second_registry_marker_total")).isNull();
    assertThat(messages(Level.WARNING))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("already serving " + LOOPBACK + ":" + first.port())
                    .contains("another registry")
                    .contains("first exporter keeps serving"));
  }

  @Test
  void aSecondStartWithAnotherPortKeepsTheFirstAndWarns() throws Exception {
    MetricsExporter first = start(settings("0"), new PrometheusRegistry());
    int otherPort = FreePorts.next();

    MetricsExporter second = start(settings(String.valueOf(otherPort)), first.registry());

    assertThat(second).isSameAs(first);
    assertThat(messages(Level.WARNING))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("prometheus.export.port=" + otherPort));
  }

  @Test
  void anUnresolvableAddressFailsNamingTheKey() {
    PrometheusSettings settings =
        PrometheusSettings.builder()
            .set("prometheus.export.address", "no-such-host.invalid")
            .set("prometheus.export.port", "0")
            .build();

    assertThatThrownBy(() -> MetricsExporter.start(settings, new PrometheusRegistry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prometheus.export.address='no-such-host.invalid'");
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void nothingStartsWithoutAPortOrWhenDisabled() {
    PrometheusRegistry registry = new PrometheusRegistry();
    PrometheusSettings disabled =
        PrometheusSettings.builder()
            .set("prometheus.enabled", "false")
            .set("prometheus.export.port", "0")
            .build();

    assertThat(MetricsExporter.start(PrometheusSettings.defaults(), registry)).isEmpty();
    assertThat(MetricsExporter.start(disabled, registry)).isEmpty();
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void stopRunningFreesThePortAndAllowsARebind() throws Exception {
    int port = FreePorts.next();
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricsExporter first = start(settings(String.valueOf(port)), registry);

    assertThat(MetricsExporter.stopRunning()).isTrue();
    assertThat(first.isRunning()).isFalse();
    assertThat(MetricsExporter.running()).isEmpty();
    assertThat(MetricsExporter.stopRunning()).isFalse();
    try (ServerSocket probe = new ServerSocket(port, 50, InetAddress.getByName(LOOPBACK))) {
      assertThat(probe.getLocalPort()).isEqualTo(port);
    }

    MetricsExporter again = start(settings(String.valueOf(port)), registry);
    assertThat(again).isNotSameAs(first);
    assertThat(again.port()).isEqualTo(port);
  }

  @Test
  void closingTheHandleStopsTheJvmWideExporter() throws Exception {
    MetricsExporter exporter = start(settings("0"), new PrometheusRegistry());

    exporter.close();
    exporter.close(); // idempotent

    assertThat(exporter.isRunning()).isFalse();
    assertThat(MetricsExporter.running()).isEmpty();
  }

  @Test
  void aClientJavaPortThatWouldOverrideOursIsRefused() {
    MetricsExporter.Request single = MetricsExporter.Request.of(settings("8001"));
    MetricsExporter.Request range = MetricsExporter.Request.of(rangeSettings("8001-8002"));

    MetricsExporter.checkClientJavaPort(single, null);
    MetricsExporter.checkClientJavaPort(single, 8001);
    assertThatThrownBy(() -> MetricsExporter.checkClientJavaPort(single, 9400))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io.prometheus.exporter.httpServer.port=9400")
        .hasMessageContaining("prometheus.export.port=8001");
    assertThatThrownBy(() -> MetricsExporter.checkClientJavaPort(range, 8001))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("prometheus.export.port-range=8001-8002");
  }

  @Test
  void ipv6AddressesAreBracketedInMessages() {
    assertThat(MetricsExporter.hostPort("::1", 8001)).isEqualTo("[::1]:8001");
    assertThat(MetricsExporter.hostPort("0.0.0.0", 8001)).isEqualTo("0.0.0.0:8001");
  }

  // ---- helpers ----

  private static PrometheusSettings settings(String port) {
    return PrometheusSettings.builder()
        .set("prometheus.export.address", LOOPBACK)
        .set("prometheus.export.port", port)
        .build();
  }

  private static PrometheusSettings rangeSettings(String range) {
    return PrometheusSettings.builder()
        .set("prometheus.export.address", LOOPBACK)
        .set("prometheus.export.port-range", range)
        .build();
  }

  private static MetricsExporter start(PrometheusSettings settings, PrometheusRegistry registry) {
    Optional<MetricsExporter> exporter = MetricsExporter.start(settings, registry);
    assertThat(exporter).isPresent();
    return exporter.orElseThrow();
  }

  private void block(int port) throws IOException {
    blockers.add(new ServerSocket(port, 50, InetAddress.getByName(LOOPBACK)));
  }

  private List<String> messages(Level level) {
    List<String> result = new ArrayList<>();
    for (LogRecord r : logRecords) {
      if (r.getLevel().equals(level)) {
        result.add(r.getMessage());
      }
    }
    return result;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
