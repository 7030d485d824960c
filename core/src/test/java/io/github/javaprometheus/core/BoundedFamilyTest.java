package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BoundedFamilyTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private MetricFamilies families(int max) {
    return MetricFamilies.create(
        PrometheusSettings.builder().set("prometheus.max-label-values", String.valueOf(max)).build(),
        registry);
  }

  @Test
  void pastTheBoundNewValuesGoToOtherAndAreCounted() {
    BoundedFamily<CounterDataPoint> views = families(3).counter("views", "help", "view");
    for (int i = 0; i < 5; i++) {
      views.label("v" + i).inc();
    }
    views.label("v0").inc();

    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.value("java_views_total{view=\"v0\"}")).isEqualTo(2.0);
    assertThat(scrape.value("java_views_total{view=\"v2\"}")).isEqualTo(1.0);
    assertThat(scrape.value("java_views_total{view=\"v3\"}")).isNull();
    assertThat(scrape.value("java_views_total{view=\"other\"}")).isEqualTo(2.0);
    assertThat(scrape.value("java_label_overflow_total{family=\"java_views\"}")).isEqualTo(2.0);
  }

  @Test
  void multiLabelFamiliesAreBoundedByDistinctLabelSets() {
    BoundedFamily<CounterDataPoint> f = families(2).counter("pairs", "help", "a", "b");
    f.labels("x", "1").inc();
    f.labels("x", "2").inc();
    f.labels("x", "3").inc();
    f.labels("x", "1").inc();
    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.value("java_pairs_total{a=\"x\",b=\"1\"}")).isEqualTo(2.0);
    assertThat(scrape.value("java_pairs_total{a=\"other\",b=\"other\"}")).isEqualTo(1.0);
  }

  @Test
  void tenThousandRandomValuesKeepTheFamilyAtItsBoundAndCountExactly() throws Exception {
    BoundedFamily<CounterDataPoint> f = families(100).counter("paths", "help", "path");
    int threads = 8;
    int perThread = 1250;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                  f.label("/" + UUID.randomUUID()).inc();
                }
              });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    List<String> series = TextScrape.of(registry).samplesStartingWith("java_paths_total{");
    assertThat(series).hasSize(101);
    double total = 0;
    for (String line : series) {
      total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    assertThat(total).isEqualTo(10_000.0);
    assertThat(TextScrape.of(registry).value("java_label_overflow_total{family=\"java_paths\"}"))
        .isEqualTo(9_900.0);
  }

  @Test
  void aKeptOverflowHandleCountsEveryUseAndAKeptRealHandleNone() {
    BoundedFamily<CounterDataPoint> views = families(1).counter("kept", "help", "view");
    BoundedChild<CounterDataPoint> real = views.child("a");
    BoundedChild<CounterDataPoint> overflow = views.child("b");
    assertThat(real.isOverflow()).isFalse();
    assertThat(overflow.isOverflow()).isTrue();
    assertThat(views.child("c")).isSameAs(overflow);
    for (int i = 0; i < 3; i++) {
      real.get().inc();
      overflow.get().inc();
    }
    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.value("java_kept_total{view=\"a\"}")).isEqualTo(3.0);
    assertThat(scrape.value("java_kept_total{view=\"other\"}")).isEqualTo(3.0);
    assertThat(scrape.value("java_label_overflow_total{family=\"java_kept\"}")).isEqualTo(3.0);
    assertThat(views.isOverflow(overflow.get())).isTrue();
    assertThat(views.isOverflow(real.get())).isFalse();
  }

  @Test
  void aFamilyThatNeverOverflowsAddsNoOverflowSeries() {
    families(5).counter("calm", "help", "view").child("a").get().inc();
    assertThat(TextScrape.of(registry).samplesStartingWith("java_label_overflow_total")).isEmpty();
  }
}
