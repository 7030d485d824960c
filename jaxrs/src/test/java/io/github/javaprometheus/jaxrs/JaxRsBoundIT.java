package io.github.javaprometheus.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ten thousand random paths against the JAX-RS application: the views are its resource methods
 * and {@code <unnamed view>}, whatever the paths, and the families stay within {@code
 * prometheus.max-label-values} (here 3): a fourth view is recorded under {@code other}, as for any
 * handler (docs/behaviour.md, "Bounded labels and overflow").
 */
class JaxRsBoundIT {
  private static final String APP = "io.github.javaprometheus.jaxrs.app.";
  private static final int RANDOM = 10_000;

  @ParameterizedTest
  @EnumSource(ServletServer.Kind.class)
  void tenThousandRandomPathsAreBoundedByTheGuard(ServletServer.Kind kind) throws Exception {
    PrometheusSettings settings =
        PrometheusSettings.builder().set("prometheus.max-label-values", "3").build();
    try (JaxRsSite site = JaxRsSite.start(kind, settings)) {
      // The three places go to these views, in this order.
      assertThat(site.get("/api/users/1").status()).isEqualTo(200);
      assertThat(site.get("/api/nowhere").status()).isEqualTo(404);
      assertThat(site.get("/api/users/1/orders").status()).isEqualTo(200);
      Random random = new Random(42);
      for (int i = 0; i < RANDOM; i++) {
        String a = Long.toHexString(random.nextLong());
        String b = Long.toHexString(random.nextLong());
        String path =
            switch (i % 4) {
              case 0 -> "/api/users/" + a;
              case 1 -> "/api/" + a + "/" + b;
              case 2 -> "/api/users/" + a + "/orders";
              default -> "/api/stream?" + a;
            };
        assertThat(site.get(path).status()).isEqualTo(i % 4 == 1 ? 404 : 200);
      }

      TextScrape s = site.awaitResponses(3 + RANDOM);
      int each = RANDOM / 4;
      assertThat(s.samplesStartingWith("java_http_requests_total_by_view_transport_method_total"))
          .containsExactlyInAnyOrder(
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + APP + "UserResource.get\"} " + (each + 1) + ".0",
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"<unnamed view>\"} " + (each + 1) + ".0",
              "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + APP + "OrdersResource.list\"} " + (each + 1) + ".0",
              "java_http_requests_total_by_view_transport_method_total{method=\"other\",transport=\"other\",view=\"other\"} " + each + ".0");
      assertThat(s.samplesStartingWith("java_http_responses_total_by_status_view_method_total"))
          .containsExactlyInAnyOrder(
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"" + APP + "UserResource.get\"} " + (each + 1) + ".0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"404\",view=\"<unnamed view>\"} " + (each + 1) + ".0",
              "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"" + APP + "OrdersResource.list\"} " + (each + 1) + ".0",
              "java_http_responses_total_by_status_view_method_total{method=\"other\",status=\"other\",view=\"other\"} " + each + ".0");
      assertThat(s.samplesStartingWith("java_http_requests_latency_seconds_by_view_method_count"))
          .containsExactlyInAnyOrder(
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"" + APP + "UserResource.get\"} " + (each + 1),
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"<unnamed view>\"} " + (each + 1),
              "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"" + APP + "OrdersResource.list\"} " + (each + 1),
              "java_http_requests_latency_seconds_by_view_method_count{method=\"other\",view=\"other\"} " + each);
      assertThat(s.samplesStartingWith("java_http_responses_total_by_status_total"))
          .containsExactlyInAnyOrder(
              "java_http_responses_total_by_status_total{status=\"200\"} " + (3 * each + 2) + ".0",
              "java_http_responses_total_by_status_total{status=\"404\"} " + (each + 1) + ".0");
      // Each request of the fourth view overflowed once in each of the three view families; the
      // method family resolved its ten values up front and is full past PUT (no such request here).
      assertThat(s.samplesStartingWith("java_label_overflow_total"))
          .containsExactlyInAnyOrder(
              "java_label_overflow_total{family=\"java_http_requests_total_by_method\"} 0.0",
              "java_label_overflow_total{family=\"java_http_requests_total_by_view_transport_method\"} " + each + ".0",
              "java_label_overflow_total{family=\"java_http_responses_total_by_status_view_method\"} " + each + ".0",
              "java_label_overflow_total{family=\"java_http_requests_latency_seconds_by_view_method\"} " + each + ".0");
      assertThat(s.samplesStartingWith("java_http_exceptions_total")).isEmpty();
      assertThat(s.samplesStartingWith("java_instrumentation_errors_total")).isEmpty();
    }
  }
}
