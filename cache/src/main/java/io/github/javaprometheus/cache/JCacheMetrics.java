package io.github.javaprometheus.cache;

import javax.cache.Cache;
import javax.cache.CacheManager;

/**
 * Counts the gets of JCache (JSR-107) caches, backend {@code jcache}: {@code get} and {@code
 * getAll} (each key). Wrap the {@link CacheManager} to cover every cache it hands out, or one
 * {@link Cache}. A read-through cache that loads a value on {@code get} counts a hit, as the value
 * is present for the caller; {@code getAndPut}/{@code getAndRemove}/{@code invoke} are updates and
 * are not counted.
 */
public final class JCacheMetrics {
  static final String BACKEND = "jcache";

  private JCacheMetrics() {}

  /** A cache manager whose caches count their gets; an already metered one is returned as is. */
  public static CacheManager wrap(CacheManager cacheManager, CacheMetrics metrics) {
    if (cacheManager instanceof Metered || !metrics.enabled()) {
      return cacheManager;
    }
    return new MeteredJCacheManager(cacheManager, metrics);
  }

  /** A cache that counts its gets, named by {@link Cache#getName()}. */
  public static <K, V> Cache<K, V> wrap(Cache<K, V> cache, CacheMetrics metrics) {
    if (cache == null || cache instanceof Metered || !metrics.enabled()) {
      return cache;
    }
    return new MeteredJCache<>(cache, metrics.counters(BACKEND, cache.getName()), null);
  }
}
