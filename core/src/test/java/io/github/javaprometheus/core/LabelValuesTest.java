package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LabelValuesTest {
  private static final String SMILE = "\uD83D\uDE00"; // one code point, two chars

  @Test
  void aCleanValueIsReturnedItself() {
    String v = "com.example.DemoController.myView \"q\" \\ \n " + SMILE;
    assertThat(LabelValues.clean(v)).isSameAs(v);
    String exactly = "x".repeat(LabelValues.MAX_LENGTH);
    assertThat(LabelValues.clean(exactly)).isSameAs(exactly);
  }

  @Test
  void aLongValueIsCutToMaxLengthChars() {
    assertThat(LabelValues.clean("y".repeat(100_000))).isEqualTo("y".repeat(256));
    assertThat(LabelValues.clean("ab".repeat(129))).isEqualTo("ab".repeat(128));
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    // 255 chars, then a pair: the pair would end at 257, so the value stops before it.
    String v = "z".repeat(255) + SMILE + "tail";
    assertThat(LabelValues.clean(v)).isEqualTo("z".repeat(255));
    String fits = "z".repeat(254) + SMILE + "tail";
    assertThat(LabelValues.clean(fits)).isEqualTo("z".repeat(254) + SMILE);
  }

  @Test
  void unpairedSurrogatesBecomeTheReplacementCharacter() {
    assertThat(LabelValues.clean("a\uD800b")).isEqualTo("a\uFFFDb");
    assertThat(LabelValues.clean("a\uDC00")).isEqualTo("a\uFFFD");
    assertThat(LabelValues.clean("\uD83D")).isEqualTo("\uFFFD");
    assertThat(LabelValues.clean("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD"); // reversed pair
    assertThat(LabelValues.clean(SMILE + "\uD83D" + SMILE)).isEqualTo(SMILE + "\uFFFD" + SMILE);
    String cleaned = LabelValues.clean("x\uD800".repeat(200));
    assertThat(cleaned).isEqualTo("x\uFFFD".repeat(128));
    assertThat(new String(cleaned.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .isEqualTo(cleaned);
  }

  @Test
  void familiesExposeCleanedValuesAndValuesEqualOnceCleanedShareOneSeries() {
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies families =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.max-label-values", "3").build(), registry);
    BoundedFamily<CounterDataPoint> one = families.counter("one", "help", "v");
    BoundedFamily<CounterDataPoint> two = families.counter("two", "help", "a", "b");
    String longA = "t".repeat(256) + "A".repeat(100_000);
    String longB = "t".repeat(256) + "B".repeat(100_000);
    one.label(longA).inc();
    one.label(longB).inc();
    one.label("q\"b\\n\nl\uD800").inc();
    assertThat(one.child(longA)).isSameAs(one.child(longB));
    two.labels(longA, "\uDC00").inc();
    two.labels(longB, "\uFFFD").inc();

    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.samplesStartingWith("java_one_total"))
        .containsExactly(
            "java_one_total{v=\"q\\\"b\\\\n\\nl\uFFFD\"} 1.0",
            "java_one_total{v=\"" + "t".repeat(256) + "\"} 2.0");
    assertThat(scrape.samplesStartingWith("java_two_total"))
        .containsExactly("java_two_total{a=\"" + "t".repeat(256) + "\",b=\"\uFFFD\"} 2.0");
    // Two distinct label sets were admitted to "one", one to "two": nothing overflowed.
    assertThat(scrape.samplesStartingWith("java_label_overflow_total")).isEmpty();
  }
}
