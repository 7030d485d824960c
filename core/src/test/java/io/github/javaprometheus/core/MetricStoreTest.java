package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricStoreTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  /** A store that records what it was asked for and counts in plain fields. */
  static final class RecordingStore implements MetricStore {
    final List<String> created = new ArrayList<>();
    final List<double[]> values = new ArrayList<>();

    private <D extends io.prometheus.metrics.core.datapoints.DataPoint> Family<D> family(
        String what, java.util.function.Function<double[], D> child) {
      created.add(what);
      return labelValues -> {
        double[] v = new double[1];
        values.add(v);
        return child.apply(v);
      };
    }

    @Override
    public Family<CounterDataPoint> counter(String name, String help, String[] labelNames) {
      return family(
          "counter " + name + " " + String.join(",", labelNames),
          v ->
              new CounterDataPoint() {
                @Override
                public void inc(double amount) {
                  v[0] += amount;
                }

                @Override
                public void incWithExemplar(double amount, Labels labels) {
                  inc(amount);
                }

                @Override
                public double get() {
                  return v[0];
                }

                @Override
                public long getLongValue() {
                  return (long) v[0];
                }
              });
    }

    @Override
    public Family<DistributionDataPoint> histogram(
        String name, String help, double[] upperBounds, boolean nativeHistograms, String[] labelNames) {
      created.add("histogram " + name + " " + upperBounds.length + " bounds");
      return labelValues -> null;
    }

    @Override
    public Family<GaugeDataPoint> gauge(String name, String help, GaugeMode mode, String[] labelNames) {
      created.add("gauge " + name + " " + mode.pythonName());
      return labelValues -> null;
    }
  }

  @Test
  void familiesLiveInTheGivenStoreAndAreCreatedOncePerStore() {
    RecordingStore store = new RecordingStore();
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry, store);
    assertThat(f.store()).isSameAs(store);
    BoundedFamily<CounterDataPoint> jobs = f.counter("jobs", "Jobs", "queue");
    jobs.label("a").inc(2);
    jobs.label("a").inc();
    MetricFamilies.create(PrometheusSettings.defaults(), registry, store).counter("jobs", "Jobs", "queue");
    f.latencyHistogram("t_seconds", "T");
    f.gauge("inflight", "In flight", GaugeMode.LIVESUM);

    assertThat(store.created)
        .containsExactly(
            "counter java_label_overflow family",
            "counter java_instrumentation_errors component",
            "counter java_jobs queue",
            "histogram java_t_seconds 16 bounds",
            "gauge java_inflight livesum");
    assertThat(jobs.label("a").get()).isEqualTo(3.0);
    assertThatThrownBy(jobs::metric).isInstanceOf(UnsupportedOperationException.class);
    // Nothing of ours went to the registry: it holds only what stays in-process.
    assertThat(TextScrape.of(registry).samples()).isEmpty();
    Gauge local = f.gauge("local", "Process-local");
    local.set(4);
    assertThat(TextScrape.of(registry).value("java_local")).isEqualTo(4.0);
  }

  @Test
  void theDefaultStoreIsTheRegistryAndGaugesWithAModeAreOrdinaryGauges() {
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    assertThat(f.store()).isEqualTo(MetricStore.inRegistry(registry));
    f.gauge("pool", "Pool size", GaugeMode.LIVESUM, "pool").label("main").set(3);
    assertThat(TextScrape.of(registry).value("java_pool{pool=\"main\"}")).isEqualTo(3.0);
    // The same family through the gauge of the original API.
    assertThat(f.gauge("pool", "Pool size", "pool").labelValues("main").get()).isEqualTo(3.0);
    assertThat(f.counter("c", "C").metric()).isNotNull();
  }

  @Test
  void aMultiprocessDirectoryWithoutTheModuleIsAClearError() {
    PrometheusSettings settings =
        PrometheusSettings.builder().set("prometheus.multiproc-dir", "/tmp/somewhere").build();
    assertThatThrownBy(() -> MetricFamilies.create(settings, registry))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.multiproc-dir='/tmp/somewhere': multiprocess mode needs"
                + " java-prometheus-multiprocess on the classpath; add it or unset the directory");
  }
}
