package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.LabelValues;
import io.github.javaprometheus.servlet.ResolvedView;
import io.github.javaprometheus.servlet.ViewResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The view of a Spring MVC request: the handler method that served it, fully qualified ({@code
 * com.example.DemoController.myView}). Handlers returning {@code StreamingResponseBody}, {@code
 * ResponseBodyEmitter}/{@code SseEmitter} (also inside {@code ResponseEntity}) or a reactive
 * stream count as streaming. A 404 from the static-resource handler matched no view.
 */
final class SpringMvcViewResolver implements ViewResolver {
  private final ConcurrentHashMap<Method, ResolvedView> byMethod = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, ResolvedView> byHandlerClass =
      new ConcurrentHashMap<>();
  private final ResolvedView unnamed = ResolvedView.of(LabelValues.UNNAMED_VIEW, false);

  @Override
  public ResolvedView resolve(HttpServletRequest request, HttpServletResponse response) {
    Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE);
    if (handler == null) {
      return null;
    }
    if (handler instanceof HandlerMethod) {
      HandlerMethod hm = (HandlerMethod) handler;
      ResolvedView view = byMethod.get(hm.getMethod());
      if (view == null) {
        view = byMethod.computeIfAbsent(hm.getMethod(), m -> describe(hm));
      }
      return view;
    }
    if (response.getStatus() == HttpServletResponse.SC_NOT_FOUND) {
      return unnamed;
    }
    return byHandlerClass.computeIfAbsent(
        handler.getClass(), c -> ResolvedView.of(c.getName(), false));
  }

  private static ResolvedView describe(HandlerMethod hm) {
    String name = hm.getBeanType().getName() + "." + hm.getMethod().getName();
    return ResolvedView.of(name, isStreaming(hm.getReturnType().getParameterType(), hm));
  }

  private static boolean isStreaming(Class<?> type, HandlerMethod hm) {
    if (streamingType(type)) {
      return true;
    }
    if (HttpEntity.class.isAssignableFrom(type)) {
      Class<?> body =
          ResolvableType.forMethodParameter(hm.getReturnType()).getGeneric(0).resolve();
      return body != null && streamingType(body);
    }
    return false;
  }

  private static boolean streamingType(Class<?> type) {
    return StreamingResponseBody.class.isAssignableFrom(type)
        || ResponseBodyEmitter.class.isAssignableFrom(type)
        || type.getName().equals("reactor.core.publisher.Flux")
        || type.getName().equals("org.reactivestreams.Publisher");
  }
}
