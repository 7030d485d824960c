package io.github.javaprometheus.springboot;

import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Sees every exception a Spring MVC handler raises before any resolver turns it into a response
 * ({@code @ExceptionHandler} in the controller or an advice, {@code ResponseStatusException}, {@code
 * @ResponseStatus}, Spring's default resolvers) and records it for {@link PrometheusAfterFilter},
 * which counts it once by type and view, also when nothing handles it and it escapes. It resolves
 * nothing (returns null), so the response is what the application makes of the exception.
 *
 * <p>Only exceptions raised once a handler was chosen count, as Django's {@code process_exception}
 * runs for exceptions a view raised: a request no handler matched (no mapping, 405, the static
 * resource handler's {@code NoResourceFoundException}) is a 404/405 response, not an exception.
 */
final class HandledExceptionRecorder implements HandlerExceptionResolver, Ordered {

  @Override
  public ModelAndView resolveException(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    if (handler == null
        || ex instanceof NoResourceFoundException
        || ex instanceof NoHandlerFoundException) {
      return null;
    }
    try {
      PrometheusAfterFilter.recordHandledException(request, ex);
    } catch (RuntimeException e) {
      // A request attribute that cannot be set is the container's problem, never the app's.
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
