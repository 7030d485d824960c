package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet-side contract framework integrations use: exceptions a handler raised and the
 * framework turned into a response are recorded on the request and counted once each, also when
 * they are recorded and then re-thrown; a framework can name the view. On a real Tomcat.
 */
class HandledExceptionsIT {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client = HttpClient.newHttpClient();
  private TomcatServer server;

  /** An "exception handler": the handler's exception becomes a 400. */
  static final class Mapped extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try {
        throw new IllegalArgumentException("bad id");
      } catch (IllegalArgumentException e) {
        PrometheusAfterFilter.recordHandledException(req, e);
        // Recorded twice (two resolvers looked at it): still one exception.
        PrometheusAfterFilter.recordHandledException(req, e);
        resp.sendError(400);
      }
    }
  }

  /** A resolver saw it, nothing handled it: it escapes to the filter, the same object. */
  static final class Rethrown extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException {
      IllegalStateException e = new IllegalStateException("unmapped");
      PrometheusAfterFilter.recordHandledException(req, e);
      throw new ServletException("Request processing failed", e);
    }
  }

  /** Recorded, then re-thrown inside a framework's own wrapper (as Jersey's ContainerException). */
  static final class WrappedRethrown extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      java.util.concurrent.TimeoutException e = new java.util.concurrent.TimeoutException("slow");
      PrometheusAfterFilter.recordHandledException(req, e);
      throw new IllegalStateException("container wrapper", e);
    }
  }

  /** The exception handler itself failed with a second exception, which was handled too. */
  static final class HandlerFailed extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      PrometheusAfterFilter.recordHandledException(
          req, new ServletException("wrapped", new UnsupportedOperationException("first")));
      PrometheusAfterFilter.recordHandledException(req, new ArithmeticException("second"));
      resp.sendError(503);
    }
  }

  /** A framework routing behind this servlet names the view. */
  static final class Routed extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final ResolvedView VIEW = ResolvedView.of("com.example.UserResource.get", false);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      PrometheusAfterFilter.setView(req, VIEW);
      resp.getWriter().write("user");
    }
  }

  private void start(PrometheusSettings settings) throws Exception {
    HttpMetrics metrics = HttpMetrics.create(MetricFamilies.create(settings, registry));
    server =
        new TomcatServer()
            .filter("before", new PrometheusBeforeFilter(metrics))
            .filter("after", new PrometheusAfterFilter(metrics))
            .servlet("/mapped/", new Mapped())
            .servlet("/rethrown/", new Rethrown())
            .servlet("/wrapped/", new WrappedRethrown())
            .servlet("/handler-failed/", new HandlerFailed())
            .servlet("/routed/", new Routed())
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private int get(String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(server.url(path))).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private TextScrape awaitResponses(double expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String series = "java_http_responses_before_middlewares_total";
    TextScrape scrape = TextScrape.of(registry);
    while (scrape.valueOrZero(series) != expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(series + " did not reach " + expected + ":\n" + scrape.text());
      }
      Thread.sleep(10);
      scrape = TextScrape.of(registry);
    }
    return TextScrape.of(registry);
  }

  private static String v(String view) {
    return "io.github.javaprometheus.servlet.HandledExceptionsIT$" + view;
  }

  @Test
  void handledExceptionsAreCountedOnceEachByTypeAndView() throws Exception {
    start(PrometheusSettings.defaults());
    assertThat(get("/mapped/")).isEqualTo(400);
    assertThat(get("/mapped/")).isEqualTo(400);
    assertThat(get("/rethrown/")).isEqualTo(500);
    assertThat(get("/handler-failed/")).isEqualTo(503);
    assertThat(get("/routed/")).isEqualTo(200);
    assertThat(get("/wrapped/")).isEqualTo(500);

    TextScrape s = awaitResponses(6);
    assertThat(s.samplesStartingWith("java_http_exceptions_total_by_type_total"))
        .containsExactlyInAnyOrder(
            "java_http_exceptions_total_by_type_total{type=\"IllegalArgumentException\"} 2.0",
            "java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"UnsupportedOperationException\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"ArithmeticException\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"TimeoutException\"} 1.0");
    assertThat(s.samplesStartingWith("java_http_exceptions_total_by_view_total"))
        .containsExactlyInAnyOrder(
            "java_http_exceptions_total_by_view_total{view=\"" + v("Mapped") + "\"} 2.0",
            "java_http_exceptions_total_by_view_total{view=\"" + v("Rethrown") + "\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + v("HandlerFailed") + "\"} 2.0",
            "java_http_exceptions_total_by_view_total{view=\"" + v("WrappedRethrown") + "\"} 1.0");
    assertThat(s.value("java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"com.example.UserResource.get\"}"))
        .isEqualTo(1.0);
    assertThat(s.samplesStartingWith("java_instrumentation_errors_total")).isEmpty();
  }

  @Test
  void withCountHandledExceptionsOffOnlyEscapingExceptionsCount() throws Exception {
    start(PrometheusSettings.builder().set("prometheus.count-handled-exceptions", "false").build());
    assertThat(get("/mapped/")).isEqualTo(400);
    assertThat(get("/rethrown/")).isEqualTo(500);
    assertThat(get("/handler-failed/")).isEqualTo(503);

    TextScrape s = awaitResponses(3);
    assertThat(s.samplesStartingWith("java_http_exceptions_total_by_type_total"))
        .containsExactly(
            "java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"} 1.0");
    assertThat(s.samplesStartingWith("java_http_exceptions_total_by_view_total"))
        .containsExactly(
            "java_http_exceptions_total_by_view_total{view=\"" + v("Rethrown") + "\"} 1.0");
  }
}
