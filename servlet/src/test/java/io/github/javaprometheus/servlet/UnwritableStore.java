package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.MetricStore;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * A store whose counters cannot be written, as when the disk under the multiprocess files is full:
 * every increment throws. {@code instrumentation_errors} stays writable, so the failures can be
 * counted; histograms and gauges are the registry's.
 */
final class UnwritableStore implements MetricStore {
  static final String FAILURE = "No space left on device";

  private final MetricStore delegate;

  UnwritableStore(MetricStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Family<CounterDataPoint> counter(String name, String help, String[] labelNames) {
    Family<CounterDataPoint> real = delegate.counter(name, help, labelNames);
    if (name.endsWith("_instrumentation_errors")) {
      return real;
    }
    return values -> new Unwritable(real.labelValues(values));
  }

  @Override
  public Family<DistributionDataPoint> histogram(
      String name, String help, double[] upperBounds, boolean nativeHistograms, String[] labelNames) {
    return delegate.histogram(name, help, upperBounds, nativeHistograms, labelNames);
  }

  @Override
  public Family<GaugeDataPoint> gauge(String name, String help, GaugeMode mode, String[] labelNames) {
    return delegate.gauge(name, help, mode, labelNames);
  }

  private static final class Unwritable implements CounterDataPoint {
    private final CounterDataPoint real;

    Unwritable(CounterDataPoint real) {
      this.real = real;
    }

    @Override
    public void inc(double amount) {
      throw new IllegalStateException(FAILURE);
    }

    @Override
    public void incWithExemplar(double amount, Labels labels) {
      throw new IllegalStateException(FAILURE);
    }

    @Override
    public double get() {
      return real.get();
    }

    @Override
    public long getLongValue() {
      return real.getLongValue();
    }
  }
}
