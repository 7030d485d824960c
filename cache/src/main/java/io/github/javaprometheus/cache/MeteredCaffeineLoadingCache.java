package io.github.javaprometheus.cache;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * A Caffeine {@link LoadingCache} that counts its gets. {@code get(key)} cannot see whether the
 * cache's own loader ran, so it first looks the key up quietly ({@code
 * policy().getIfPresentQuietly}: no statistics, no eviction-order or expiry side effects): present
 * is a hit, absent a miss. A load racing with that look-up may be counted on either side.
 */
final class MeteredCaffeineLoadingCache<K, V> implements LoadingCache<K, V>, Metered {
  private final LoadingCache<K, V> delegate;
  private final CacheCounters counters;
  private final MeteredCaffeineCache<K, V> manual;
  private final Policy<K, V> policy;

  MeteredCaffeineLoadingCache(LoadingCache<K, V> delegate, CacheCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
    this.manual = new MeteredCaffeineCache<>(delegate, counters);
    this.policy = delegate.policy();
  }

  @Override
  public V get(K key) {
    boolean present;
    try {
      present = key != null && policy.getIfPresentQuietly(key) != null;
    } catch (RuntimeException | LinkageError e) {
      counters.instrumentationError(e);
      present = false;
    }
    V value;
    try {
      value = delegate.get(key);
    } catch (RuntimeException | Error e) {
      // Absent and not loadable is a miss; present and still failing is a failure of the cache.
      if (present) {
        counters.fail();
      } else {
        counters.miss();
      }
      throw e;
    }
    if (present) {
      counters.hit();
    } else {
      counters.miss();
    }
    return value;
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    Set<K> distinct = new LinkedHashSet<>();
    for (K k : keys) {
      distinct.add(k);
    }
    int hits = 0;
    try {
      for (K k : distinct) {
        if (k != null && policy.getIfPresentQuietly(k) != null) {
          hits++;
        }
      }
    } catch (RuntimeException | LinkageError e) {
      counters.instrumentationError(e);
    }
    Map<K, V> result;
    try {
      result = delegate.getAll(keys);
    } catch (RuntimeException | Error e) {
      counters.bulk(hits, distinct.size() - hits);
      throw e;
    }
    counters.bulk(hits, distinct.size() - hits);
    return result;
  }

  @Override
  public CompletableFuture<V> refresh(K key) {
    return delegate.refresh(key);
  }

  @Override
  public CompletableFuture<Map<K, V>> refreshAll(Iterable<? extends K> keys) {
    return delegate.refreshAll(keys);
  }

  @Override
  public V getIfPresent(K key) {
    return manual.getIfPresent(key);
  }

  @Override
  public V get(K key, Function<? super K, ? extends V> mappingFunction) {
    return manual.get(key, mappingFunction);
  }

  @Override
  public Map<K, V> getAllPresent(Iterable<? extends K> keys) {
    return manual.getAllPresent(keys);
  }

  @Override
  public Map<K, V> getAll(
      Iterable<? extends K> keys,
      Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> mappingFunction) {
    return manual.getAll(keys, mappingFunction);
  }

  @Override
  public void put(K key, V value) {
    delegate.put(key, value);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    delegate.putAll(map);
  }

  @Override
  public void invalidate(K key) {
    delegate.invalidate(key);
  }

  @Override
  public void invalidateAll(Iterable<? extends K> keys) {
    delegate.invalidateAll(keys);
  }

  @Override
  public void invalidateAll() {
    delegate.invalidateAll();
  }

  @Override
  public long estimatedSize() {
    return delegate.estimatedSize();
  }

  @Override
  public CacheStats stats() {
    return delegate.stats();
  }

  @Override
  public ConcurrentMap<K, V> asMap() {
    return delegate.asMap();
  }

  @Override
  public void cleanUp() {
    delegate.cleanUp();
  }

  @Override
  public Policy<K, V> policy() {
    return delegate.policy();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
