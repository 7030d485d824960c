package io.github.javaprometheus.springboot;

import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod;

/**
 * Spring's {@code @ExceptionHandler} resolver, unchanged but for one thing: when an exception
 * handler itself throws, that exception is recorded for {@link PrometheusAfterFilter} before Spring
 * logs it ("Failure in @ExceptionHandler") and carries on with the original exception, which no
 * extension point would otherwise show. Installed through Boot's {@code WebMvcRegistrations} when
 * the application has none of its own.
 */
final class FailingHandlerRecorder extends ExceptionHandlerExceptionResolver {

  @Override
  protected ServletInvocableHandlerMethod getExceptionHandlerMethod(
      HandlerMethod handlerMethod, Exception exception, ServletWebRequest webRequest) {
    ServletInvocableHandlerMethod method =
        super.getExceptionHandlerMethod(handlerMethod, exception, webRequest);
    return method == null ? null : new Recording(method);
  }

  /** The exception handler method; what it throws is recorded, then re-thrown unchanged. */
  private static final class Recording extends ServletInvocableHandlerMethod {
    Recording(ServletInvocableHandlerMethod method) {
      super(method);
    }

    @Override
    public void invokeAndHandle(
        ServletWebRequest webRequest, ModelAndViewContainer mavContainer, Object... providedArgs)
        throws Exception {
      try {
        super.invokeAndHandle(webRequest, mavContainer, providedArgs);
      } catch (Exception e) {
        try {
          PrometheusAfterFilter.recordHandledException(webRequest.getRequest(), e);
        } catch (RuntimeException ignored) {
          // Never change what Spring does with the failure.
        }
        throw e;
      }
    }
  }
}
