package io.github.javaprometheus.cache;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Policy;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A Caffeine {@link LoadingCache} that counts its gets. {@code get(key)} cannot see whether the
 * cache's own loader ran, so it first looks the key up quietly ({@code
 * policy().getIfPresentQuietly}: no statistics, no eviction-order or expiry side effects): present
 * is a hit, absent a miss. A load racing with that look-up may be counted on either side.
 */
final class MeteredCaffeineLoadingCache<K, V> extends MeteredCaffeineCache<K, V>
    implements LoadingCache<K, V> {
  private final LoadingCache<K, V> delegate;
  private final Policy<K, V> policy;

  MeteredCaffeineLoadingCache(LoadingCache<K, V> delegate, CacheCounters counters) {
    super(delegate, counters);
    this.delegate = delegate;
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
}
