package io.github.javaprometheus.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * A Caffeine {@link Cache} that counts its gets; see {@link CaffeineCacheMetrics}. Extended only
 * by {@link MeteredCaffeineLoadingCache}, which adds the loading methods.
 */
class MeteredCaffeineCache<K, V> implements Cache<K, V>, Metered {
  private final Cache<K, V> delegate;
  final CacheCounters counters;
  private final Policy<K, V> probe;

  MeteredCaffeineCache(Cache<K, V> delegate, CacheCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
    this.probe = probeFor(delegate);
  }

  @Override
  public V getIfPresent(K key) {
    V value;
    try {
      value = delegate.getIfPresent(key);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    if (value != null) {
      counters.hit();
    } else {
      counters.miss();
    }
    return value;
  }

  @Override
  public V get(K key, Function<? super K, ? extends V> mappingFunction) {
    return get(delegate, counters, probe, key, mappingFunction);
  }

  /**
   * {@code get(key, fn)} counted without allocating on a hit. A hit is first looked up with {@code
   * getIfPresent}, which on a present key does exactly what {@code get} does (returns the value,
   * records the access for eviction and expiry, and a hit in Caffeine's statistics). Only when that
   * finds nothing is a {@link Loader} allocated, to learn whether the mapping function ran (a miss)
   * or another thread filled the key meanwhile (a hit). A cache recording statistics is probed
   * quietly first, so that a miss is one miss in its statistics, not two.
   */
  static <K, V> V get(
      Cache<K, V> delegate,
      CacheCounters counters,
      Policy<K, V> probe,
      K key,
      Function<? super K, ? extends V> mappingFunction) {
    V present;
    try {
      present =
          key == null || (probe != null && probe.getIfPresentQuietly(key) == null)
              ? null
              : delegate.getIfPresent(key);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    if (present != null) {
      counters.hit();
      return present;
    }
    Loader<K, V> loader = new Loader<>(mappingFunction);
    V value;
    try {
      value = delegate.get(key, loader);
    } catch (RuntimeException | Error e) {
      // An exception of the application's own function is a miss it could not fill.
      if (loader.called) {
        counters.miss();
      } else {
        counters.fail();
      }
      throw e;
    }
    if (loader.called) {
      counters.miss();
    } else {
      counters.hit();
    }
    return value;
  }

  /** The quiet look-up to use before a counted {@code get(key, fn)}: only when stats are on. */
  static <K, V> Policy<K, V> probeFor(Cache<K, V> cache) {
    try {
      Policy<K, V> policy = cache.policy();
      return policy.isRecordingStats() ? policy : null;
    } catch (RuntimeException | LinkageError e) {
      // A cache without a policy: probe with getIfPresent alone.
      return null;
    }
  }

  @Override
  public Map<K, V> getAllPresent(Iterable<? extends K> keys) {
    Map<K, V> found;
    try {
      found = delegate.getAllPresent(keys);
    } catch (RuntimeException | Error e) {
      counters.failed(distinct(keys));
      throw e;
    }
    int requested = distinct(keys);
    counters.bulk(found.size(), Math.max(0, requested - found.size()));
    return found;
  }

  @Override
  public Map<K, V> getAll(
      Iterable<? extends K> keys,
      Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> mappingFunction) {
    BulkLoader<K, V> loader = new BulkLoader<>(mappingFunction);
    Map<K, V> result;
    try {
      result = delegate.getAll(keys, loader);
    } catch (RuntimeException | Error e) {
      int requested = distinct(keys);
      if (loader.missing >= 0) {
        counters.bulk(requested - loader.missing, loader.missing);
      } else {
        counters.failed(requested);
      }
      throw e;
    }
    int requested = distinct(keys);
    int missing = Math.max(0, loader.missing);
    counters.bulk(Math.max(0, requested - missing), missing);
    return result;
  }

  static int distinct(Iterable<?> keys) {
    Set<Object> set = new LinkedHashSet<>();
    for (Object k : keys) {
      set.add(k);
    }
    return set.size();
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

  /** Notes whether Caffeine called the mapping function, i.e. whether the get missed. */
  static final class Loader<K, V> implements Function<K, V> {
    private final Function<? super K, ? extends V> target;
    boolean called;

    Loader(Function<? super K, ? extends V> target) {
      this.target = target;
    }

    @Override
    public V apply(K key) {
      called = true;
      return target.apply(key);
    }
  }

  /** Notes how many keys Caffeine asked the bulk function to load. */
  static final class BulkLoader<K, V>
      implements Function<Set<? extends K>, Map<? extends K, ? extends V>> {
    private final Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>>
        target;
    int missing = -1;

    BulkLoader(
        Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> target) {
      this.target = target;
    }

    @Override
    public Map<? extends K, ? extends V> apply(Set<? extends K> keys) {
      missing = Math.max(missing, 0) + keys.size();
      return target.apply(keys);
    }
  }
}
