package io.github.javaprometheus.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.LoadingCache;

/**
 * Counts the gets of Caffeine caches, backend {@code caffeine}: {@code getIfPresent}, {@code get}
 * (a hit when the mapping function or loader was not needed), {@code getAll} and {@code
 * getAllPresent} (each distinct key). Reads through {@code asMap()} are not counted.
 *
 * <pre>{@code
 * Cache<String, User> users = CaffeineCacheMetrics.wrap(Caffeine.newBuilder().build(), metrics, "users");
 * }</pre>
 */
public final class CaffeineCacheMetrics {
  static final String BACKEND = "caffeine";

  private CaffeineCacheMetrics() {}

  /** A cache that counts its gets; an already metered cache is returned unchanged. */
  public static <K, V> Cache<K, V> wrap(Cache<K, V> cache, CacheMetrics metrics, String name) {
    if (cache instanceof LoadingCache) {
      return wrap((LoadingCache<K, V>) cache, metrics, name);
    }
    if (cache instanceof Metered || !metrics.enabled()) {
      return cache;
    }
    return new MeteredCaffeineCache<>(cache, metrics.counters(BACKEND, name));
  }

  /** A loading cache that counts its gets; an already metered cache is returned unchanged. */
  public static <K, V> LoadingCache<K, V> wrap(
      LoadingCache<K, V> cache, CacheMetrics metrics, String name) {
    if (cache instanceof Metered || !metrics.enabled()) {
      return cache;
    }
    return new MeteredCaffeineLoadingCache<>(cache, metrics.counters(BACKEND, name));
  }
}
