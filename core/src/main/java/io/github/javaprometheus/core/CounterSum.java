package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A counter family of the registry store whose value for each label set is the sum of other
 * counters' values for it, read from their children when scraped: recording a part is the only
 * write, and the sum costs nothing until a scrape (see {@link MetricFamilies#counterSum}).
 *
 * <p>The exposition is that of a client_java {@link Counter} of the same name, help and labels
 * incremented with every part: the metadata is taken from such a counter (never registered, never
 * incremented), a label set is exposed when any part has a child for it, its created timestamp is
 * the earliest of the parts' and its exemplar the newest of theirs.
 *
 * <p>Its children ({@link #labelValues}) record nothing: they exist so that the family is bounded
 * and its overflow counted per use like any other. Keeps only client_java metrics (no reference to
 * the registry), as {@link RegistryState} requires.
 */
final class CounterSum implements Collector, MetricStore.Family<CounterDataPoint> {
  private final String name;
  private final MetricMetadata metadata;
  private final String prometheusName;
  private final int labelCount;
  private final List<Counter> parts;
  private final List<String> partNames;

  CounterSum(Counter template, int labelCount, List<Counter> parts, List<String> partNames) {
    CounterSnapshot empty = template.collect();
    this.metadata = empty.getMetadata();
    this.name = metadata.getName();
    this.prometheusName = metadata.getPrometheusName();
    this.labelCount = labelCount;
    this.parts = List.copyOf(parts);
    this.partNames = List.copyOf(partNames);
  }

  @Override
  public CounterSnapshot collect() {
    Map<Labels, Sum> sums = new HashMap<>();
    for (Counter part : parts) {
      for (CounterDataPointSnapshot point : part.collect().getDataPoints()) {
        sums.computeIfAbsent(point.getLabels(), l -> new Sum()).add(point);
      }
    }
    List<CounterDataPointSnapshot> points = new ArrayList<>(sums.size());
    for (Map.Entry<Labels, Sum> e : sums.entrySet()) {
      Sum s = e.getValue();
      points.add(new CounterDataPointSnapshot(s.value, e.getKey(), s.exemplar, s.created));
    }
    return new CounterSnapshot(metadata, points); // sorted by labels, as a Counter's
  }

  /**
   * The name the registry filters scrapes by, as a {@code Counter}'s. Deprecated on newer
   * client_java in favour of a descriptor that 1.4.3 (Spring Boot's) lacks, hence kept.
   */
  @Override
  @SuppressWarnings("deprecation")
  public String getPrometheusName() {
    return prometheusName;
  }

  @Override
  public CounterDataPoint labelValues(String... values) {
    if (values.length != labelCount) {
      throw new IllegalArgumentException(
          name + " has " + labelCount + " labels, got " + values.length);
    }
    return new NotRecorded(this);
  }

  @Override
  public String toString() {
    return name + " = sum of " + partNames + " (computed when scraped)";
  }

  /** The running sum of one label set during a collect. */
  private static final class Sum {
    double value;
    long created; // 0: none
    Exemplar exemplar;

    void add(CounterDataPointSnapshot point) {
      value += point.getValue();
      if (point.hasCreatedTimestamp()
          && (created == 0 || point.getCreatedTimestampMillis() < created)) {
        created = point.getCreatedTimestampMillis();
      }
      Exemplar e = point.getExemplar();
      if (e != null && (exemplar == null || e.getTimestampMillis() > exemplar.getTimestampMillis())) {
        exemplar = e;
      }
    }
  }

  /** A child of the sum: it has no value of its own; the parts are recorded instead. */
  private static final class NotRecorded implements CounterDataPoint {
    private final CounterSum sum;

    NotRecorded(CounterSum sum) {
      this.sum = sum;
    }

    private UnsupportedOperationException unsupported() {
      return new UnsupportedOperationException(
          sum + ": record into its parts, the sum has no value of its own");
    }

    @Override
    public void inc(double amount) {
      throw unsupported();
    }

    @Override
    public void incWithExemplar(double amount, Labels labels) {
      throw unsupported();
    }

    @Override
    public double get() {
      throw unsupported();
    }

    @Override
    public long getLongValue() {
      throw unsupported();
    }
  }
}
