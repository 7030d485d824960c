package io.github.javaprometheus.cache;

import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.InstrumentationErrors;
import io.github.javaprometheus.core.MetricFamilies;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cache families of django-prometheus: {@code <p>_cache_get_total}, {@code
 * <p>_cache_get_hits_total}, {@code <p>_cache_get_misses_total} and {@code
 * <p>_cache_get_fail_total}, labelled {@code backend} and, in the java profile, {@code cache} (the
 * cache's name). The django profile leaves {@code cache} out so the series are django-prometheus's.
 *
 * <p>Wrappers ask for their {@link CacheCounters} once per cache and keep them.
 */
public final class CacheMetrics {
  /** The component name under which failures of this module are counted. */
  static final String COMPONENT = "cache";

  private final MetricFamilies families;
  private final boolean withCacheLabel;
  final BoundedFamily<CounterDataPoint> gets;
  final BoundedFamily<CounterDataPoint> hits;
  final BoundedFamily<CounterDataPoint> misses;
  final BoundedFamily<CounterDataPoint> fails;
  private final ConcurrentHashMap<List<String>, CacheCounters> counters = new ConcurrentHashMap<>();

  private CacheMetrics(MetricFamilies f) {
    this.families = f;
    this.withCacheLabel = !f.settings().profile().isDjango();
    String[] labels = withCacheLabel ? new String[] {"backend", "cache"} : new String[] {"backend"};
    // Help texts are django-prometheus's, so the django profile matches its exposition exactly.
    hits = f.counter("cache_get_hits", "Total hits on cache", labels);
    misses = f.counter("cache_get_misses", "Total misses on cache", labels);
    fails = f.counter("cache_get_fail", "Total get request failures by cache", labels);
    // Every get is exactly one hit, miss or failure: in the registry the get counter is their sum,
    // read when scraped, so a get is one write (R4). The multiprocess files keep a real counter.
    gets =
        f.counterSum(
            "cache_get", "Total get requests on cache", List.of(hits, misses, fails), labels);
  }

  /** The cache families on the registry of {@code families}. */
  public static CacheMetrics create(MetricFamilies families) {
    return new CacheMetrics(Objects.requireNonNull(families, "families"));
  }

  /** The factory these families come from. */
  public MetricFamilies families() {
    return families;
  }

  /**
   * {@code prometheus.enabled}: when false every wrapper of this module returns what it was given,
   * unwrapped, so the application runs exactly as without the library.
   */
  public boolean enabled() {
    return families.enabled();
  }

  /** Whether series carry the {@code cache} label (java profile). */
  public boolean hasCacheLabel() {
    return withCacheLabel;
  }

  /**
   * The counters of one cache. {@code backend} is {@code redis}, {@code memcached}, {@code
   * caffeine}, ...; {@code cacheName} is ignored in the django profile. The same pair always gives
   * the same object.
   */
  public CacheCounters counters(String backend, String cacheName) {
    String b = backend == null || backend.isEmpty() ? "unknown" : backend;
    String n = cacheName == null || cacheName.isEmpty() ? "default" : cacheName;
    List<String> key = withCacheLabel ? Arrays.asList(b, n) : List.of(b);
    CacheCounters c = counters.get(key);
    if (c == null) {
      // One cache at a time, so that the four families admit caches in the same order and a cache
      // is either within max-label-values in all of them or overflows in all of them.
      synchronized (counters) {
        c =
            counters.computeIfAbsent(
                key, k -> new CacheCounters(this, k.toArray(new String[0]), b, n));
      }
    }
    return c;
  }

  InstrumentationErrors errors() {
    return families.errors();
  }
}
