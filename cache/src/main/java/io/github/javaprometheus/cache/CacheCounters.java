package io.github.javaprometheus.cache;

import io.github.javaprometheus.core.BoundedFamily;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/**
 * The four counters of one cache, resolved once. Every method counts a get and its outcome and
 * never throws: a failure of the metrics is counted in {@code instrumentation_errors_total}.
 */
public final class CacheCounters {
  private final CacheMetrics metrics;
  private final String[] labels;
  private final String backend;
  private final String cacheName;
  private final CounterDataPoint get;
  private final CounterDataPoint hit;
  private final CounterDataPoint miss;
  private final CounterDataPoint fail;
  // Past max-label-values the children are the shared overflow ones; those are looked up on every
  // observation so that each one is counted in label_overflow_total, as for any other family.
  private final boolean overflow;

  CacheCounters(CacheMetrics metrics, String[] labels, String backend, String cacheName) {
    this.metrics = metrics;
    this.labels = labels;
    this.backend = backend;
    this.cacheName = cacheName;
    this.get = metrics.gets.labels(labels);
    this.hit = metrics.hits.labels(labels);
    this.miss = metrics.misses.labels(labels);
    this.fail = metrics.fails.labels(labels);
    this.overflow =
        metrics.gets.isOverflow(get)
            || metrics.hits.isOverflow(hit)
            || metrics.misses.isOverflow(miss)
            || metrics.fails.isOverflow(fail);
  }

  public String backend() {
    return backend;
  }

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
      if (overflow) {
        recordOverflow(hits, misses, fails, total);
        return;
      }
      get.inc(total);
      if (hits != 0) {
        hit.inc(hits);
      }
      if (misses != 0) {
        miss.inc(misses);
      }
      if (fails != 0) {
        fail.inc(fails);
      }
    } catch (RuntimeException | LinkageError e) {
      metrics.errors().record(CacheMetrics.COMPONENT, e);
    }
  }

  private void recordOverflow(int hits, int misses, int fails, int total) {
    metrics.gets.labels(labels).inc(total);
    if (hits != 0) {
      metrics.hits.labels(labels).inc(hits);
    }
    if (misses != 0) {
      metrics.misses.labels(labels).inc(misses);
    }
    if (fails != 0) {
      metrics.fails.labels(labels).inc(fails);
    }
  }

  @Override
  public String toString() {
    return "CacheCounters{backend=" + backend + ", cache=" + cacheName + "}";
  }
}
