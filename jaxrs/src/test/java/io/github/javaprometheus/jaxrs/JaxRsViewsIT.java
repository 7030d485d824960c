package io.github.javaprometheus.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.jaxrs.JaxRsSite.Mode;
import io.github.javaprometheus.testing.TextScrape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Jersey application on a real Tomcat and a real Jetty, with no code of ours in it: every
 * request's view is the resource method that served it, a path no resource matched is {@code
 * <unnamed view>}, and streaming resource methods count as streaming.
 */
class JaxRsViewsIT {
  private static final String APP = "io.github.javaprometheus.jaxrs.app.";

  @ParameterizedTest
  @EnumSource(ServletServer.Kind.class)
  void theViewIsTheResourceMethodAndAnUnmatchedPathIsUnnamed(ServletServer.Kind kind)
      throws Exception {
    try (JaxRsSite site = JaxRsSite.start(kind, Mode.INSTRUMENTED)) {
      assertThat(site.get("/api/users/1").text()).isEqualTo("user 1");
      assertThat(site.get("/api/users/2").text()).isEqualTo("user 2");
      assertThat(site.send("POST", "/api/users", "ann").status()).isEqualTo(201);
      assertThat(site.get("/api/users/7/orders").text()).isEqualTo("orders of 7");
      assertThat(site.get("/api/stream").text()).isEqualTo("line 0\nline 1\nline 2\n");
      assertThat(site.get("/api/events").text()).isEqualTo("data: one\n\ndata: two\n\n");
      assertThat(site.get("/api/nowhere").status()).isEqualTo(404);
      assertThat(site.send("DELETE", "/api/users/1", null).status()).isEqualTo(405);

      TextScrape s = site.awaitResponses(8);
      assertThat(s.samplesStartingWith("java_http_requests_total_by_view_transport_method_total"))
          .containsExactlyInAnyOrder(
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + APP + "UserResource.get\"} 2.0",
              "java_http_requests_total_by_view_transport_method_total{method=\"POST\",transport=\"http\",view=\"" + APP + "UserResource.create\"} 1.0",
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + APP + "OrdersResource.list\"} 1.0",
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + APP + "StreamResource.numbers\"} 1.0",
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + APP + "EventsResource.events\"} 1.0",
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"<unnamed view>\"} 1.0",
              "java_http_requests_total_by_view_transport_method_total{method=\"DELETE\",transport=\"http\",view=\"<unnamed view>\"} 1.0");
      assertThat(s.samplesStartingWith("java_http_responses_total_by_status_view_method_total"))
          .containsExactlyInAnyOrder(
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"" + APP + "UserResource.get\"} 2.0",
              "java_http_responses_total_by_status_view_method_total{method=\"POST\",status=\"201\",view=\"" + APP + "UserResource.create\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"" + APP + "OrdersResource.list\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"" + APP + "StreamResource.numbers\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"" + APP + "EventsResource.events\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"404\",view=\"<unnamed view>\"} 1.0",
              "java_http_responses_total_by_status_view_method_total{method=\"DELETE\",status=\"405\",view=\"<unnamed view>\"} 1.0");
      assertThat(s.samplesStartingWith("java_http_requests_latency_seconds_by_view_method_count"))
          .containsExactlyInAnyOrder(
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"" + APP + "UserResource.get\"} 2",
              "java_http_requests_latency_seconds_by_view_method_count{method=\"POST\",view=\"" + APP + "UserResource.create\"} 1",
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"" + APP + "OrdersResource.list\"} 1",
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"" + APP + "StreamResource.numbers\"} 1",
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"" + APP + "EventsResource.events\"} 1",
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"<unnamed view>\"} 1",
              "java_http_requests_latency_seconds_by_view_method_count{method=\"DELETE\",view=\"<unnamed view>\"} 1");
      // StreamingOutput and server-sent events.
      assertThat(s.value("java_http_responses_streaming_total")).isEqualTo(2.0);
      // A 404 or 405 of JAX-RS's matching is no exception of a view.
      assertThat(s.samplesStartingWith("java_http_exceptions_total")).isEmpty();
      assertThat(s.samplesStartingWith("java_instrumentation_errors_total")).isEmpty();
    }
  }
}
