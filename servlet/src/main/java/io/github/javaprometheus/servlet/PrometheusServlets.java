package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.EndpointAccess;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;

/**
 * Installs java-prometheus in a plain Servlet 6 container (no Spring): the before filter ahead of
 * every filter of {@code web.xml}, the after filter behind them, and the metrics servlet. Call it
 * from a {@code ServletContextListener} or {@code ServletContainerInitializer}.
 */
public final class PrometheusServlets {
  private PrometheusServlets() {}

  /** Settings from the usual sources, families on the default registry. */
  public static HttpMetrics install(ServletContext context) {
    return install(context, PrometheusSettings.load(), PrometheusRegistry.defaultRegistry);
  }

  /**
   * Installs filters and servlet recording into the given registry. With {@code
   * prometheus.enabled=false} nothing is added to the context (no filter, no {@code /metrics}, no
   * JVM metrics) and the metrics returned are registered nowhere.
   */
  public static HttpMetrics install(
      ServletContext context, PrometheusSettings settings, PrometheusRegistry registry) {
    // Read first: a bad access setting fails here, naming its key, before anything is registered.
    EndpointAccess access = settings.enabled() ? EndpointAccess.of(settings) : EndpointAccess.open();
    MetricFamilies families = MetricFamilies.create(settings, registry);
    if (!families.enabled()) {
      return HttpMetrics.create(families);
    }
    families.registerJvmMetrics();
    HttpMetrics metrics = HttpMetrics.create(families);
    EnumSet<DispatcherType> dispatch = EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);

    FilterRegistration.Dynamic before =
        context.addFilter("javaPrometheusBeforeFilter", new PrometheusBeforeFilter(metrics));
    before.setAsyncSupported(true);
    before.addMappingForUrlPatterns(dispatch, false, "/*");

    FilterRegistration.Dynamic after =
        context.addFilter("javaPrometheusAfterFilter", new PrometheusAfterFilter(metrics));
    after.setAsyncSupported(true);
    after.addMappingForUrlPatterns(dispatch, true, "/*");

    if (settings.get(HttpSettings.METRICS_PATH) != null) {
      ServletRegistration.Dynamic servlet =
          context.addServlet("javaPrometheusMetricsServlet", new MetricsServlet(registry, access));
      servlet.addMapping(settings.get(HttpSettings.METRICS_PATH));
    }
    return metrics;
  }
}
