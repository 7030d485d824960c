package io.github.javaprometheus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The benchmark measures what it claims: every reused request is served and recorded. */
class HttpFilterBenchmarkTest {
  private static final int N = 1_000;
  private static final String VIEW = JavaPrometheusInstrumentation.VIEW;

  @ParameterizedTest
  @ValueSource(strings = {"none", "micrometer", "java-prometheus"})
  void everyVariantServesHelloToEveryReusedRequest(String name) throws Exception {
    Exchange exchange = new Exchange(HttpInstrumentation.create(name).filters());
    for (int i = 0; i < N; i++) {
      assertThat(exchange.serve()).isEqualTo(200);
      assertThat(exchange.response().getContentAsString()).isEqualTo("hello");
      assertThat(exchange.response().getContentType()).isEqualTo("text/plain;charset=UTF-8");
    }
    assertThat(exchange.served()).isEqualTo(N);
  }

  @Test
  void javaPrometheusRecordsEveryRequestInEveryFamily() throws Exception {
    JavaPrometheusInstrumentation ours = new JavaPrometheusInstrumentation();
    Exchange exchange = new Exchange(ours.filters());
    for (int i = 0; i < N; i++) {
      exchange.serve();
    }

    TextScrape scrape = ours.scrape();
    assertThat(scrape.value("java_http_requests_before_middlewares_total")).isEqualTo(N);
    assertThat(scrape.value("java_http_responses_before_middlewares_total")).isEqualTo(N);
    assertThat(scrape.value("java_http_requests_latency_including_middlewares_seconds_count"))
        .isEqualTo(N);
    assertThat(scrape.value("java_http_requests_total_by_method_total{method=\"GET\"}")).isEqualTo(N);
    assertThat(scrape.value("java_http_requests_total_by_transport_total{transport=\"http\"}"))
        .isEqualTo(N);
    assertThat(
            scrape.value(
                "java_http_requests_total_by_view_transport_method_total{view=\""
                    + VIEW
                    + "\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(N);
    assertThat(scrape.value("java_http_requests_body_total_bytes_count")).isEqualTo(N);
    assertThat(scrape.value("java_http_responses_total_by_status_total{status=\"200\"}")).isEqualTo(N);
    assertThat(
            scrape.value(
                "java_http_responses_total_by_status_view_method_total{status=\"200\",view=\""
                    + VIEW
                    + "\",method=\"GET\"}"))
        .isEqualTo(N);
    assertThat(
            scrape.value(
                "java_http_responses_total_by_templatename_total{templatename=\"<unknown template>\"}"))
        .isEqualTo(N);
    assertThat(scrape.value("java_http_responses_total_by_charset_total{charset=\"UTF-8\"}"))
        .isEqualTo(N);
    assertThat(scrape.value("java_http_responses_body_total_bytes_count")).isEqualTo(N);
    assertThat(scrape.value("java_http_responses_body_total_bytes_sum")).isEqualTo(5.0 * N);
    assertThat(
            scrape.value(
                "java_http_requests_latency_seconds_by_view_method_count{view=\""
                    + VIEW
                    + "\",method=\"GET\"}"))
        .isEqualTo(N);
    assertThat(scrape.valueOrZero("java_http_responses_streaming_total")).isZero();
    assertThat(scrape.samplesStartingWith("java_instrumentation_errors_total")).isEmpty();
    assertThat(ours.recordedRequests()).isEqualTo(N);
  }

  @Test
  void micrometerRecordsEveryRequestUnderTheMatchedPattern() throws Exception {
    MicrometerInstrumentation micrometer = new MicrometerInstrumentation();
    Exchange exchange = new Exchange(micrometer.filters());
    for (int i = 0; i < N; i++) {
      exchange.serve();
    }

    TextScrape scrape = TextScrape.parse(micrometer.scrape());
    assertThat(
            scrape.value(
                "http_server_requests_seconds_count{error=\"none\",exception=\"none\","
                    + "method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/myview/\"}"))
        .isEqualTo(N);
    assertThat(micrometer.recordedRequests()).isEqualTo(N);
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "micrometer", "java-prometheus"})
  void trialTearDownAcceptsARunThatRecordedEveryRequest(String name) throws Exception {
    for (String pair : new String[] {"reused", "fresh"}) {
      HttpFilterBenchmark benchmark = new HttpFilterBenchmark();
      benchmark.instrumentation = name;
      benchmark.body = "stream";
      benchmark.pair = pair;
      benchmark.setUp();
      for (int i = 0; i < N; i++) {
        assertThat(benchmark.request()).isEqualTo(200);
      }
      benchmark.verifyEveryRequestWasRecorded();
    }
  }
}
