package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterSumTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private static List<BoundedFamily<CounterDataPoint>> parts(MetricFamilies f) {
    return List.of(f.counter("ok", "ok help", "k"), f.counter("ko", "ko help", "k"));
  }

  @Test
  void theSumOfEachLabelSetIsReadFromThePartsWhenScraped() {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    List<BoundedFamily<CounterDataPoint>> parts = parts(f);
    BoundedFamily<CounterDataPoint> all = f.counterSum("all", "all help", parts, "k");
    assertThat(all.isSum()).isTrue();
    assertThat(parts.get(0).isSum()).isFalse();
    all.child("a");
    parts.get(0).label("a").inc(2);
    parts.get(1).label("a").inc();
    parts.get(1).label("b").inc(4);
    parts.get(0).label("z"); // a child at zero gives a sum at zero

    TextScrape s = TextScrape.of(registry);
    assertThat(s.samplesStartingWith("java_all"))
        .containsExactly(
            "java_all_total{k=\"a\"} 3.0", "java_all_total{k=\"b\"} 4.0", "java_all_total{k=\"z\"} 0.0");
    assertThat(s.text())
        .contains("# HELP java_all_total all help\n# TYPE java_all_total counter\n");
  }

  @Test
  void itsChildrenRecordNothingAndSaySo() {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    BoundedFamily<CounterDataPoint> all = f.counterSum("all", "h", parts(f), "k");
    assertThatThrownBy(() -> all.label("a").inc())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("java_all = sum of [java_ok, java_ko]");
    assertThatThrownBy(all::metric).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aSecondFactoryGetsTheSameSumAndAnotherDefinitionFails() {
    PrometheusSettings s = PrometheusSettings.defaults();
    MetricFamilies first = MetricFamilies.create(s, registry);
    first.counterSum("all", "h", parts(first), "k");
    MetricFamilies second = MetricFamilies.create(s, registry);
    List<BoundedFamily<CounterDataPoint>> parts = parts(second);
    second.counterSum("all", "h", parts, "k");
    parts.get(0).label("a").inc();
    assertThat(TextScrape.of(registry).value("java_all_total{k=\"a\"}")).isEqualTo(1.0);
    assertThatThrownBy(() -> second.counter("all", "h", "k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java_all is already registered as a counter (the sum of [java_ok, java_ko])");
  }

  @Test
  void pastTheBoundItsOverflowChildCountsEachUse() {
    MetricFamilies f =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.max-label-values", "1").build(), registry);
    BoundedFamily<CounterDataPoint> all = f.counterSum("all", "h", parts(f), "k");
    assertThat(all.child("a").isOverflow()).isFalse();
    BoundedChild<CounterDataPoint> other = all.child("b");
    assertThat(other.isOverflow()).isTrue();
    other.get();
    other.get();
    assertThat(TextScrape.of(registry).value("java_label_overflow_total{family=\"java_all\"}"))
        .isEqualTo(2.0);
  }

  @Test
  void theNewestExemplarOfThePartsIsTheSums() throws InterruptedException {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    List<BoundedFamily<CounterDataPoint>> parts = parts(f);
    f.counterSum("all", "h", parts, "k");
    parts.get(0).label("a").incWithExemplar(Labels.of("trace_id", "first"));
    Thread.sleep(5);
    parts.get(1).label("a").incWithExemplar(Labels.of("trace_id", "second"));
    CounterSnapshot.CounterDataPointSnapshot point = null;
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getName().equals("java_all")) {
        point = ((CounterSnapshot) m).getDataPoints().get(0);
      }
    }
    assertThat(point).isNotNull();
    assertThat(point.getValue()).isEqualTo(2.0);
    assertThat(point.getExemplar()).isNotNull();
    assertThat(point.getExemplar().getLabels().get("trace_id")).isEqualTo("second");
  }

  @Test
  void disabledTheSumIsRegisteredNowhere() {
    MetricFamilies f =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.enabled", "false").build(), registry);
    BoundedFamily<CounterDataPoint> all = f.counterSum("all", "h", parts(f), "k");
    all.child("a").get();
    assertThat(registry.scrape().size()).isZero();
  }
}
