package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.MetricStore;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Instrumentation that throws, on a real Tomcat: a view resolver that throws, a metric store that
 * cannot be written, a collector that throws during a scrape. The application's responses are
 * compared with those of the same application without the library.
 */
class InstrumentationFaultsIT {
  private static final String HELLO = "io.github.javaprometheus.servlet.InstrumentationFaultsIT$Hello";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<TomcatServer> servers = new ArrayList<>();

  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setStatus(201);
      resp.setContentType("text/plain;charset=UTF-8");
      resp.setHeader("X-App", "hello");
      resp.getWriter().write("hello " + req.getMethod() + " " + req.getParameter("n"));
    }
  }

  static final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("boom");
    }
  }

  /** What a client sees of a response; Tomcat's 500 page shows a stack trace, so its body is left out. */
  record Seen(int status, String contentType, String xApp, String body) {}

  @AfterEach
  void stop() throws Exception {
    for (TomcatServer s : servers) {
      s.close();
    }
  }

  private TomcatServer app(Filter... filters) throws Exception {
    TomcatServer s = new TomcatServer();
    for (int i = 0; i < filters.length; i++) {
      s.filter("f" + i, filters[i]);
    }
    s.servlet("/hello/", new Hello()).servlet("/boom/", new Boom());
    s.servlet("/metrics", new MetricsServlet(registry)).start();
    servers.add(s);
    return s;
  }

  private TomcatServer instrumented(HttpMetrics metrics, ViewResolver... resolvers) throws Exception {
    return app(new PrometheusBeforeFilter(metrics), new PrometheusAfterFilter(metrics, List.of(resolvers)));
  }

  private HttpResponse<String> send(TomcatServer s, String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(s.url(path)))
            .method(method, HttpRequest.BodyPublishers.ofString("body"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Four requests: two answered by Hello, one that throws, one no servlet matches. */
  private List<Seen> exercise(TomcatServer s) throws Exception {
    List<Seen> seen = new ArrayList<>();
    String[][] requests = {{"GET", "/hello/?n=1"}, {"POST", "/hello/?n=2"}, {"GET", "/boom/"}, {"GET", "/missing/"}};
    for (String[] r : requests) {
      HttpResponse<String> response = send(s, r[0], r[1]);
      seen.add(
          new Seen(
              response.statusCode(),
              response.headers().firstValue("Content-Type").orElse(null),
              response.headers().firstValue("X-App").orElse(null),
              response.statusCode() == 500 ? "" : response.body()));
    }
    return seen;
  }

  /** Waits (10 s at most) until the before filter has recorded {@code n} responses. */
  private TextScrape awaitResponses(double n) throws InterruptedException {
    String series = "java_http_responses_before_middlewares_total";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape scrape = TextScrape.of(registry);
    while (scrape.valueOrZero(series) != n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(series + " did not reach " + n + " within 10 s:\n" + scrape.text());
      }
      Thread.sleep(10);
      scrape = TextScrape.of(registry);
    }
    return TextScrape.of(registry);
  }

  /** Waits (10 s at most) until {@code series} reaches {@code n} (recorded after the response). */
  private TextScrape await(String series, double n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape scrape = TextScrape.of(registry);
    while (scrape.valueOrZero(series) != n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(series + " did not reach " + n + " within 10 s:\n" + scrape.text());
      }
      Thread.sleep(10);
      scrape = TextScrape.of(registry);
    }
    return scrape;
  }

  @Test
  void aViewResolverThatThrowsIsSkippedCountedAndChangesNoResponse() throws Exception {
    HttpMetrics metrics = HttpMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    ViewResolver throwing =
        (request, response) -> {
          throw new IllegalStateException("a resolver bug");
        };
    List<Seen> withLibrary = exercise(instrumented(metrics, throwing));
    List<Seen> without = exercise(app());

    assertThat(withLibrary).isEqualTo(without);
    assertThat(withLibrary.get(0)).isEqualTo(new Seen(201, "text/plain;charset=UTF-8", "hello", "hello GET 1"));
    TextScrape s = awaitResponses(4);
    // Asked once per request and failing each time; the next resolver (the servlet's class) answers.
    assertThat(s.value("java_instrumentation_errors_total{component=\"http\"}")).isEqualTo(4.0);
    assertThat(s.samplesStartingWith("java_http_requests_total_by_view_transport_method_total"))
        .containsExactlyInAnyOrder(
            "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"<unnamed view>\"} 1.0",
            "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + HELLO + "\"} 1.0",
            "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"io.github.javaprometheus.servlet.InstrumentationFaultsIT$Boom\"} 1.0",
            "java_http_requests_total_by_view_transport_method_total{method=\"POST\",transport=\"http\",view=\"" + HELLO + "\"} 1.0");
    assertThat(s.value("java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"}")).isEqualTo(1.0);
  }

  @Test
  void aStoreThatCannotBeWrittenChangesNoResponseAndEveryFailureIsCounted() throws Exception {
    MetricFamilies families =
        MetricFamilies.create(
            PrometheusSettings.defaults(), registry, new UnwritableStore(MetricStore.inRegistry(registry)));
    HttpMetrics metrics = HttpMetrics.create(families);
    List<Seen> withLibrary = exercise(instrumented(metrics));
    List<Seen> without = exercise(app());

    assertThat(withLibrary).isEqualTo(without);
    // Each request: the before filter's two increments fail (requests, responses), the after
    // filter's first one fails and it lets the request through unmeasured: 3 per request. The
    // histograms are still written: the before filter's latency counts every request.
    TextScrape s = await("java_instrumentation_errors_total{component=\"http\"}", 12);
    assertThat(s.value("java_http_requests_latency_including_middlewares_seconds_count")).isEqualTo(4.0);
    assertThat(s.value("java_http_requests_before_middlewares_total")).isEqualTo(0.0);
    assertThat(s.value("java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"" + HELLO + "\"}")).isNull();
  }

  @Test
  void aCollectorThatThrowsFailsOnlyTheScrapeAndOursDoNot() throws Exception {
    HttpMetrics metrics = HttpMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    TomcatServer app = instrumented(metrics);
    Collector broken =
        () -> {
          throw new IllegalStateException("a user's collector failed");
        };
    registry.register(broken);

    List<Seen> withBrokenCollector = exercise(app);
    assertThat(withBrokenCollector).isEqualTo(exercise(app()));
    // client_java's registry collects every collector into one snapshot: one that throws fails the
    // whole scrape (an HTTP 500 here, up == 0 for Prometheus). The application is not affected.
    assertThat(send(app, "GET", "/metrics").statusCode()).isEqualTo(500);

    registry.unregister(broken);
    awaitResponses(5);
    HttpResponse<String> scrape = send(app, "GET", "/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    TextScrape s = TextScrape.parse(scrape.body());
    // Four application requests and the failed scrape were measured; this scrape is still running.
    assertThat(s.value("java_http_responses_before_middlewares_total")).isEqualTo(5.0);
    assertThat(s.value("java_http_responses_total_by_status_total{status=\"500\"}")).isEqualTo(2.0);
    assertThat(s.value("java_instrumentation_errors_total{component=\"http\"}")).isNull();
  }
}
