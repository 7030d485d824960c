package io.github.javaprometheus.benchmarks;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.servlet.HttpMetrics;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.PrometheusBeforeFilter;
import io.github.javaprometheus.servlet.ResolvedView;
import io.github.javaprometheus.servlet.ViewResolver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import java.util.List;

/**
 * Ours, with the default settings on a fresh registry: {@link PrometheusBeforeFilter} outermost,
 * {@link PrometheusAfterFilter} innermost, every family of DESIGN section 3. The view resolver
 * answers one cached {@link ResolvedView}, as the Spring MVC resolver does once it has seen a
 * handler.
 */
final class JavaPrometheusInstrumentation implements HttpInstrumentation {
  /** The {@code view} label of the handler, as the Spring MVC resolver names a controller method. */
  static final String VIEW = "io.github.javaprometheus.benchmarks.HelloHandler.myView";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<Filter> filters;

  JavaPrometheusInstrumentation() {
    HttpMetrics metrics =
        HttpMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    ResolvedView view = ResolvedView.of(VIEW, false);
    ViewResolver resolver = (request, response) -> view;
    filters =
        List.of(new PrometheusBeforeFilter(metrics), new PrometheusAfterFilter(metrics, List.of(resolver)));
  }

  @Override
  public List<Filter> filters() {
    return filters;
  }

  /** {@code java_http_requests_before_middlewares_total}. */
  @Override
  public long recordedRequests() {
    return (long) scrape().valueOrZero("java_http_requests_before_middlewares_total");
  }

  TextScrape scrape() {
    return TextScrape.of(registry);
  }
}
