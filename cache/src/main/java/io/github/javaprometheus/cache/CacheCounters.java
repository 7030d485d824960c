package io.github.javaprometheus.cache;

import io.github.javaprometheus.core.BoundedChild;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/**
 * The four counters of one cache, resolved once as {@link BoundedChild} handles. Every method
 * counts a get and its outcome and never throws. In the registry store {@code get_total} is the
 * sum of the outcomes, computed when scraped ({@link
 * io.github.javaprometheus.core.MetricFamilies#counterSum}), so a get is one increment; in the
 * multiprocess files it is a counter of its own, incremented with the outcome. A failure of the
 * metrics is counted in {@code instrumentation_errors_total}. A cache that came past {@code
 * max-label-values} holds the families' overflow handles, which count each use in {@code
 * label_overflow_total}, as in every module (docs/behaviour.md, "Bounded labels and overflow").
 */
public final class CacheCounters {
  private final CacheMetrics metrics;
  private final String backend;
  private final String cacheName;
  private final BoundedChild<CounterDataPoint> get;
  private final BoundedChild<CounterDataPoint> hit;
  private final BoundedChild<CounterDataPoint> miss;
  private final BoundedChild<CounterDataPoint> fail;
  /** False when {@code get_total} is the sum of the three outcomes (registry store). */
  private final boolean countGets;
  /** The get child is the overflow child: each use is still counted in label_overflow_total. */
  private final boolean getOverflows;

  CacheCounters(CacheMetrics metrics, String[] labels, String backend, String cacheName) {
    this.metrics = metrics;
    this.backend = backend;
    this.cacheName = cacheName;
    this.get = metrics.gets.child(labels);
    this.hit = metrics.hits.child(labels);
    this.miss = metrics.misses.child(labels);
    this.fail = metrics.fails.child(labels);
    this.countGets = !metrics.gets.isSum();
    this.getOverflows = get.isOverflow();
  }

  /** The {@code backend} label value: {@code redis}, {@code memcached}, {@code caffeine}, ... */
  public String backend() {
    return backend;
  }

  /** The cache's name, the {@code cache} label value in the java profile. */
  public String cacheName() {
    return cacheName;
  }

  /** One get that found a value. */
  public void hit() {
    record(1, 0, 0);
  }

  /** One get that found nothing. */
  public void miss() {
    record(0, 1, 0);
  }

  /** One get that failed (server down, timeout, error reply). */
  public void fail() {
    record(0, 0, 1);
  }

  /** A bulk get: each key is a get, a hit or a miss. */
  public void bulk(int hits, int misses) {
    record(hits, misses, 0);
  }

  /** A bulk get that failed: each of its keys is a failed get. */
  public void failed(int keys) {
    record(0, 0, keys);
  }

  /** Reports a failure of the instrumentation around this cache; never throws. */
  void instrumentationError(Throwable e) {
    metrics.errors().record(CacheMetrics.COMPONENT, e);
  }

  private void record(int hits, int misses, int fails) {
    try {
      int total = hits + misses + fails;
      if (total <= 0) {
        return;
      }
      if (countGets) {
        get.get().inc(total);
      } else if (getOverflows) {
        get.get(); // counts one redirected use of the get family; its value is the sum
      }
      if (hits != 0) {
        hit.get().inc(hits);
      }
      if (misses != 0) {
        miss.get().inc(misses);
      }
      if (fails != 0) {
        fail.get().inc(fails);
      }
    } catch (RuntimeException | LinkageError e) {
      metrics.errors().record(CacheMetrics.COMPONENT, e);
    }
  }

  @Override
  public String toString() {
    return "CacheCounters{backend=" + backend + ", cache=" + cacheName + "}";
  }
}
