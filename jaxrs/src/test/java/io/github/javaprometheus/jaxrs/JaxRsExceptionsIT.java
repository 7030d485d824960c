package io.github.javaprometheus.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jaxrs.JaxRsSite.Mode;
import io.github.javaprometheus.jaxrs.JaxRsSite.Reply;
import io.github.javaprometheus.testing.TextScrape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exceptions a resource raised, on a real Tomcat and Jetty: thrown and unmapped (500), answered by
 * the application's {@code ExceptionMapper} (400), and {@code WebApplicationException}s answered
 * by JAX-RS itself (409, and a resource's own 404) are each counted once by type and view; the
 * 404 of a path no resource matched is not. The client gets byte for byte what it gets from the
 * same application without the library.
 */
class JaxRsExceptionsIT {
  private static final String FAIL = "io.github.javaprometheus.jaxrs.app.FailingResource.";
  private static final String USERS = "io.github.javaprometheus.jaxrs.app.UserResource.";

  private static final List<String[]> REQUESTS =
      List.of(
          new String[] {"GET", "/api/fail/unmapped", null},
          new String[] {"GET", "/api/fail/mapped", null},
          new String[] {"GET", "/api/fail/mapped", null},
          new String[] {"GET", "/api/fail/conflict", null},
          new String[] {"GET", "/api/fail/missing", null},
          new String[] {"GET", "/api/fail/checked", null},
          new String[] {"GET", "/api/fail/mapper-fails", null},
          new String[] {"GET", "/api/users/4", null, "X-Deny"},
          new String[] {"GET", "/api/nowhere", null},
          new String[] {"GET", "/api/users/3", null},
          new String[] {"POST", "/api/users", "bob"},
          new String[] {"DELETE", "/api/users/3", null},
          new String[] {"GET", "/api/users/3/orders", null},
          new String[] {"GET", "/api/stream", null},
          new String[] {"GET", "/api/events", null});

  private static List<Reply> replay(JaxRsSite site) throws Exception {
    List<Reply> replies = new ArrayList<>();
    for (String[] r : REQUESTS) {
      replies.add(
          r.length > 3 ? site.send(r[0], r[1], r[2], r[3], "yes") : site.send(r[0], r[1], r[2]));
    }
    return replies;
  }

  @ParameterizedTest
  @EnumSource(ServletServer.Kind.class)
  void everyExceptionAResourceRaisedIsCountedOnceByTypeAndView(ServletServer.Kind kind)
      throws Exception {
    try (JaxRsSite site = JaxRsSite.start(kind, Mode.INSTRUMENTED)) {
      assertThat(site.get("/api/fail/unmapped").status()).isEqualTo(500);
      Reply mapped = site.get("/api/fail/mapped");
      assertThat(mapped.status()).isEqualTo(400);
      assertThat(mapped.text()).isEqualTo("bad argument: bad id");
      assertThat(site.get("/api/fail/mapped").status()).isEqualTo(400);
      Reply conflict = site.get("/api/fail/conflict");
      assertThat(conflict.status()).isEqualTo(409);
      assertThat(conflict.text()).isEqualTo("already there");
      assertThat(site.get("/api/fail/missing").status()).isEqualTo(404);
      assertThat(site.get("/api/nowhere").status()).isEqualTo(404);
      // The mapper's own failure: Jersey logs it and answers 500; the original counts.
      assertThat(site.get("/api/fail/mapper-fails").status()).isEqualTo(500);
      // A post-matching filter refuses: an exception raised for the matched view.
      assertThat(site.send("GET", "/api/users/4", null, "X-Deny", "yes").status()).isEqualTo(403);
      // Checked and unmapped: Jersey wraps it in its ContainerException for the container; it
      // counts once, under the type the resource raised.
      assertThat(site.get("/api/fail/checked").status()).isEqualTo(500);

      TextScrape s = site.awaitResponses(9);
      assertThat(s.samplesStartingWith("java_http_exceptions_total_by_type_total"))
          .containsExactlyInAnyOrder(
              "java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"} 1.0",
              "java_http_exceptions_total_by_type_total{type=\"IllegalArgumentException\"} 2.0",
              "java_http_exceptions_total_by_type_total{type=\"WebApplicationException\"} 1.0",
              "java_http_exceptions_total_by_type_total{type=\"NotFoundException\"} 1.0",
              "java_http_exceptions_total_by_type_total{type=\"UnsupportedOperationException\"} 1.0",
              "java_http_exceptions_total_by_type_total{type=\"ForbiddenException\"} 1.0",
              "java_http_exceptions_total_by_type_total{type=\"IOException\"} 1.0");
      assertThat(s.samplesStartingWith("java_http_exceptions_total_by_view_total"))
          .containsExactlyInAnyOrder(
              "java_http_exceptions_total_by_view_total{view=\"" + FAIL + "unmapped\"} 1.0",
              "java_http_exceptions_total_by_view_total{view=\"" + FAIL + "mapped\"} 2.0",
              "java_http_exceptions_total_by_view_total{view=\"" + FAIL + "conflict\"} 1.0",
              "java_http_exceptions_total_by_view_total{view=\"" + FAIL + "missing\"} 1.0",
              "java_http_exceptions_total_by_view_total{view=\"" + FAIL + "mapperFails\"} 1.0",
              "java_http_exceptions_total_by_view_total{view=\"" + USERS + "get\"} 1.0",
              "java_http_exceptions_total_by_view_total{view=\"" + FAIL + "checked\"} 1.0");
      assertThat(s.samplesStartingWith("java_http_responses_total_by_status_view_method_total"))
          .containsExactlyInAnyOrder(
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"500\",view=\"" + FAIL + "unmapped\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"400\",view=\"" + FAIL + "mapped\"} 2.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"409\",view=\"" + FAIL + "conflict\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"404\",view=\"" + FAIL + "missing\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"404\",view=\"<unnamed view>\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"500\",view=\"" + FAIL + "mapperFails\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"403\",view=\"" + USERS + "get\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"500\",view=\"" + FAIL + "checked\"} 1.0");
      assertThat(s.samplesStartingWith("java_instrumentation_errors_total")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(ServletServer.Kind.class)
  void withCountHandledExceptionsOffOnlyTheUnmappedOneCounts(ServletServer.Kind kind)
      throws Exception {
    PrometheusSettings settings =
        PrometheusSettings.builder().set("prometheus.count-handled-exceptions", "false").build();
    try (JaxRsSite site = JaxRsSite.start(kind, settings)) {
      assertThat(site.get("/api/fail/unmapped").status()).isEqualTo(500);
      assertThat(site.get("/api/fail/mapped").status()).isEqualTo(400);
      assertThat(site.get("/api/fail/conflict").status()).isEqualTo(409);
      assertThat(site.get("/api/fail/missing").status()).isEqualTo(404);

      TextScrape s = site.awaitResponses(4);
      assertThat(s.samplesStartingWith("java_http_exceptions_total_by_type_total"))
          .containsExactly(
              "java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"} 1.0");
      assertThat(s.samplesStartingWith("java_http_exceptions_total_by_view_total"))
          .containsExactly(
              "java_http_exceptions_total_by_view_total{view=\"" + FAIL + "unmapped\"} 1.0");
    }
  }

  @ParameterizedTest
  @EnumSource(ServletServer.Kind.class)
  void responsesAreByteIdenticalToTheApplicationWithoutTheLibrary(ServletServer.Kind kind)
      throws Exception {
    List<Reply> absent;
    try (JaxRsSite site = JaxRsSite.start(kind, Mode.ABSENT)) {
      absent = replay(site);
    }
    List<Reply> disabled;
    try (JaxRsSite site = JaxRsSite.start(kind, Mode.DISABLED)) {
      disabled = replay(site);
    }
    List<Reply> instrumented;
    try (JaxRsSite site = JaxRsSite.start(kind, Mode.INSTRUMENTED)) {
      instrumented = replay(site);
      site.awaitResponses(REQUESTS.size());
    }
    assertThat(absent.get(0).status()).isEqualTo(500);
    assertThat(absent.get(1).text()).isEqualTo("bad argument: bad id");
    assertThat(instrumented).containsExactlyElementsOf(absent);
    assertThat(disabled).containsExactlyElementsOf(absent);
  }
}
