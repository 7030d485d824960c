package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusFiltersIT {
  static final String UNICODE = "h\u00e9llo \u2713 \uD83D\uDE00";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client = HttpClient.newHttpClient();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private TomcatServer server;

  static final class MyView extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().write("hello");
    }
  }

  static final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("boom");
    }
  }

  static final class Unicode extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().print(UNICODE);
      resp.getWriter().println();
    }
  }

  /** Writes {@link #UNICODE} through the writer in the charset named by ?cs=, with char[] writes. */
  static final class Charsets extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain;charset=" + req.getParameter("cs"));
      char[] chars = UNICODE.toCharArray();
      resp.getWriter().write(chars, 0, 3);
      resp.getWriter().write(chars, 3, chars.length - 3);
      resp.getWriter().write('\u00e9');
      resp.getWriter().printf("%d", 42);
    }
  }

  final class Async extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext ctx = req.startAsync();
      executor.submit(
          () -> {
            try {
              Thread.sleep(300);
              ctx.getResponse().getOutputStream().write("late".getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              ctx.complete();
            }
            return null;
          });
    }
  }

  /** Writes 64 MiB; remembers whether a write failed (Tomcat may instead drop writes silently). */
  static final class Big extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final java.util.concurrent.atomic.AtomicReference<IOException> failure =
        new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      ServletOutputStream out = resp.getOutputStream();
      byte[] chunk = new byte[64 * 1024];
      try {
        for (int i = 0; i < 1024; i++) { // 64 MiB: the client is gone long before
          out.write(chunk);
          out.flush();
        }
      } catch (IOException e) {
        failure.set(e);
        throw e;
      }
    }
  }

  private final Big big = new Big();

  private void start(PrometheusSettings settings) throws Exception {
    HttpMetrics metrics = HttpMetrics.create(MetricFamilies.create(settings, registry));
    server =
        new TomcatServer()
            .filter("before", new PrometheusBeforeFilter(metrics))
            .filter("after", new PrometheusAfterFilter(metrics))
            .servlet("/myview/", new MyView())
            .servlet("/boom/", new Boom())
            .servlet("/unicode/", new Unicode())
            .servlet("/async/", new Async())
            .servlet("/charsets/", new Charsets())
            .servlet("/big/", big)
            .servlet("/metrics", new MetricsServlet(registry))
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    executor.shutdownNow();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(server.url(path)))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits (10 s at most, then fails) until {@code series} shows {@code expected}, then scrapes
   * once more. Callers wait on {@code java_http_responses_before_middlewares_total}: the outer
   * filter records it last (after the latency), after the client already has its response.
   */
  private TextScrape awaitScrape(String series, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape scrape = TextScrape.of(registry);
    while (scrape.valueOrZero(series) != expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            series + " did not reach " + expected + " within 10 s:\n" + scrape.text());
      }
      Thread.sleep(10);
      scrape = TextScrape.of(registry);
    }
    // A scrape collects family after family while requests may still be recording; the one that
    // saw the awaited value can have read other families a moment earlier. Scrape once more.
    return TextScrape.of(registry);
  }

  private TextScrape awaitResponses(double expected) throws InterruptedException {
    return awaitScrape("java_http_responses_before_middlewares_total", expected);
  }

  /** The sample's value; a missing series fails showing the whole scrape. */
  private static Double val(TextScrape s, String series) {
    Double value = s.value(series);
    assertThat(value).withFailMessage("no sample %s in:%n%s", series, s.text()).isNotNull();
    return value;
  }

  private static String v(String view) {
    return "io.github.javaprometheus.servlet.PrometheusFiltersIT$" + view;
  }

  @Test
  void countsEveryHttpFamilyWithTheValuesTheRequestsImply() throws Exception {
    start(PrometheusSettings.defaults());
    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send("GET", "/boom/").statusCode()).isEqualTo(500);
    assertThat(send("GET", "/nothere/").statusCode()).isEqualTo(404);
    assertThat(send("BREW", "/myview/").statusCode()).isEqualTo(200);
    assertThat(send("POST", "/myview/").statusCode()).isEqualTo(200);

    TextScrape s = awaitResponses(6);
    assertThat(val(s, "java_http_requests_before_middlewares_total")).isEqualTo(6);
    assertThat(val(s, "java_http_responses_before_middlewares_total")).isEqualTo(6);
    assertThat(val(s, "java_http_requests_latency_including_middlewares_seconds_count"))
        .isEqualTo(6);
    assertThat(val(s, "java_http_requests_unknown_latency_including_middlewares_total"))
        .isEqualTo(0);
    assertThat(val(s, "java_http_requests_unknown_latency_total")).isEqualTo(0);
    assertThat(val(s, "java_http_inflight_requests")).isEqualTo(0);
    assertThat(val(s, "java_http_ajax_requests_total")).isEqualTo(0);
    assertThat(val(s, "java_http_requests_total_by_method_total{method=\"GET\"}")).isEqualTo(4);
    assertThat(val(s, "java_http_requests_total_by_method_total{method=\"POST\"}")).isEqualTo(1);
    assertThat(val(s, "java_http_requests_total_by_method_total{method=\"<invalid method>\"}"))
        .isEqualTo(1);
    assertThat(val(s, "java_http_requests_total_by_transport_total{transport=\"http\"}"))
        .isEqualTo(6);
    assertThat(
            val(s, 
                "java_http_requests_total_by_view_transport_method_total{view=\""
                    + v("MyView")
                    + "\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(2);
    assertThat(
            val(s, 
                "java_http_requests_total_by_view_transport_method_total{view=\"<unnamed view>\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(val(s, "java_http_requests_body_total_bytes_count")).isEqualTo(6);
    assertThat(
            val(s, 
                "java_http_responses_total_by_templatename_total{templatename=\"<unknown template>\"}"))
        .isEqualTo(6);
    assertThat(val(s, "java_http_responses_total_by_status_total{status=\"200\"}")).isEqualTo(4);
    assertThat(val(s, "java_http_responses_total_by_status_total{status=\"404\"}")).isEqualTo(1);
    assertThat(val(s, "java_http_responses_total_by_status_total{status=\"500\"}")).isEqualTo(1);
    assertThat(
            val(s, 
                "java_http_responses_total_by_status_view_method_total{status=\"200\",view=\""
                    + v("MyView")
                    + "\",method=\"<invalid method>\"}"))
        .isEqualTo(1);
    assertThat(
            val(s, 
                "java_http_responses_total_by_status_view_method_total{status=\"500\",view=\""
                    + v("Boom")
                    + "\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(val(s, "java_http_responses_body_total_bytes_count")).isEqualTo(6);
    assertThat(val(s, "java_http_responses_total_by_charset_total{charset=\"UTF-8\"}"))
        .isEqualTo(4);
    assertThat(val(s, "java_http_responses_streaming_total")).isEqualTo(0);
    assertThat(
            val(s, 
                "java_http_requests_latency_seconds_by_view_method_count{view=\""
                    + v("MyView")
                    + "\",method=\"GET\"}"))
        .isEqualTo(2);
    assertThat(
            val(s, 
                "java_http_requests_latency_seconds_by_view_method_count{view=\""
                    + v("Boom")
                    + "\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(
            val(s, "java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"}"))
        .isEqualTo(1);
    assertThat(val(s, "java_http_exceptions_total_by_view_total{view=\"" + v("Boom") + "\"}"))
        .isEqualTo(1);
    assertThat(s.value("java_instrumentation_errors_total{component=\"http\"}")).isNull();
  }

  @Test
  void responseBodyBytesAreExactForTheWriterAndTheStream() throws Exception {
    start(PrometheusSettings.defaults());
    send("GET", "/unicode/");
    TextScrape s = awaitResponses(1);
    long expected = (UNICODE + System.lineSeparator()).getBytes(StandardCharsets.UTF_8).length;
    assertThat(val(s, "java_http_responses_body_total_bytes_sum")).isEqualTo((double) expected);

    send("GET", "/myview/");
    s = awaitResponses(2);
    assertThat(val(s, "java_http_responses_body_total_bytes_sum")).isEqualTo(expected + 5.0);
  }

  @Test
  void writerBytesAreCountedInTheResponsesCharset() throws Exception {
    start(PrometheusSettings.defaults());
    double expected = 0;
    int n = 0;
    for (String cs : new String[] {"UTF-8", "ISO-8859-1", "UTF-16BE", "Shift_JIS"}) {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(URI.create(server.url("/charsets/?cs=" + cs))).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      expected += r.body().length;
      n++;
      TextScrape s = awaitResponses(n);
      assertThat(val(s, "java_http_responses_body_total_bytes_sum")).as(cs).isEqualTo(expected);
    }
  }

  @Test
  void asyncRequestsAreMeasuredToCompletionAndCountedOnce() throws Exception {
    start(PrometheusSettings.defaults());
    java.util.concurrent.CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create(server.url("/async/"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(awaitScrape("java_http_inflight_requests", 1).value("java_http_inflight_requests"))
        .isEqualTo(1);
    HttpResponse<String> r = pending.get();
    assertThat(r.body()).isEqualTo("late");
    assertThat(awaitScrape("java_http_inflight_requests", 0).value("java_http_inflight_requests"))
        .isEqualTo(0);
    TextScrape s = awaitResponses(1);
    String view = "view=\"" + v("Async") + "\",method=\"GET\"";
    assertThat(val(s, "java_http_requests_latency_seconds_by_view_method_count{" + view + "}"))
        .isEqualTo(1);
    // The servlet completes the request 0.3 s later; how much longer it took is the machine's
    // (wall-clock latency has no exact value), so both sums assert only the lower bound.
    assertThat(val(s, "java_http_requests_latency_seconds_by_view_method_sum{" + view + "}"))
        .isGreaterThanOrEqualTo(0.3);
    assertThat(val(s, "java_http_requests_latency_including_middlewares_seconds_sum"))
        .isGreaterThanOrEqualTo(0.3);
    assertThat(val(s, "java_http_responses_body_total_bytes_sum")).isEqualTo(4);
    // No Content-Length was declared and the body came after the handler returned: streamed.
    assertThat(val(s, "java_http_responses_streaming_total")).isEqualTo(1);
  }

  @Test
  void metricsEndpointIsCountedUnderItsOwnViewAndNegotiatesFormats() throws Exception {
    start(PrometheusSettings.defaults());
    HttpResponse<String> text = send("GET", "/metrics");
    assertThat(text.headers().firstValue("Content-Type").orElse("").replace(" ", ""))
        .startsWith("text/plain;version=0.0.4");

    HttpResponse<String> om =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url("/metrics")))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(om.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/openmetrics-text");
    assertThat(om.body()).endsWith("# EOF\n");

    HttpResponse<byte[]> protobuf =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url("/metrics")))
                .header(
                    "Accept",
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(protobuf.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/vnd.google.protobuf");
    assertThat(new String(protobuf.body(), StandardCharsets.ISO_8859_1))
        .contains("java_http_requests_before_middlewares");

    HttpResponse<InputStream> gz =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url("/metrics")))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
    try (InputStream in = new GZIPInputStream(gz.body())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("java_http_requests_before_middlewares_total");
    }

    TextScrape s = awaitResponses(4);
    assertThat(
            val(s, 
                "java_http_requests_total_by_view_transport_method_total{view=\"prometheus-java-metrics\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(4);
  }

  @Test
  void djangoProfileExposesDjangoNamesAndMetricsView() throws Exception {
    start(PrometheusSettings.builder().set("prometheus.profile", "django").build());
    send("GET", "/metrics");
    send("GET", "/myview/");
    TextScrape s = awaitScrape("django_http_responses_before_middlewares_total", 2);
    assertThat(
            val(s, 
                "django_http_responses_total_by_status_view_method_total{status=\"200\",view=\"prometheus-django-metrics\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(s.samplesStartingWith("java_")).isEmpty();
  }

  @Test
  void excludedPathsAreNotMeasured() throws Exception {
    start(PrometheusSettings.builder().set("prometheus.exclude-paths", "/my*/**,/metrics").build());
    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
    send("GET", "/metrics");
    send("GET", "/boom/");
    TextScrape s = awaitResponses(1);
    assertThat(val(s, "java_http_requests_before_middlewares_total")).isEqualTo(1);
    assertThat(val(s, "java_http_requests_total_by_method_total{method=\"GET\"}")).isEqualTo(1);
  }

  @Test
  void ajaxRequestsAndRequestBodiesAreCounted() throws Exception {
    start(PrometheusSettings.defaults());
    client.send(
        HttpRequest.newBuilder(URI.create(server.url("/myview/")))
            .header("X-Requested-With", "XMLHttpRequest")
            .POST(HttpRequest.BodyPublishers.ofString("0123456789"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    TextScrape s = awaitResponses(1);
    assertThat(val(s, "java_http_ajax_requests_total")).isEqualTo(1);
    assertThat(val(s, "java_http_requests_body_total_bytes_sum")).isEqualTo(10);
    assertThat(val(s, "java_http_requests_body_total_bytes_bucket{le=\"8.0\"}")).isEqualTo(0);
    assertThat(val(s, "java_http_requests_body_total_bytes_bucket{le=\"16.0\"}")).isEqualTo(1);
  }

  @Test
  void oddPathsAndBadHeadersLeaveTheAppAndTheCountsIntact() throws Exception {
    start(PrometheusSettings.defaults());
    assertThat(raw("GET /caf%C3%A9/%E2%9C%93?q=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false))
        .startsWith("HTTP/1.1 404");
    // A raw non-ASCII byte in the request line: Tomcat rejects it before any filter runs.
    assertThat(raw("GET /caf\u00e9/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false))
        .startsWith("HTTP/1.1 400");
    // Tomcat decodes, then normalises: /%FF%FE/../ goes away and /myview/ serves it.
    assertThat(send("GET", "/%FF%FE/../myview/").statusCode()).isEqualTo(200);
    // Content-Length larger than the body, then the client stops sending: the servlet does not read
    // the body and answers; Tomcat sends the response when the servlet is done, before it tries to
    // swallow the missing bytes (and closes on the EOF). A negative one: Tomcat answers 400.
    assertThat(raw("POST /myview/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort", true))
        .startsWith("HTTP/1.1 200")
        .endsWith("\r\n\r\nhello");
    assertThat(raw("POST /myview/ HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n", false))
        .startsWith("HTTP/1.1 400");
    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");

    // Four reached the filters: the 404, the normalised /myview/, the short body (the servlet
    // does not read it) and the last GET; Tomcat answered the two 400s before any filter.
    TextScrape s = awaitResponses(4);
    assertThat(val(s, "java_http_requests_before_middlewares_total")).isEqualTo(4);
    assertThat(val(s, "java_http_requests_latency_including_middlewares_seconds_count"))
        .isEqualTo(4);
    assertThat(s.samplesStartingWith("java_http_responses_total_by_status_total"))
        .containsExactlyInAnyOrder(
            "java_http_responses_total_by_status_total{status=\"200\"} 3.0",
            "java_http_responses_total_by_status_total{status=\"404\"} 1.0");
    assertThat(s.value("java_instrumentation_errors_total{component=\"http\"}")).isNull();
  }

  @Test
  void clientAbortMidResponseIsRecordedOnceAndTheServerCarriesOn() throws Exception {
    start(PrometheusSettings.defaults());
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write("GET /big/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] buf = new byte[8192];
      int read = socket.getInputStream().read(buf);
      assertThat(read).isPositive();
      socket.setSoLinger(true, 0); // reset, as a browser tab closed mid-download
    }
    String view = "view=\"" + v("Big") + "\",method=\"GET\"";
    // The outer filter records last: once it has, everything of this request is in.
    TextScrape s = awaitResponses(1);
    assertThat(val(s, "java_http_requests_latency_seconds_by_view_method_count{" + view + "}"))
        .isEqualTo(1);
    // Open by Tomcat, not by us: whether the reset reaches the servlet as an IOException depends
    // on when Tomcat learns of it. A write that hits the reset socket throws (ClientAbortException);
    // but once Tomcat has marked the connection failed on its own, it drops the servlet's later
    // writes silently, and the servlet returns normally. Both were seen (commit 7b9f81e: asserting
    // the exception failed intermittently), so the test reads which one the servlet saw, and requires the count to be
    // exactly that: one exception of the seen type, or none at all.
    IOException seen = big.failure.get();
    if (seen == null) {
      assertThat(s.samplesStartingWith("java_http_exceptions_total")).isEmpty();
    } else {
      assertThat(val(s, "java_http_exceptions_total_by_view_total{view=\"" + v("Big") + "\"}"))
          .isEqualTo(1);
      assertThat(
              val(
                  s,
                  "java_http_exceptions_total_by_type_total{type=\""
                      + PrometheusAfterFilter.rootCause(seen).getClass().getSimpleName()
                      + "\"}"))
          .isEqualTo(1);
    }
    // Headers had gone out: the status counted is the one the client saw.
    assertThat(val(s, "java_http_responses_total_by_status_total{status=\"200\"}")).isEqualTo(1);
    assertThat(send("GET", "/myview/").body()).isEqualTo("hello");
  }

  @Test
  void tenThousandRandomPathsKeepTheSeriesBounded() throws Exception {
    start(PrometheusSettings.builder().set("prometheus.max-label-values", "50").build());
    int before = TextScrape.of(registry).samples().size();
    assertThat(TextScrape.of(registry).samplesStartingWith("java_http_responses_total_by_status"))
        .isEmpty();
    for (int i = 0; i < 10_000; i++) {
      send(i % 2 == 0 ? "GET" : "BREW" + i, "/" + UUID.randomUUID() + "/%E2%9C%93");
    }
    TextScrape s = awaitResponses(10_000);
    assertThat(val(s, "java_http_responses_before_middlewares_total")).isEqualTo(10_000);
    assertThat(val(s, "java_http_requests_total_by_method_total{method=\"<invalid method>\"}"))
        .isEqualTo(5_000);
    assertThat(
            val(s, 
                "java_http_responses_total_by_status_view_method_total{status=\"404\",view=\"<unnamed view>\",method=\"GET\"}"))
        .isEqualTo(5_000);
    // An unknown method reaches the default servlet, which answers 501 (not 404): that view is the
    // servlet's class.
    String defaultServlet = "org.apache.catalina.servlets.DefaultServlet";
    assertThat(
            val(
                s,
                "java_http_responses_total_by_status_view_method_total{status=\"501\",view=\""
                    + defaultServlet
                    + "\",method=\"<invalid method>\"}"))
        .isEqualTo(5_000);
    // 10 000 distinct paths and 5 001 methods make no series per path or method: views, not
    // paths, and one <invalid method>. Exactly these 45 series are new: two by view, transport and
    // method; two statuses; two by status, view and method; one charset (Tomcat's default for its
    // error pages); and two latency histograms of 19 lines each (17 buckets, count, sum).
    assertThat(s.samples().size() - before).isEqualTo(45);
    assertThat(s.samplesStartingWith("java_http_requests_total_by_view_transport_method_total"))
        .containsExactlyInAnyOrder(
            "java_http_requests_total_by_view_transport_method_total{method=\"<invalid method>\",transport=\"http\",view=\""
                + defaultServlet
                + "\"} 5000.0",
            "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"<unnamed view>\"} 5000.0");
    assertThat(s.samplesStartingWith("java_http_responses_total_by_status_total"))
        .containsExactlyInAnyOrder(
            "java_http_responses_total_by_status_total{status=\"404\"} 5000.0",
            "java_http_responses_total_by_status_total{status=\"501\"} 5000.0");
    assertThat(s.samplesStartingWith("java_http_responses_total_by_status_view_method_total"))
        .hasSize(2);
    assertThat(s.samplesStartingWith("java_http_responses_total_by_charset_total"))
        .containsExactly("java_http_responses_total_by_charset_total{charset=\"ISO-8859-1\"} 10000.0");
    assertThat(s.samplesStartingWith("java_http_requests_latency_seconds_by_view_method_count"))
        .containsExactlyInAnyOrder(
            "java_http_requests_latency_seconds_by_view_method_count{method=\"<invalid method>\",view=\""
                + defaultServlet
                + "\"} 5000",
            "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"<unnamed view>\"} 5000");
    // Nothing reached the bound of 50.
    assertThat(s.samplesStartingWith("java_label_overflow_total")).isEmpty();
  }

  private String raw(String request, boolean closeEarly) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (closeEarly) {
        socket.shutdownOutput();
      }
      try {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException timeoutOrReset) {
        return "";
      }
    }
  }

}
