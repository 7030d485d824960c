package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP families have one bound each, the family's own: a view past it is recorded with every
 * label set to the overflow value, in each family that is full, and each request counts once in
 * {@code label_overflow_total} per overflowing family (docs/behaviour.md, "Bounded labels and
 * overflow").
 */
class HttpBoundTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private ResolvedView current;

  private MinimalExchange exchange(String maxLabelValues) {
    HttpMetrics metrics =
        HttpMetrics.create(
            MetricFamilies.create(
                PrometheusSettings.builder()
                    .set("prometheus.max-label-values", maxLabelValues)
                    .build(),
                registry));
    ViewResolver resolver = (request, response) -> current;
    return new MinimalExchange(
        List.of(new PrometheusBeforeFilter(metrics), new PrometheusAfterFilter(metrics, List.of(resolver))));
  }

  private void serve(MinimalExchange exchange, String view, int times) throws Exception {
    current = ResolvedView.of(view, false);
    for (int i = 0; i < times; i++) {
      assertThat(exchange.serve()).isEqualTo(200);
    }
  }

  @Test
  void aViewPastTheBoundIsOtherInEveryLabelOfEachFullFamilyAndCountedOncePerRequest()
      throws Exception {
    MinimalExchange exchange = exchange("2");
    serve(exchange, "a.View.one", 1);
    serve(exchange, "a.View.two", 1);
    serve(exchange, "a.View.three", 3);

    TextScrape s = TextScrape.of(registry);
    assertThat(s.samplesStartingWith("java_http_requests_total_by_view_transport_method_total"))
        .containsExactlyInAnyOrder(
            "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"a.View.one\"} 1.0",
            "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"a.View.two\"} 1.0",
            "java_http_requests_total_by_view_transport_method_total{method=\"other\",transport=\"other\",view=\"other\"} 3.0");
    assertThat(s.samplesStartingWith("java_http_responses_total_by_status_view_method_total"))
        .containsExactlyInAnyOrder(
            "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"a.View.one\"} 1.0",
            "java_http_responses_total_by_status_view_method_total{method=\"GET\",status=\"200\",view=\"a.View.two\"} 1.0",
            "java_http_responses_total_by_status_view_method_total{method=\"other\",status=\"other\",view=\"other\"} 3.0");
    assertThat(s.samplesStartingWith("java_http_requests_latency_seconds_by_view_method_count"))
        .containsExactlyInAnyOrder(
            "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"a.View.one\"} 1",
            "java_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\"a.View.two\"} 1",
            "java_http_requests_latency_seconds_by_view_method_count{method=\"other\",view=\"other\"} 3");
    // One status, one charset, one template: those families are far from full.
    assertThat(s.samplesStartingWith("java_http_responses_total_by_status_total"))
        .containsExactly("java_http_responses_total_by_status_total{status=\"200\"} 5.0");
    // The method family resolved its ten values up front and found itself full at PUT: its
    // overflow child exists, unused (every request here is a GET).
    assertThat(s.samplesStartingWith("java_label_overflow_total"))
        .containsExactlyInAnyOrder(
            "java_label_overflow_total{family=\"java_http_requests_total_by_method\"} 0.0",
            "java_label_overflow_total{family=\"java_http_requests_total_by_view_transport_method\"} 3.0",
            "java_label_overflow_total{family=\"java_http_responses_total_by_status_view_method\"} 3.0",
            "java_label_overflow_total{family=\"java_http_requests_latency_seconds_by_view_method\"} 3.0");
    assertThat(s.samplesStartingWith("java_instrumentation_errors_total")).isEmpty();
  }

  @Test
  void methodsPastTheBoundOverflowLikeAnyLabelAndEachRequestCounts() throws Exception {
    // The method family resolves its ten values up front, in HttpMethods order: GET and POST take
    // the two places, PUT and the rest are the overflow child.
    MinimalExchange exchange = exchange("2");
    serve(exchange, "a.View.one", 1);
    exchange.method("PUT");
    serve(exchange, "a.View.one", 2);

    TextScrape s = TextScrape.of(registry);
    assertThat(s.samplesStartingWith("java_http_requests_total_by_method_total"))
        .containsExactlyInAnyOrder(
            "java_http_requests_total_by_method_total{method=\"GET\"} 1.0",
            "java_http_requests_total_by_method_total{method=\"POST\"} 0.0",
            "java_http_requests_total_by_method_total{method=\"other\"} 2.0");
    // (view, transport, method) is a family of its own: its second label set still fits.
    assertThat(s.samplesStartingWith("java_http_requests_total_by_view_transport_method_total"))
        .containsExactlyInAnyOrder(
            "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"a.View.one\"} 1.0",
            "java_http_requests_total_by_view_transport_method_total{method=\"PUT\",transport=\"http\",view=\"a.View.one\"} 2.0");
    assertThat(s.samplesStartingWith("java_label_overflow_total"))
        .containsExactly(
            "java_label_overflow_total{family=\"java_http_requests_total_by_method\"} 2.0");
  }
}
