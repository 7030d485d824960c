package io.github.javaprometheus.servlet;

import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The {@code /metrics} endpoint: client_java's servlet, which negotiates the Prometheus text,
 * OpenMetrics and protobuf formats and gzip from the request headers and supports {@code name[]}
 * filtering. Requests to it are counted under the view {@code prometheus-java-metrics}
 * ({@code prometheus-django-metrics} in the django profile).
 */
public final class MetricsServlet extends PrometheusMetricsServlet {
  private static final long serialVersionUID = 1L;

  /** Serves the given registry. */
  public MetricsServlet(PrometheusRegistry registry) {
    super(registry);
  }

  /** Serves {@link PrometheusRegistry#defaultRegistry}; for registration in {@code web.xml}. */
  public MetricsServlet() {
    super(PrometheusRegistry.defaultRegistry);
  }
}
