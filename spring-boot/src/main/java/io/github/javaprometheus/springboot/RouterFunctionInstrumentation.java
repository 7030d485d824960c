package io.github.javaprometheus.springboot;

import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Lets the filters see inside functional routes: the exceptions a route's handler raises that an
 * {@code onError} (or any other {@code HandlerFilterFunction}) turns into a response, and, for a
 * route without a path pattern, which handler function served it (a filter hides it behind a
 * lambda of its own). No Spring extension point sees either, so this post-processor rebuilds each
 * {@code RouterFunction} bean from the same parts with Spring's public factories ({@code route},
 * {@code filter}, {@code and}, {@code nest}, {@code withAttributes}), each handler function wrapped
 * in a {@link MeasuredHandler}. Routing, filters, attributes and the responses stay exactly the
 * user's; what the handler throws is re-thrown unchanged.
 *
 * <p>The parts are read from Spring's route classes (private fields, read only). A tree with a node
 * this class does not know is left as the user built it, the node kept as is; if Spring's classes
 * ever change shape, the bean is returned untouched and only exceptions that escape the route are
 * counted (by {@link HandledExceptionRecorder} and the filters).
 */
final class RouterFunctionInstrumentation implements BeanPostProcessor {
  /** Request attribute: the handler function of a route that has no path pattern. */
  static final String HANDLER_ATTRIBUTE = RouterFunctionInstrumentation.class.getName() + ".handler";

  private static final System.Logger LOG = System.getLogger(RouterFunctionInstrumentation.class.getName());
  private static final String PREFIX = "org.springframework.web.servlet.function.";

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof RouterFunction)) {
      return bean;
    }
    try {
      return rebuild((RouterFunction<?>) bean);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "RouterFunction bean " + beanName + " left as built; exceptions its routes handle are"
              + " not counted",
          e);
      return bean;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static RouterFunction<?> rebuild(RouterFunction<?> function) throws ReflectiveOperationException {
    String type = function.getClass().getName();
    switch (type) {
      case PREFIX + "RouterFunctions$DefaultRouterFunction":
        return RouterFunctions.route(
            (RequestPredicate) read(function, "predicate"),
            new MeasuredHandler((HandlerFunction) read(function, "handlerFunction")));
      case PREFIX + "RouterFunctions$FilteredRouterFunction":
        return ((RouterFunction) rebuild((RouterFunction<?>) read(function, "routerFunction")))
            .filter((HandlerFilterFunction) read(function, "filterFunction"));
      case PREFIX + "RouterFunctions$SameComposedRouterFunction":
        return ((RouterFunction) rebuild((RouterFunction<?>) read(function, "first")))
            .and(rebuild((RouterFunction<?>) read(function, "second")));
      case PREFIX + "RouterFunctions$DifferentComposedRouterFunction":
        return ((RouterFunction) rebuild((RouterFunction<?>) read(function, "first")))
            .andOther(rebuild((RouterFunction<?>) read(function, "second")));
      case PREFIX + "RouterFunctions$DefaultNestedRouterFunction":
        return RouterFunctions.nest(
            (RequestPredicate) read(function, "predicate"),
            (RouterFunction) rebuild((RouterFunction<?>) read(function, "routerFunction")));
      case PREFIX + "RouterFunctions$AttributesRouterFunction":
        Map<String, Object> attributes = (Map<String, Object>) read(function, "attributes");
        return ((RouterFunction) rebuild((RouterFunction<?>) read(function, "delegate")))
            .withAttributes(a -> ((Map<String, Object>) a).putAll(attributes));
      case PREFIX + "RouterFunctionBuilder$BuiltRouterFunction":
        RouterFunctions.Builder builder = RouterFunctions.route();
        for (RouterFunction<?> part : (List<RouterFunction<?>>) read(function, "routerFunctions")) {
          builder.add((RouterFunction<ServerResponse>) rebuild(part));
        }
        return builder.build();
      default:
        // Resources, or a RouterFunction of the application's own: kept as it is.
        return function;
    }
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    Object value = field.get(owner);
    if (value == null) {
      throw new NoSuchFieldException(owner.getClass().getName() + "." + name + " is null");
    }
    return value;
  }

  /**
   * The user's handler function: names itself on a request without a path pattern, records what
   * it throws and re-throws it unchanged.
   */
  static final class MeasuredHandler<T extends ServerResponse> implements HandlerFunction<T> {
    private final HandlerFunction<T> handler;

    MeasuredHandler(HandlerFunction<T> handler) {
      this.handler = handler;
    }

    @Override
    public T handle(ServerRequest request) throws Exception {
      HttpServletRequest servletRequest = request.servletRequest();
      try {
        if (servletRequest.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) == null) {
          servletRequest.setAttribute(HANDLER_ATTRIBUTE, this);
        }
      } catch (RuntimeException ignored) {
        // The view is then the filter's; the request goes on.
      }
      try {
        return handler.handle(request);
      } catch (Exception | Error e) {
        try {
          PrometheusAfterFilter.recordHandledException(servletRequest, e);
        } catch (RuntimeException ignored) {
          // Never let counting change what the route throws.
        }
        throw e;
      }
    }

    Class<?> handlerType() {
      return handler.getClass();
    }

    @Override
    public String toString() {
      return handler.toString();
    }
  }
}
