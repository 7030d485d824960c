package io.github.javaprometheus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

class TextScrapeTest {
  private static final String TEXT =
      "# TYPE a_total counter\n"
          + "a_total{x=\"1\",y=\"q,\\\"z\"} 3.0\n"
          + "a_total{x=\"2\"} 1.0\n"
          + "b 7.5\n";

  @Test
  void findsASampleByNameAndLabelsInAnyOrder() {
    TextScrape s = TextScrape.parse(TEXT);
    assertThat(s.value("a_total{y=\"q,\\\"z\",x=\"1\"}")).isEqualTo(3.0);
    assertThat(s.value("b")).isEqualTo(7.5);
    assertThat(s.value("a_total{x=\"3\"}")).isNull();
    assertThat(s.valueOrZero("a_total{x=\"3\"}")).isZero();
  }

  @Test
  void listsSamplesWithoutComments() {
    TextScrape s = TextScrape.parse(TEXT);
    assertThat(s.samples()).hasSize(3);
    assertThat(s.samplesStartingWith("a_total"))
        .containsExactly("a_total{x=\"1\",y=\"q,\\\"z\"} 3.0", "a_total{x=\"2\"} 1.0");
  }

  @Test
  void scrapesARegistryInTheTextFormat() {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(
        () ->
            new MetricSnapshots(
                CounterSnapshot.builder()
                    .name("jobs")
                    .dataPoint(
                        CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(Labels.of("queue", "q"))
                            .value(2)
                            .build())
                    .build()));
    assertThat(TextScrape.of(registry).samples()).containsExactly("jobs_total{queue=\"q\"} 2.0");
  }
}
