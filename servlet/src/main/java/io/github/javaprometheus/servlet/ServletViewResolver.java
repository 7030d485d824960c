package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.LabelValues;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the view of a plain servlet application: the class of the servlet that served the
 * request. A 404 from the container's default servlet matched no view: {@code <unnamed view>}. The
 * metrics servlet is reported under the profile's metrics view name.
 */
public final class ServletViewResolver implements ViewResolver {
  private static final String CLIENT_JAVA_SERVLET =
      "io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet";

  private final ResolvedView metricsView;
  private final ResolvedView unnamed = ResolvedView.of(LabelValues.UNNAMED_VIEW, false);
  private final ConcurrentHashMap<String, ResolvedView> byServletName = new ConcurrentHashMap<>();

  /** @param metricsViewName the view label of the metrics endpoint ({@code prometheus-java-metrics}) */
  public ServletViewResolver(String metricsViewName) {
    this.metricsView = ResolvedView.of(metricsViewName, false);
  }

  @Override
  public ResolvedView resolve(HttpServletRequest request, HttpServletResponse response) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null || mapping.getServletName() == null) {
      return null;
    }
    if (response.getStatus() == HttpServletResponse.SC_NOT_FOUND
        && mapping.getMappingMatch() == MappingMatch.DEFAULT) {
      return unnamed;
    }
    String servletName = mapping.getServletName();
    ResolvedView view = byServletName.get(servletName);
    if (view == null) {
      view = byServletName.computeIfAbsent(servletName, n -> lookUp(request, n));
    }
    return view;
  }

  private ResolvedView lookUp(HttpServletRequest request, String servletName) {
    ServletRegistration registration =
        request.getServletContext().getServletRegistration(servletName);
    String className = registration == null ? null : registration.getClassName();
    if (className == null) {
      return ResolvedView.of(servletName, false);
    }
    if (isMetricsServlet(className)) {
      return metricsView;
    }
    return ResolvedView.of(className, false);
  }

  private static boolean isMetricsServlet(String className) {
    if (className.equals(MetricsServlet.class.getName()) || className.equals(CLIENT_JAVA_SERVLET)) {
      return true;
    }
    try {
      Class<?> type = Class.forName(className, false, MetricsServlet.class.getClassLoader());
      return Class.forName(CLIENT_JAVA_SERVLET, false, MetricsServlet.class.getClassLoader())
          .isAssignableFrom(type);
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
