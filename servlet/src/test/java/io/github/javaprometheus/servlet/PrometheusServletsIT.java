package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import io.github.javaprometheus.testing.SettingSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The plain-servlet quick start: one call from a container initializer. */
class PrometheusServletsIT {

  @Test
  void installWrapsTheApplicationsOwnFiltersAndServesMetrics() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    // An application filter that short-circuits /blocked/ with 403, as a security filter would.
    Filter guard =
        (req, res, chain) -> {
          if (((jakarta.servlet.http.HttpServletRequest) req).getRequestURI().startsWith("/blocked")) {
            ((HttpServletResponse) res).sendError(403);
          } else {
            chain.doFilter(req, res);
          }
        };
    try (TomcatServer server =
        new TomcatServer()
            .filter("guard", guard)
            .initializer(
                (classes, ctx) ->
                    PrometheusServlets.install(ctx, PrometheusSettings.defaults(), registry))
            .servlet("/myview/", new PrometheusFiltersIT.MyView())
            .start()) {
      HttpClient client = HttpClient.newHttpClient();
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(URI.create(server.url("/myview/"))).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body())
          .isEqualTo("hello");
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(URI.create(server.url("/blocked/"))).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(403);
      // The outer filter records responses_before last, after the client has its response: wait
      // until both requests are in before the endpoint scrapes.
      awaitResponses(registry, 2);
      String metrics =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(server.url("/metrics"))).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      TextScrape s = TextScrape.parse(metrics);
      // The before filter saw all three; the after filter did not see the request the guard
      // answered, as django-prometheus's after middleware misses short-circuited requests.
      assertThat(s.value("java_http_requests_before_middlewares_total")).isEqualTo(3);
      assertThat(s.value("java_http_requests_total_by_method_total{method=\"GET\"}")).isEqualTo(2);
      assertThat(
              s.value(
                  "java_http_responses_total_by_status_view_method_total{status=\"200\",view=\""
                      + PrometheusFiltersIT.MyView.class.getName()
                      + "\",method=\"GET\"}"))
          .isEqualTo(1);
      assertThat(s.value("java_http_responses_total_by_status_total{status=\"403\"}")).isNull();
      assertThat(s.samplesStartingWith("jvm_threads_current")).hasSize(1);
    }
  }

  /**
   * {@code prometheus.enabled=false}, from each source of the settings model: the application runs
   * as without the library (its filter and servlet untouched), nothing is registered, {@code
   * /metrics} is absent.
   */
  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void disabledFromAnySourceInstallsNothing(SettingSource source, @TempDir Path dir)
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            source.framework("prometheus.enabled", "false"),
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    assertThat(settings.enabled()).isFalse();
    List<String> added = new ArrayList<>();
    try (TomcatServer server =
        new TomcatServer()
            .initializer(
                (classes, ctx) -> {
                  PrometheusServlets.install(ctx, settings, registry);
                  ctx.getFilterRegistrations().keySet().forEach(added::add);
                  ctx.getServletRegistrations().keySet().stream()
                      .filter(n -> n.startsWith("javaPrometheus"))
                      .forEach(added::add);
                })
            .servlet("/myview/", new PrometheusFiltersIT.MyView())
            .start()) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> view =
          client.send(
              HttpRequest.newBuilder(URI.create(server.url("/myview/"))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(view.statusCode()).isEqualTo(200);
      assertThat(view.body()).isEqualTo("hello");
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(URI.create(server.url("/metrics"))).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
    }
    assertThat(added).isEmpty();
    assertThat(registry.scrape().size()).isZero();
  }

  private static void awaitResponses(PrometheusRegistry registry, double expected)
      throws InterruptedException {
    String series = "java_http_responses_before_middlewares_total";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape s = TextScrape.of(registry);
    while (s.valueOrZero(series) != expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(series + " did not reach " + expected + " within 10 s:\n" + s);
      }
      Thread.sleep(10);
      s = TextScrape.of(registry);
    }
  }
}
