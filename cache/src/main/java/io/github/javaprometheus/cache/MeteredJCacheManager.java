package io.github.javaprometheus.cache;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;

/** A JCache {@link CacheManager} whose caches count their gets; one wrapper per cache name. */
final class MeteredJCacheManager implements CacheManager, Metered {
  private final CacheManager delegate;
  private final CacheMetrics metrics;
  private final ConcurrentHashMap<String, MeteredJCache<?, ?>> caches = new ConcurrentHashMap<>();

  MeteredJCacheManager(CacheManager delegate, CacheMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @SuppressWarnings("unchecked")
  private <K, V> Cache<K, V> metered(Cache<K, V> target) {
    if (target == null || target instanceof Metered) {
      return target;
    }
    String name = target.getName();
    MeteredJCache<?, ?> known = caches.get(name);
    if (known != null && known.target() == target) {
      return (Cache<K, V>) known;
    }
    MeteredJCache<K, V> created =
        new MeteredJCache<>(target, metrics.counters(JCacheMetrics.BACKEND, name), this);
    caches.put(name, created);
    return created;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return delegate.getCachingProvider();
  }

  @Override
  public URI getURI() {
    return delegate.getURI();
  }

  @Override
  public ClassLoader getClassLoader() {
    return delegate.getClassLoader();
  }

  @Override
  public Properties getProperties() {
    return delegate.getProperties();
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(
      String cacheName, C configuration) {
    return metered(delegate.createCache(cacheName, configuration));
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    return metered(delegate.getCache(cacheName, keyType, valueType));
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName) {
    return metered(delegate.<K, V>getCache(cacheName));
  }

  @Override
  public Iterable<String> getCacheNames() {
    return delegate.getCacheNames();
  }

  @Override
  public void destroyCache(String cacheName) {
    delegate.destroyCache(cacheName);
    caches.remove(cacheName);
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    delegate.enableManagement(cacheName, enabled);
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    delegate.enableStatistics(cacheName, enabled);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    return delegate.unwrap(clazz);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
