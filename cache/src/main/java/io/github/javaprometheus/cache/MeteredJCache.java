package io.github.javaprometheus.cache;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/** A JCache {@link Cache} that counts {@code get} and {@code getAll}; see {@link JCacheMetrics}. */
final class MeteredJCache<K, V> implements Cache<K, V>, Metered {
  private final Cache<K, V> delegate;
  private final CacheCounters counters;
  private final CacheManager manager;

  MeteredJCache(Cache<K, V> delegate, CacheCounters counters, CacheManager manager) {
    this.delegate = delegate;
    this.counters = counters;
    this.manager = manager;
  }

  Cache<K, V> target() {
    return delegate;
  }

  @Override
  public V get(K key) {
    V value;
    try {
      value = delegate.get(key);
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
  public Map<K, V> getAll(Set<? extends K> keys) {
    Map<K, V> found;
    try {
      found = delegate.getAll(keys);
    } catch (RuntimeException | Error e) {
      counters.failed(keys == null ? 1 : keys.size());
      throw e;
    }
    int hits = found == null ? 0 : found.size();
    counters.bulk(hits, Math.max(0, keys.size() - hits));
    return found;
  }

  @Override
  public boolean containsKey(K key) {
    return delegate.containsKey(key);
  }

  @Override
  public void loadAll(
      Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
    delegate.loadAll(keys, replaceExistingValues, completionListener);
  }

  @Override
  public void put(K key, V value) {
    delegate.put(key, value);
  }

  @Override
  public V getAndPut(K key, V value) {
    return delegate.getAndPut(key, value);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    delegate.putAll(map);
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    return delegate.putIfAbsent(key, value);
  }

  @Override
  public boolean remove(K key) {
    return delegate.remove(key);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return delegate.remove(key, oldValue);
  }

  @Override
  public V getAndRemove(K key) {
    return delegate.getAndRemove(key);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return delegate.replace(key, oldValue, newValue);
  }

  @Override
  public boolean replace(K key, V value) {
    return delegate.replace(key, value);
  }

  @Override
  public V getAndReplace(K key, V value) {
    return delegate.getAndReplace(key, value);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    delegate.removeAll(keys);
  }

  @Override
  public void removeAll() {
    delegate.removeAll();
  }

  @Override
  public void clear() {
    delegate.clear();
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    return delegate.getConfiguration(clazz);
  }

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments)
      throws EntryProcessorException {
    return delegate.invoke(key, entryProcessor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    return delegate.invokeAll(keys, entryProcessor, arguments);
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public CacheManager getCacheManager() {
    // Through the wrapped manager, getCache(getName()) keeps returning this metered cache.
    return manager != null ? manager : delegate.getCacheManager();
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
  public void registerCacheEntryListener(
      CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    delegate.registerCacheEntryListener(cacheEntryListenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(
      CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    delegate.deregisterCacheEntryListener(cacheEntryListenerConfiguration);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    return delegate.iterator();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
