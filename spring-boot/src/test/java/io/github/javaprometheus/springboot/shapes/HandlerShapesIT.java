package io.github.javaprometheus.springboot.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Views and exceptions for the shapes of {@link ShapesApp}, on embedded Tomcat and Jetty: every
 * exception a handler raised counts once by type and view, whatever response the application made
 * of it; functional routes are named by their pattern; the responses are those of the same app
 * without the library.
 */
public class HandlerShapesIT {
  private static final String SHOP = ShapesApp.Shop.class.getName();
  private static final String JSON = "application/json";

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  @Configuration(proxyBeanMethods = false)
  public static class Jetty {
    @Bean
    JettyServletWebServerFactory jettyServletWebServerFactory() {
      return new JettyServletWebServerFactory();
    }
  }

  @Configuration(proxyBeanMethods = false)
  public static class Tomcat {
    @Bean
    TomcatServletWebServerFactory tomcatServletWebServerFactory() {
      return new TomcatServletWebServerFactory();
    }
  }

  /** One request of the mix: method, path, JSON body or null, the status it gets. */
  public record Call(String method, String path, String body, int status) {}

  /** Each shape once; the statuses are those of the app without the library. */
  public static final List<Call> MIX =
      List.of(
          new Call("GET", "/ok", null, 200),
          new Call("GET", "/advised", null, 400),
          new Call("GET", "/local", null, 409),
          new Call("GET", "/status", null, 404),
          new Call("GET", "/annotated-status", null, 410),
          new Call("GET", "/param", null, 400),
          new Call("POST", "/json", "{not json", 400),
          new Call("POST", "/valid", "{\"item\":\"\",\"quantity\":0}", 400),
          new Call("GET", "/handler-fails", null, 500),
          new Call("GET", "/unhandled", null, 500),
          new Call("GET", "/deferred-fail", null, 400),
          new Call("GET", "/nothere", null, 404),
          new Call("GET", "/fn/users/7", null, 200),
          new Call("GET", "/fn/users/bad", null, 400),
          new Call("GET", "/fn/users/boom", null, 500),
          new Call("GET", "/fn/api/items/3", null, 200),
          new Call("PATCH", "/fn/anything", null, 200),
          new Call("GET", "/fn/legacy/x", null, 501),
          new Call("GET", "/fn/other", null, 200));

  @AfterEach
  void close() {
    contexts.forEach(ConfigurableApplicationContext::close);
  }

  private ConfigurableApplicationContext start(String server, boolean enabled) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ShapesApp.class)
            .sources(server.equals("jetty") ? Jetty.class : Tomcat.class)
            .properties(ShapesApp.properties(server, enabled))
            .run();
    contexts.add(context);
    return context;
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  private HttpResponse<String> send(int port, Call call) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path()))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", JSON);
    if (call.body() == null) {
      b.method(call.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", JSON)
          .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body()));
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The response as the client sees it. Boot's error body carries the time of the request, the
   * only part that differs between two runs of the same app: it is blanked.
   */
  private static String describe(HttpResponse<String> r) {
    String body = r.body().replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"-\"");
    return r.statusCode() + " " + r.headers().firstValue("Content-Type").orElse("-") + " " + body;
  }

  private static TextScrape awaitResponses(ShapesApp app, double expected)
      throws InterruptedException {
    String series = "java_http_responses_before_middlewares_total";
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    TextScrape s = TextScrape.of(app.registry());
    while (s.valueOrZero(series) != expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(series + " did not reach " + expected + ":\n" + s.text());
      }
      Thread.sleep(10);
      s = TextScrape.of(app.registry());
    }
    return TextScrape.of(app.registry());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat", "jetty"})
  void everyExceptionAViewRaisedCountsOnceAndTheResponsesAreTheApps(String server)
      throws Exception {
    ConfigurableApplicationContext with = start(server, true);
    ConfigurableApplicationContext without = start(server, false);
    for (Call call : MIX) {
      HttpResponse<String> measured = send(port(with), call);
      HttpResponse<String> plain = send(port(without), call);
      assertThat(measured.statusCode()).as(call.toString()).isEqualTo(call.status());
      assertThat(describe(measured)).as(call.toString()).isEqualTo(describe(plain));
    }

    TextScrape s = awaitResponses(with.getBean(ShapesApp.class), MIX.size());
    assertThat(s.samplesStartingWith("java_http_exceptions_total_by_type_total"))
        .containsExactlyInAnyOrder(
            // /advised and /deferred-fail (advice), /fn/users/bad (onError)
            "java_http_exceptions_total_by_type_total{type=\"IllegalArgumentException\"} 3.0",
            "java_http_exceptions_total_by_type_total{type=\"LocalProblem\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"ResponseStatusException\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"Gone\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"MissingServletRequestParameterException\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"HttpMessageNotReadableException\"} 1.0",
            "java_http_exceptions_total_by_type_total{type=\"MethodArgumentNotValidException\"} 1.0",
            // Its @ExceptionHandler threw an IllegalStateException: both count, once each (Spring
            // logs the handler's and re-throws the original).
            "java_http_exceptions_total_by_type_total{type=\"HandlerFailsProblem\"} 1.0",
            // /unhandled, /fn/users/boom (no onError for it) and /handler-fails's handler
            "java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"} 3.0",
            // /fn/legacy/x, answered 501 by the route's filter
            "java_http_exceptions_total_by_type_total{type=\"UnsupportedOperationException\"} 1.0");
    assertThat(s.samplesStartingWith("java_http_exceptions_total_by_view_total"))
        .containsExactlyInAnyOrder(
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".advised\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".local\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".status\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".annotatedStatus\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".param\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".json\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".valid\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".handlerFails\"} 2.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".unhandled\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".deferredFail\"} 1.0",
            "java_http_exceptions_total_by_view_total{view=\"/fn/users/{id}\"} 2.0",
            "java_http_exceptions_total_by_view_total{view=\"/fn/legacy/{x}\"} 1.0");
    assertThat(views(s))
        .containsExactly(
            "/fn/api/items/{id}",
            "/fn/legacy/{x}",
            "/fn/other",
            "/fn/users/{id}",
            "<unnamed view>",
            ShapesApp.class.getName(),
            SHOP + ".advised",
            SHOP + ".annotatedStatus",
            SHOP + ".deferredFail",
            SHOP + ".handlerFails",
            SHOP + ".json",
            SHOP + ".local",
            SHOP + ".ok",
            SHOP + ".param",
            SHOP + ".status",
            SHOP + ".unhandled",
            SHOP + ".valid");
    assertThat(s.samplesStartingWith("java_instrumentation_errors_total")).isEmpty();
  }

  /** The view label values of the requests family, sorted. */
  public static Set<String> views(TextScrape s) {
    Map<String, String> sorted = new TreeMap<>();
    for (String sample : s.samplesStartingWith("java_http_requests_total_by_view_transport_method_total")) {
      int at = sample.indexOf("view=\"") + 6;
      String view = sample.substring(at, sample.indexOf('"', at));
      sorted.put(view, view);
    }
    return new LinkedHashSet<>(sorted.keySet());
  }

  @Test
  void tenThousandRandomPathsAndExceptionClassesStayWithinTheBound() throws Exception {
    ConfigurableApplicationContext with = start("tomcat", true);
    int port = port(with);
    Random random = new Random(42);
    Set<String> firstNames = new LinkedHashSet<>();
    int overflowing = 0;
    int unmatched = 0;
    int users = 0;
    for (int i = 0; i < 10_000; i++) {
      int kind = i % 4;
      if (kind == 0) {
        String digits = String.format("%04d", random.nextInt(10_000));
        if (firstNames.size() < 100) {
          firstNames.add("GeneratedFailure" + digits);
        } else if (!firstNames.contains("GeneratedFailure" + digits)) {
          overflowing++;
        }
        assertThat(send(port, new Call("GET", "/random?name=" + digits, null, 418)).statusCode())
            .isEqualTo(418);
      } else if (kind == 1) {
        assertThat(send(port, new Call("GET", "/fn/users/" + random.nextLong(), null, 200)).statusCode())
            .isEqualTo(200);
        users++;
      } else {
        String path = "/r" + Long.toHexString(random.nextLong()) + "/" + random.nextInt();
        assertThat(send(port, new Call("GET", path, null, 404)).statusCode()).isEqualTo(404);
        unmatched++;
      }
    }
    TextScrape s = awaitResponses(with.getBean(ShapesApp.class), 10_000);
    assertThat(views(s)).containsExactly("/fn/users/{id}", "<unnamed view>", SHOP + ".random");
    assertThat(s.value("java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"/fn/users/{id}\"}"))
        .isEqualTo(users);
    assertThat(s.value("java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"<unnamed view>\"}"))
        .isEqualTo(unmatched);
    List<String> types = s.samplesStartingWith("java_http_exceptions_total_by_type_total");
    // The first 100 exception types keep their own series (max-label-values=100), the rest are "other".
    assertThat(types).hasSize(101);
    assertThat(s.value("java_http_exceptions_total_by_type_total{type=\"other\"}"))
        .isEqualTo(overflowing);
    for (String name : firstNames) {
      assertThat(s.value("java_http_exceptions_total_by_type_total{type=\"" + name + "\"}"))
          .as(name)
          .isNotNull();
    }
    assertThat(s.value("java_http_exceptions_total_by_view_total{view=\"" + SHOP + ".random\"}"))
        .isEqualTo(2500);
    assertThat(s.value("java_label_overflow_total{family=\"java_http_exceptions_total_by_type\"}"))
        .isEqualTo(overflowing);
  }
}
