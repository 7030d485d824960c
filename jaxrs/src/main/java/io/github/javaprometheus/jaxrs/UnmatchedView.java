package io.github.javaprometheus.jaxrs;

import io.github.javaprometheus.core.InstrumentationErrors;
import io.github.javaprometheus.core.LabelValues;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.ResolvedView;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * A request no resource method matched (a 404, 405 or 406 of JAX-RS's own matching) has no view:
 * {@code <unnamed view>}, not the JAX-RS servlet's class. Response filters run for those responses
 * too; a matched request already carries its view and is left alone.
 */
final class UnmatchedView implements ContainerResponseFilter {
  /** Last among response filters: an application's own filter cannot be affected by it. */
  static final int PRIORITY = Integer.MIN_VALUE;

  private static final ResolvedView UNNAMED = ResolvedView.of(LabelValues.UNNAMED_VIEW, false);

  private final InstrumentationErrors errors;

  UnmatchedView(InstrumentationErrors errors) {
    this.errors = errors;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    try {
      if (request.getProperty(PrometheusAfterFilter.VIEW_ATTRIBUTE) == null) {
        request.setProperty(PrometheusAfterFilter.VIEW_ATTRIBUTE, UNNAMED);
      }
    } catch (RuntimeException | LinkageError e) {
      errors.record(PrometheusJaxRsFeature.COMPONENT, e);
    }
  }
}
