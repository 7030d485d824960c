package io.github.javaprometheus.multiprocess;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * A histogram child: a {@code _sum} entry and one {@code _bucket} entry per bound (+Inf last) in
 * {@code histogram_<pid>.db}, holding per-bucket (not cumulative) counts, as Python writes them
 * (and copies of them when contended). An observation adds to the sum, then to the first bucket
 * whose bound is at least the value, in the same cell.
 */
final class FileHistogram extends Striped implements DistributionDataPoint {
  private final double[] upperBounds;

  /** {@code slots}: the sum first, then the buckets; {@code upperBounds} ends with +Inf. */
  FileHistogram(Slots slots, CellFactory cells, double[] upperBounds) {
    super(slots, cells);
    this.upperBounds = upperBounds;
  }

  @Override
  public void observe(double value) {
    Slots cell = add(0, value);
    double[] bounds = upperBounds;
    int hi = bounds.length - 1;
    if (!(value <= bounds[hi])) {
      return; // NaN: in no bucket, as in Python
    }
    int lo = 0;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (value <= bounds[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    Slots.add(cell.buffer, cell.offsets[1 + lo], 1.0);
  }

  @Override
  public void observeWithExemplar(double value, Labels labels) {
    observe(value);
  }

  @Override
  public long getCount() {
    double count = 0;
    for (int i = 1; i <= upperBounds.length; i++) {
      count += sum(i);
    }
    return (long) count;
  }

  @Override
  public double getSum() {
    return sum(0);
  }
}
