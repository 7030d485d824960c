package io.github.javaprometheus.springboot.shapes;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A Spring Boot app written the ways users write them: annotated controllers with exceptions
 * handled in the controller, in a {@code @RestControllerAdvice}, by {@code @ResponseStatus}, {@code
 * ResponseStatusException} and Spring's default resolvers, and functional routes (builder with
 * {@code nest} and {@code onError}, a route without a path pattern, {@code route().andRoute()} with
 * a {@code filter}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ShapesApp {
  final PrometheusRegistry registry = new PrometheusRegistry();

  /** The app's families on its own registry (absent when the library is disabled). */
  @Bean
  @ConditionalOnProperty(name = "prometheus.enabled", havingValue = "true")
  MetricFamilies metricFamilies(PrometheusSettings settings) {
    return MetricFamilies.create(settings, registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  // Shop and Advice, member classes of this configuration, are registered by Spring as such.

  @Bean
  RouterFunction<ServerResponse> userRoutes() {
    return RouterFunctions.route()
        .GET(
            "/fn/users/{id}",
            request -> {
              String id = request.pathVariable("id");
              if (id.equals("bad")) {
                throw new IllegalArgumentException("bad id");
              }
              if (id.equals("boom")) {
                throw new IllegalStateException("fn boom");
              }
              return ServerResponse.ok().body("user " + id);
            })
        .nest(
            RequestPredicates.path("/fn/api"),
            api -> api.GET("/items/{id}", request -> ServerResponse.ok().body("item")))
        // No path pattern: named by the class that defined the handler.
        .route(
            RequestPredicates.method(HttpMethod.PATCH),
            request -> ServerResponse.ok().body("patched"))
        .onError(
            IllegalArgumentException.class,
            (e, request) -> ServerResponse.badRequest().body("fn bad: " + e.getMessage()))
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> legacyRoutes() {
    return RouterFunctions.route(
            RequestPredicates.GET("/fn/legacy/{x}"),
            request -> {
              throw new UnsupportedOperationException("legacy");
            })
        .andRoute(RequestPredicates.GET("/fn/other"), request -> ServerResponse.ok().body("other"))
        .filter(
            (request, next) -> {
              try {
                return next.handle(request);
              } catch (UnsupportedOperationException e) {
                return ServerResponse.status(501).body("not implemented");
              }
            });
  }

  /** Handled in the controller itself. */
  public static final class LocalProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Mapped by its annotation. */
  @ResponseStatus(HttpStatus.GONE)
  public static final class Gone extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Its @ExceptionHandler fails too. */
  public static final class HandlerFailsProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** An order with constraints, for @Valid. */
  public static final class Order {
    @NotBlank public String item;
    @Min(1) public int quantity;
  }

  @RestController
  public static class Shop {
    @GetMapping("/ok")
    String ok() {
      return "ok";
    }

    @GetMapping("/advised")
    String advised() {
      throw new IllegalArgumentException("advised");
    }

    @GetMapping("/local")
    String local() {
      throw new LocalProblem();
    }

    @ExceptionHandler(LocalProblem.class)
    ResponseEntity<String> onLocal(LocalProblem e) {
      return ResponseEntity.status(409).body("local");
    }

    @GetMapping("/status")
    String status() {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such order");
    }

    @GetMapping("/annotated-status")
    String annotatedStatus() {
      throw new Gone();
    }

    @GetMapping("/param")
    String param(@RequestParam int n) {
      return "n=" + n;
    }

    @PostMapping("/json")
    String json(@RequestBody Order order) {
      return "ordered " + order.item;
    }

    @PostMapping("/valid")
    String valid(@Valid @RequestBody Order order) {
      return "valid " + order.item;
    }

    @GetMapping("/handler-fails")
    String handlerFails() {
      throw new HandlerFailsProblem();
    }

    @GetMapping("/unhandled")
    String unhandled() {
      throw new IllegalStateException("unhandled");
    }

    @GetMapping("/deferred-fail")
    DeferredResult<String> deferredFail() {
      DeferredResult<String> result = new DeferredResult<>(10_000L);
      CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
          .execute(() -> result.setErrorResult(new IllegalArgumentException("later")));
      return result;
    }

    @GetMapping("/random")
    String random(@RequestParam String name) {
      throw GeneratedFailures.create(name);
    }
  }

  @RestControllerAdvice
  public static class Advice {
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<String> badArgument(IllegalArgumentException e) {
      return ResponseEntity.badRequest().body("advised: " + e.getMessage());
    }

    @ExceptionHandler(HandlerFailsProblem.class)
    String handlerFails(HandlerFailsProblem e) {
      throw new IllegalStateException("the handler failed too");
    }

    @ExceptionHandler(RandomFailure.class)
    ResponseEntity<String> random(RandomFailure e) {
      return ResponseEntity.status(418).body("random");
    }
  }

  /** The base of the exception classes generated at run time. */
  public static class RandomFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static Map<String, Object> properties(String server, boolean enabled) {
    Map<String, Object> p = new HashMap<>();
    p.put("server.port", "0");
    p.put("server.address", "127.0.0.1");
    p.put("spring.main.banner-mode", "off");
    p.put("spring.liquibase.enabled", "false");
    p.put("prometheus.enabled", String.valueOf(enabled));
    p.put("prometheus.max-label-values", "100");
    p.put("logging.level.root", "WARN");
    return p;
  }
}
