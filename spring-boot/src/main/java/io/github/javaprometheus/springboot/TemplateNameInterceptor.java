package io.github.javaprometheus.springboot;

import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/** Hands the rendered view name to {@link PrometheusAfterFilter} for the templatename label. */
final class TemplateNameInterceptor implements HandlerInterceptor {
  @Override
  public void postHandle(
      HttpServletRequest request,
      HttpServletResponse response,
      Object handler,
      ModelAndView modelAndView) {
    if (modelAndView != null && modelAndView.getViewName() != null) {
      request.setAttribute(PrometheusAfterFilter.TEMPLATE_NAME_ATTRIBUTE, modelAndView.getViewName());
    }
  }
}
