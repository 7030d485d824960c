package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstrumentationErrorsTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  // Held in a field: JUL keeps loggers weakly, and the handler must stay attached.
  private final Logger jul = Logger.getLogger(InstrumentationErrors.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicLong now = new AtomicLong(1_000 * SECOND);

  @BeforeEach
  void capture() {
    jul.addHandler(capture);
    jul.setUseParentHandlers(false);
  }

  @AfterEach
  void release() {
    jul.removeHandler(capture);
    jul.setUseParentHandlers(true);
  }

  private InstrumentationErrors errors(MetricStore store) {
    MetricStore.Family<CounterDataPoint> family =
        store.counter("java_instrumentation_errors", "help", new String[] {"component"});
    return new InstrumentationErrors(
        new BoundedFamily<>(family, "java_instrumentation_errors", 1, 100, "other", null), now::get);
  }

  @Test
  void everyFailureIsCountedAndEachComponentIsLoggedAtMostOnceAMinute() {
    InstrumentationErrors errors = errors(MetricStore.inRegistry(registry));
    IllegalStateException first = new IllegalStateException("first");
    errors.record("http", first);
    errors.record("http", new IllegalStateException("second"));
    errors.record("http", new IllegalStateException("third"));
    now.addAndGet(SECOND);
    errors.record("jdbc", new IllegalStateException("jdbc's own window"));
    now.addAndGet(58 * SECOND);
    errors.record("http", new IllegalStateException("59 s after the first"));
    now.addAndGet(SECOND - 1);
    errors.record("http", new IllegalStateException("1 ns before a minute"));
    now.addAndGet(1);
    IllegalStateException later = new IllegalStateException("a minute after the first");
    errors.record("http", later);
    errors.record("jdbc", new IllegalStateException("59 s after jdbc's first"));

    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.samplesStartingWith("java_instrumentation_errors_total"))
        .containsExactly(
            "java_instrumentation_errors_total{component=\"http\"} 6.0",
            "java_instrumentation_errors_total{component=\"jdbc\"} 2.0");
    assertThat(warnings())
        .containsExactly(
            "java-prometheus instrumentation of 'http' failed; the application is unaffected."
                + " Counted in instrumentation_errors_total{component=\"http\"}. Logged at most once"
                + " a minute per component.",
            "java-prometheus instrumentation of 'jdbc' failed; the application is unaffected."
                + " Counted in instrumentation_errors_total{component=\"jdbc\"}. Logged at most once"
                + " a minute per component.",
            "java-prometheus instrumentation of 'http' failed; the application is unaffected."
                + " Counted in instrumentation_errors_total{component=\"http\"}; 4 more failures"
                + " since the last message. Logged at most once a minute per component.");
    assertThat(records.get(0).getThrown()).isSameAs(first);
    assertThat(records.get(2).getThrown()).isSameAs(later);
    assertThat(records).hasSize(3); // nothing at any other level either
  }

  @Test
  void aStoreThatCannotHoldTheCountStillGetsTheFailureLogged() {
    MetricStore failing =
        new MetricStore() {
          @Override
          public Family<CounterDataPoint> counter(String name, String help, String[] labelNames) {
            return values -> {
              throw new IllegalStateException("no space left on device");
            };
          }

          @Override
          public Family<io.prometheus.metrics.core.datapoints.DistributionDataPoint> histogram(
              String name, String help, double[] b, boolean n, String[] labelNames) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Family<io.prometheus.metrics.core.datapoints.GaugeDataPoint> gauge(
              String name, String help, GaugeMode mode, String[] labelNames) {
            throw new UnsupportedOperationException();
          }
        };
    InstrumentationErrors errors = errors(failing);
    RuntimeException failure = new RuntimeException("instrumentation bug");

    errors.record("cache", failure); // never throws

    assertThat(warnings())
        .containsExactly(
            "java-prometheus instrumentation of 'cache' failed; the application is unaffected."
                + " Not counted: instrumentation_errors_total could not be written either. Logged"
                + " at most once a minute per component.");
    assertThat(records.get(0).getThrown()).isSameAs(failure);
  }

  @Test
  void theFamiliesCountFailuresOfEveryComponentInTheirRegistry() {
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    families.errors().record("http", new IllegalStateException("x"));
    families.errors().record("cache", new IllegalStateException("y"));
    families.errors().record("http", new IllegalStateException("z"));

    assertThat(TextScrape.of(registry).samplesStartingWith("java_instrumentation_errors_total"))
        .containsExactly(
            "java_instrumentation_errors_total{component=\"cache\"} 1.0",
            "java_instrumentation_errors_total{component=\"http\"} 2.0");
  }

  private List<String> warnings() {
    List<String> result = new ArrayList<>();
    for (LogRecord r : records) {
      if (r.getLevel().equals(Level.WARNING)) {
        result.add(r.getMessage());
      }
    }
    return result;
  }
}
