package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.LabelValues;
import io.github.javaprometheus.servlet.ResolvedView;
import io.github.javaprometheus.servlet.ViewNames;
import io.github.javaprometheus.servlet.ViewResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The view of a Spring MVC request: the handler method that served it, fully qualified ({@code
 * com.example.DemoController.myView}); for a functional route ({@code RouterFunction}), the route's
 * path pattern ({@code /users/{id}}, nested patterns joined), or where the route has no path
 * pattern, the class that defined the handler function. Names of classes generated at run time
 * (lambdas, CGLIB, JDK proxies) are never used: see {@link ViewNames}. Handlers returning {@code
 * StreamingResponseBody}, {@code ResponseBodyEmitter}/{@code SseEmitter} (also inside {@code
 * ResponseEntity}) or a reactive stream count as streaming. A 404 from the static-resource handler
 * matched no view.
 */
final class SpringMvcViewResolver implements ViewResolver {
  private final ConcurrentHashMap<Method, ResolvedView> byMethod = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, ResolvedView> byHandlerClass =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ResolvedView> byRoutePattern = new ConcurrentHashMap<>();
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
    if (handler instanceof HandlerFunction) {
      Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
      if (pattern instanceof String) {
        // The route's own pattern string: one instance per route, so the lookup allocates nothing.
        ResolvedView view = byRoutePattern.get(pattern);
        if (view == null) {
          view = byRoutePattern.computeIfAbsent((String) pattern, p -> ResolvedView.of(p, false));
        }
        return view;
      }
    } else if (response.getStatus() == HttpServletResponse.SC_NOT_FOUND) {
      return unnamed;
    }
    Object leaf = request.getAttribute(RouterFunctionInstrumentation.HANDLER_ATTRIBUTE);
    if (leaf instanceof RouterFunctionInstrumentation.MeasuredHandler) {
      handler = leaf;
    }
    Class<?> type =
        handler instanceof RouterFunctionInstrumentation.MeasuredHandler
            ? ((RouterFunctionInstrumentation.MeasuredHandler<?>) handler).handlerType()
            : handler.getClass();
    ResolvedView view = byHandlerClass.get(type);
    if (view == null) {
      view = byHandlerClass.computeIfAbsent(type, c -> ResolvedView.of(ViewNames.of(c), false));
    }
    return view;
  }

  private static ResolvedView describe(HandlerMethod hm) {
    Class<?> type = hm.getBeanType();
    if (Proxy.isProxyClass(type)) {
      // An interface-based proxy: the method is declared where the user wrote it.
      type = hm.getMethod().getDeclaringClass();
    }
    String name = ViewNames.of(type) + "." + hm.getMethod().getName();
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
