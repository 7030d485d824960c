package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;

/**
 * One child of a {@link BoundedFamily}: the data point for one set of label values, or the
 * family's shared overflow child when the family was full. The handle routes itself: {@link #get}
 * on the overflow child also counts one redirected observation in {@code
 * <p>_label_overflow_total{family}}, so callers may keep any handle (per view, per data source,
 * per cache) and the overflow count stays exact, one per use, in every module.
 *
 * @param <D> the data point type: {@code CounterDataPoint}, {@code DistributionDataPoint}, ...
 */
public final class BoundedChild<D extends DataPoint> {
  private final D point;
  private final CounterDataPoint overflowCount;

  private BoundedChild(D point, CounterDataPoint overflowCount) {
    this.point = point;
    this.overflowCount = overflowCount;
  }

  static <D extends DataPoint> BoundedChild<D> of(D point) {
    return new BoundedChild<>(point, null);
  }

  static <D extends DataPoint> BoundedChild<D> overflow(D point, CounterDataPoint overflowCount) {
    return new BoundedChild<>(point, overflowCount);
  }

  /** The data point to record into; on the overflow child, counts the redirection first. */
  public D get() {
    CounterDataPoint c = overflowCount;
    if (c != null) {
      c.inc();
    }
    return point;
  }

  /** The data point, without counting anything. */
  D point() {
    return point;
  }

  /** Whether this is the family's overflow child (every label set to the overflow value). */
  public boolean isOverflow() {
    return overflowCount != null;
  }
}
