package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A labelled family whose number of children is bounded: past {@code max-label-values} distinct
 * label sets, new ones are recorded under the overflow value (every label set to it) and each
 * redirected observation is counted in {@code <p>_label_overflow_total{family}}. A scan of random
 * URLs therefore cannot grow memory without bound. Label values are {@linkplain LabelValues#clean
 * cleaned} when a label set is admitted: at most {@link LabelValues#MAX_LENGTH} chars, valid
 * UTF-8; values equal once cleaned share one child.
 *
 * @param <D> the data point type: {@code CounterDataPoint}, {@code DistributionDataPoint}, ...
 */
public final class BoundedFamily<D extends DataPoint> {
  private final MetricStore.Family<D> family;
  private final String name;
  private final int labelCount;
  private final int max;
  private final String overflowValue;
  private final BoundedFamily<CounterDataPoint> overflowCounter;
  private final ConcurrentHashMap<Object, BoundedChild<D>> children = new ConcurrentHashMap<>();
  private final AtomicInteger admitted = new AtomicInteger();
  private volatile BoundedChild<D> overflowChild;
  private volatile D single;

  BoundedFamily(
      MetricStore.Family<D> family,
      String name,
      int labelCount,
      int max,
      String overflowValue,
      BoundedFamily<CounterDataPoint> overflowCounter) {
    this.family = family;
    this.name = name;
    this.labelCount = labelCount;
    this.max = max;
    this.overflowValue = overflowValue;
    this.overflowCounter = overflowCounter;
  }

  /** The exposed family name (counters without {@code _total}). */
  public String name() {
    return name;
  }

  /**
   * The underlying client_java metric.
   *
   * @throws UnsupportedOperationException when the family is file-backed ({@code
   *     prometheus.multiproc-dir}): there is no client_java metric then
   */
  public StatefulMetric<D, ?> metric() {
    StatefulMetric<D, ?> metric = family.metric();
    if (metric == null) {
      throw new UnsupportedOperationException(
          name + " is not held by a client_java metric (it is kept by " + family + ")");
    }
    return metric;
  }

  /**
   * Whether the family is a {@linkplain MetricFamilies#counterSum sum} computed when scraped: its
   * children then record nothing (record the parts), but its overflow child still counts each
   * {@link BoundedChild#get()}.
   */
  public boolean isSum() {
    return family instanceof CounterSum;
  }

  /** The store's family behind this one. */
  MetricStore.Family<D> storeFamily() {
    return family;
  }

  /** The single series of a family without labels. */
  public D noLabels() {
    if (labelCount != 0) {
      throw new IllegalArgumentException(name + " has " + labelCount + " labels");
    }
    D child = single;
    if (child == null) {
      child = family.labelValues();
      single = child;
    }
    return child;
  }

  /** The data point of a one-label family (see {@link #child(String)}). */
  public D label(String value) {
    return child(value).get();
  }

  /** The data point for the given label values (see {@link #child(String...)}). */
  public D labels(String... values) {
    return child(values).get();
  }

  /**
   * The child of a one-label family, or the overflow child once the family is full; no
   * allocation once the value is known. Callers on hot paths keep the handle.
   */
  public BoundedChild<D> child(String value) {
    if (labelCount != 1) {
      throw new IllegalArgumentException(name + " has " + labelCount + " labels, not 1");
    }
    if (value == null) {
      throw new IllegalArgumentException("null label value for " + name);
    }
    BoundedChild<D> child = children.get(value);
    if (child != null) {
      return child;
    }
    String clean = LabelValues.clean(value);
    if (clean != value) {
      child = children.get(clean);
      if (child != null) {
        return child;
      }
    }
    return admit(clean, new String[] {clean});
  }

  /**
   * The child for the given label values, one per label name, or the overflow child once the
   * family is full. Callers on hot paths keep the handle: it stays valid, and the overflow child
   * counts each use.
   */
  public BoundedChild<D> child(String... values) {
    if (values.length != labelCount) {
      throw new IllegalArgumentException(
          name + " has " + labelCount + " labels, got " + values.length);
    }
    if (labelCount == 1) {
      return child(values[0]);
    }
    List<String> key = Arrays.asList(values.clone());
    BoundedChild<D> child = children.get(key);
    if (child != null) {
      return child;
    }
    String[] clean = key.toArray(new String[0]);
    boolean changed = false;
    for (int i = 0; i < clean.length; i++) {
      if (clean[i] == null) {
        throw new IllegalArgumentException("null label value for " + name);
      }
      String c = LabelValues.clean(clean[i]);
      changed |= c != clean[i];
      clean[i] = c;
    }
    if (changed) {
      key = Arrays.asList(clean);
      child = children.get(key);
      if (child != null) {
        return child;
      }
    }
    return admit(key, clean);
  }

  /**
   * Whether a data point is the family's overflow child. Prefer keeping {@link BoundedChild}
   * handles, which know it themselves.
   */
  public boolean isOverflow(D point) {
    BoundedChild<D> o = overflowChild;
    return o != null && o.point() == point;
  }

  /** Whether the family has reached its bound. */
  public boolean full() {
    return admitted.get() >= max;
  }

  private BoundedChild<D> admit(Object key, String[] values) {
    for (String v : values) {
      if (v == null) {
        throw new IllegalArgumentException("null label value for " + name);
      }
    }
    while (true) {
      BoundedChild<D> existing = children.get(key);
      if (existing != null) {
        return existing;
      }
      int n = admitted.get();
      if (n >= max) {
        return overflow();
      }
      if (admitted.compareAndSet(n, n + 1)) {
        BoundedChild<D> created = BoundedChild.of(family.labelValues(values));
        BoundedChild<D> raced = children.putIfAbsent(key, created);
        if (raced != null) {
          admitted.decrementAndGet();
          return raced;
        }
        return created;
      }
    }
  }

  private BoundedChild<D> overflow() {
    BoundedChild<D> child = overflowChild;
    if (child == null) {
      synchronized (this) {
        child = overflowChild;
        if (child == null) {
          String[] values = new String[labelCount];
          Arrays.fill(values, overflowValue);
          // Resolved only now: families that never overflow add no series.
          child =
              BoundedChild.overflow(family.labelValues(values), overflowCounter.child(name).get());
          overflowChild = child;
        }
      }
    }
    return child;
  }
}
