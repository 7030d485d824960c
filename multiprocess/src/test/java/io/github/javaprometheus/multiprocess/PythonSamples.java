package io.github.javaprometheus.multiprocess;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Our merged snapshots as the sample lines Python's MultiProcessCollector yields, one per sample,
 * sorted: {@code name{label="value",...} repr(value)} with labels sorted and JSON-quoted, bucket
 * bounds as floatToGoString. {@code python/samples.py} prints Python's merge the same way.
 */
final class PythonSamples {
  private PythonSamples() {}

  static List<String> of(MetricSnapshots snapshots, String... skipNames) {
    List<String> lines = new ArrayList<>();
    outer:
    for (MetricSnapshot s : snapshots) {
      String name = s.getMetadata().getName();
      for (String skip : skipNames) {
        if (name.equals(skip)) {
          continue outer;
        }
      }
      for (DataPointSnapshot dp : s.getDataPoints()) {
        Labels labels = dp.getLabels();
        if (s instanceof CounterSnapshot) {
          lines.add(line(name + "_total", labels, ((CounterSnapshot.CounterDataPointSnapshot) dp).getValue()));
        } else if (s instanceof GaugeSnapshot) {
          lines.add(line(name, labels, ((GaugeSnapshot.GaugeDataPointSnapshot) dp).getValue()));
        } else if (s instanceof HistogramSnapshot) {
          HistogramSnapshot.HistogramDataPointSnapshot h = (HistogramSnapshot.HistogramDataPointSnapshot) dp;
          ClassicHistogramBuckets buckets = h.getClassicBuckets();
          double acc = 0;
          for (int i = 0; i < buckets.size(); i++) {
            acc += buckets.getCount(i);
            lines.add(
                line(name + "_bucket",
                    labels.add("le", PythonText.floatToGoString(buckets.getUpperBound(i), true)),
                    acc));
          }
          lines.add(line(name + "_count", labels, acc));
          lines.add(line(name + "_sum", labels, h.getSum()));
        } else if (s instanceof SummarySnapshot) {
          SummarySnapshot.SummaryDataPointSnapshot sum = (SummarySnapshot.SummaryDataPointSnapshot) dp;
          lines.add(line(name + "_count", labels, sum.getCount()));
          lines.add(line(name + "_sum", labels, sum.getSum()));
        } else {
          throw new AssertionError("unexpected snapshot " + s);
        }
      }
    }
    Collections.sort(lines);
    return lines;
  }

  private static String line(String name, Labels labels, double value) {
    List<String> pairs = new ArrayList<>();
    for (Label l : labels) {
      StringBuilder sb = new StringBuilder(l.getName()).append('=');
      PythonText.string(sb, l.getValue());
      pairs.add(sb.toString());
    }
    Collections.sort(pairs);
    return name + "{" + String.join(",", pairs) + "} " + PythonText.repr(value);
  }
}
