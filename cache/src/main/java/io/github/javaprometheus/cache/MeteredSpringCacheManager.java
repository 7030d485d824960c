package io.github.javaprometheus.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches count their gets: covers every Spring Cache provider,
 * {@code @Cacheable} and direct {@code Cache.get} alike. Caches are wrapped once per name and kept;
 * a cache whose native cache is already metered (a wrapped JCache or Caffeine cache) is returned
 * as it is, so nothing is counted twice.
 */
public final class MeteredSpringCacheManager implements CacheManager, Metered {
  private final CacheManager delegate;
  private final CacheMetrics metrics;
  private final ConcurrentHashMap<String, Cache> wrapped = new ConcurrentHashMap<>();

  private MeteredSpringCacheManager(CacheManager delegate, CacheMetrics metrics) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Wraps a cache manager; one that is already metered is returned unchanged. */
  public static CacheManager wrap(CacheManager cacheManager, CacheMetrics metrics) {
    if (cacheManager instanceof Metered || !metrics.enabled()) {
      return cacheManager;
    }
    return new MeteredSpringCacheManager(cacheManager, metrics);
  }

  /**
   * Wraps a cache manager in an instance of its own class, so code that injects it by that class
   * ({@code CaffeineCacheManager}, {@code RedisCacheManager}, ...) keeps working: a generated
   * subclass whose {@code getCache(String)} and {@code resetCaches()} go to the {@link #wrap}
   * decorator (so {@code getCache} is counted as with {@link #wrap}) and every other public method
   * straight to {@code cacheManager}; its constructor does not run. A class that cannot be
   * subclassed safely (final, or with a public final method) gets the {@link #wrap} decorator
   * instead. One that is already metered is returned unchanged. Needs spring-core's CGLIB, which
   * every Spring application has.
   */
  public static CacheManager wrapKeepingClass(CacheManager cacheManager, CacheMetrics metrics) {
    if (cacheManager instanceof Metered || !metrics.enabled()) {
      return cacheManager;
    }
    MeteredSpringCacheManager metered = new MeteredSpringCacheManager(cacheManager, metrics);
    CacheManager sameClass;
    try {
      sameClass =
          ClassKeepingProxy.create(
              cacheManager,
              ClassKeepingProxy.NO_FINAL_METHODS,
              Map.of(
                  "getCache(java.lang.String)",
                  (proxy, method, args, m) -> metered.getCache((String) args[0]),
                  "resetCaches()",
                  (proxy, method, args, m) -> {
                    metered.resetCaches();
                    return null;
                  }));
    } catch (RuntimeException | LinkageError e) {
      // Not generated (class loader, module or security limits): the decorator counts all the same.
      sameClass = null;
    }
    return sameClass != null ? sameClass : metered;
  }

  /** The wrapped cache manager. */
  public CacheManager getTargetCacheManager() {
    return delegate;
  }

  @Override
  public Cache getCache(String name) {
    Cache target = delegate.getCache(name);
    if (target == null) {
      return null;
    }
    Cache known = wrapped.get(name);
    if (known != null && (known == target || unwrap(known) == target)) {
      return known;
    }
    Cache result = wrapCache(target);
    // A manager may hand out a new instance for a name (after resetCaches); keep the latest.
    wrapped.put(name, result);
    return result;
  }

  private Cache wrapCache(Cache target) {
    try {
      if (target instanceof Metered || target.getNativeCache() instanceof Metered) {
        return target;
      }
      return new MeteredSpringCache(
          target, metrics.counters(SpringCacheBackends.backendOf(target), target.getName()));
    } catch (RuntimeException | LinkageError e) {
      metrics.errors().record(CacheMetrics.COMPONENT, e);
      return target;
    }
  }

  private static Cache unwrap(Cache cache) {
    return cache instanceof MeteredSpringCache ? ((MeteredSpringCache) cache).getTargetCache() : cache;
  }

  @Override
  public Collection<String> getCacheNames() {
    return delegate.getCacheNames();
  }

  @Override
  public void resetCaches() {
    delegate.resetCaches();
    wrapped.clear();
  }

  @Override
  public String toString() {
    return "MeteredSpringCacheManager{" + delegate + "}";
  }
}
