package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The rebuilt route tree is the user's: the same routes, nesting, attributes and resources, in the
 * same order (as Spring's own visitor sees them), only the handlers wrapped; what it does not know
 * it keeps as it is.
 */
class RouterFunctionInstrumentationTest {
  private final RouterFunctionInstrumentation instrumentation = new RouterFunctionInstrumentation();

  /** Writes down what Spring's visitor sees. */
  static final class Description implements RouterFunctions.Visitor {
    final List<String> lines = new ArrayList<>();
    int wrapped;

    @Override
    public void startNested(RequestPredicate predicate) {
      lines.add("nest " + predicate);
    }

    @Override
    public void endNested(RequestPredicate predicate) {
      lines.add("end " + predicate);
    }

    @Override
    public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
      if (handlerFunction instanceof RouterFunctionInstrumentation.MeasuredHandler) {
        wrapped++;
      }
      lines.add("route " + predicate + " -> " + handlerFunction);
    }

    @Override
    public void resources(Function<ServerRequest, Optional<Resource>> lookupFunction) {
      lines.add("resources " + lookupFunction);
    }

    @Override
    public void attributes(Map<String, Object> attributes) {
      lines.add("attributes " + attributes);
    }

    @Override
    public void unknown(RouterFunction<?> routerFunction) {
      lines.add("unknown " + routerFunction);
    }
  }

  private static Description describe(Object function) {
    Description d = new Description();
    ((RouterFunction<?>) function).accept(d);
    return d;
  }

  @Test
  void theRebuiltTreeIsTheUsersWithEveryHandlerWrapped() {
    HandlerFunction<ServerResponse> users = request -> ServerResponse.ok().build();
    HandlerFunction<ServerResponse> items = request -> ServerResponse.ok().build();
    RouterFunction<?> original =
        RouterFunctions.route()
            .GET("/users/{id}", users)
            .withAttribute("owner", "team-a")
            .nest(RequestPredicates.path("/api"), api -> api.POST("/items", items))
            .resources("/static/**", new ClassPathResource("static/"))
            .filter((request, next) -> next.handle(request))
            .onError(IllegalStateException.class, (e, request) -> ServerResponse.status(409).build())
            .build()
            .and(RouterFunctions.route(RequestPredicates.GET("/legacy"), users))
            .andOther(RouterFunctions.route(RequestPredicates.GET("/other"), items));

    Object rebuilt = instrumentation.postProcessAfterInitialization(original, "routes");

    assertThat(rebuilt).isNotSameAs(original);
    Description before = describe(original);
    Description after = describe(rebuilt);
    assertThat(after.lines).isEqualTo(before.lines);
    assertThat(after.lines).hasSize(8);
    assertThat(before.wrapped).isZero();
    assertThat(after.wrapped).isEqualTo(4);
  }

  @Test
  void aRouterFunctionOfTheApplicationsOwnIsKeptAsItIs() {
    RouterFunction<ServerResponse> own = request -> Optional.empty();
    assertThat(instrumentation.postProcessAfterInitialization(own, "own")).isSameAs(own);

    RouterFunction<ServerResponse> composed =
        RouterFunctions.route(RequestPredicates.GET("/a"), request -> ServerResponse.ok().build())
            .and(own);
    Description after = describe(instrumentation.postProcessAfterInitialization(composed, "c"));
    assertThat(after.wrapped).isEqualTo(1);
    assertThat(after.lines).hasSize(2).last().asString().startsWith("unknown ");
  }

  @Test
  void otherBeansAreNotTouched() {
    Object bean = new Object();
    assertThat(instrumentation.postProcessAfterInitialization(bean, "bean")).isSameAs(bean);
  }
}
