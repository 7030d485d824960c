package io.github.javaprometheus.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Tells which view served a request; called by {@link PrometheusAfterFilter} once the request is
 * complete. Implementations cache their answers per handler: this runs on every request.
 */
public interface ViewResolver {

  /**
   * The view that handled the request, or null when this resolver cannot tell (the next one is
   * asked; if none can, the view is {@code <unnamed view>}).
   */
  ResolvedView resolve(HttpServletRequest request, HttpServletResponse response);
}
