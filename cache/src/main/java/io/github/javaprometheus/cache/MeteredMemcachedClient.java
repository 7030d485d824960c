package io.github.javaprometheus.cache;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import net.rubyeye.xmemcached.CASOperation;
import net.rubyeye.xmemcached.Counter;
import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.KeyIterator;
import net.rubyeye.xmemcached.KeyProvider;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.MemcachedClientCallable;
import net.rubyeye.xmemcached.MemcachedClientStateListener;
import net.rubyeye.xmemcached.auth.AuthInfo;
import net.rubyeye.xmemcached.buffer.BufferAllocator;
import net.rubyeye.xmemcached.exception.MemcachedException;
import net.rubyeye.xmemcached.impl.ReconnectRequest;
import net.rubyeye.xmemcached.networking.Connector;
import net.rubyeye.xmemcached.transcoders.Transcoder;
import net.rubyeye.xmemcached.utils.Protocol;

/**
 * An xmemcached {@link MemcachedClient} that counts its gets; see {@link MemcachedCacheMetrics}.
 * Every method is a direct call on the wrapped client: no reflection, and a get allocates nothing
 * of its own.
 */
// Overrides every method of the interface, the deprecated and raw-typed ones included.
@SuppressWarnings({"deprecation", "rawtypes", "unchecked"})
final class MeteredMemcachedClient implements MemcachedClient, Metered {
  /** Past this many keys a list is de-duplicated with a set rather than pairwise. */
  private static final int PAIRWISE_LIMIT = 32;

  private final MemcachedClient delegate;
  private final CacheCounters counters;

  MeteredMemcachedClient(MemcachedClient delegate, CacheCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  private void single(Object value) {
    if (value != null) {
      counters.hit();
    } else {
      counters.miss();
    }
  }

  private void bulk(int keys, Map<?, ?> found) {
    int hits = found == null ? 0 : found.size();
    counters.bulk(hits, Math.max(0, keys - hits));
  }

  /** The number of distinct keys asked for: each is one get, as memcached answers each once. */
  static int distinct(Collection<?> keys) {
    if (keys == null) {
      return 0;
    }
    if (keys instanceof Set) {
      return keys.size();
    }
    int n = keys.size();
    if (n > PAIRWISE_LIMIT || !(keys instanceof List && keys instanceof RandomAccess)) {
      return n <= 1 ? n : new HashSet<>(keys).size();
    }
    List<?> list = (List<?>) keys;
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      Object key = list.get(i);
      boolean seen = false;
      for (int j = 0; j < i && !seen; j++) {
        seen = Objects.equals(key, list.get(j));
      }
      if (!seen) {
        distinct++;
      }
    }
    return distinct;
  }

  @Override
  public void setMergeFactor(int a0) {
    delegate.setMergeFactor(a0);
  }

  @Override
  public long getConnectTimeout() {
    return delegate.getConnectTimeout();
  }

  @Override
  public void setConnectTimeout(long a0) {
    delegate.setConnectTimeout(a0);
  }

  @Override
  public Connector getConnector() {
    return delegate.getConnector();
  }

  @Override
  public void setOptimizeGet(boolean a0) {
    delegate.setOptimizeGet(a0);
  }

  @Override
  public void setOptimizeMergeBuffer(boolean a0) {
    delegate.setOptimizeMergeBuffer(a0);
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public void addServer(String a0, int a1) throws IOException {
    delegate.addServer(a0, a1);
  }

  @Override
  public void addServer(InetSocketAddress a0) throws IOException {
    delegate.addServer(a0);
  }

  @Override
  public void addServer(String a0) throws IOException {
    delegate.addServer(a0);
  }

  @Override
  public List<String> getServersDescription() {
    return delegate.getServersDescription();
  }

  @Override
  public void removeServer(String a0) {
    delegate.removeServer(a0);
  }

  @Override
  public void removeServer(InetSocketAddress a0) {
    delegate.removeServer(a0);
  }

  @Override
  public void setBufferAllocator(BufferAllocator a0) {
    delegate.setBufferAllocator(a0);
  }

  @Override
  public <T> T get(String a0, long a1, Transcoder<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    T value;
    try {
      value = delegate.get(a0, a1, a2);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> T get(String a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    T value;
    try {
      value = delegate.get(a0, a1);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> T get(String a0, Transcoder<T> a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    T value;
    try {
      value = delegate.get(a0, a1);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> T get(String a0) throws TimeoutException, InterruptedException, MemcachedException {
    T value;
    try {
      value = delegate.get(a0);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> GetsResponse<T> gets(String a0, long a1, Transcoder<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    GetsResponse<T> value;
    try {
      value = delegate.gets(a0, a1, a2);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> GetsResponse<T> gets(String a0)
      throws TimeoutException, InterruptedException, MemcachedException {
    GetsResponse<T> value;
    try {
      value = delegate.gets(a0);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> GetsResponse<T> gets(String a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    GetsResponse<T> value;
    try {
      value = delegate.gets(a0, a1);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> GetsResponse<T> gets(String a0, Transcoder a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    GetsResponse<T> value;
    try {
      value = delegate.gets(a0, a1);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> Map<String, T> get(Collection<String> a0, long a1, Transcoder<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, T> found;
    try {
      found = delegate.get(a0, a1, a2);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> Map<String, T> get(Collection<String> a0, Transcoder<T> a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, T> found;
    try {
      found = delegate.get(a0, a1);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> Map<String, T> get(Collection<String> a0)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, T> found;
    try {
      found = delegate.get(a0);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> Map<String, T> get(Collection<String> a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, T> found;
    try {
      found = delegate.get(a0, a1);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> Map<String, GetsResponse<T>> gets(Collection<String> a0, long a1, Transcoder<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, GetsResponse<T>> found;
    try {
      found = delegate.gets(a0, a1, a2);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> Map<String, GetsResponse<T>> gets(Collection<String> a0)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, GetsResponse<T>> found;
    try {
      found = delegate.gets(a0);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> Map<String, GetsResponse<T>> gets(Collection<String> a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, GetsResponse<T>> found;
    try {
      found = delegate.gets(a0, a1);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> Map<String, GetsResponse<T>> gets(Collection<String> a0, Transcoder<T> a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    int keys = distinct(a0);
    Map<String, GetsResponse<T>> found;
    try {
      found = delegate.gets(a0, a1);
    } catch (Throwable e) {
      counters.failed(keys);
      throw e;
    }
    bulk(keys, found);
    return found;
  }

  @Override
  public <T> boolean set(String a0, int a1, T a2, Transcoder<T> a3, long a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.set(a0, a1, a2, a3, a4);
  }

  @Override
  public boolean set(String a0, int a1, Object a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.set(a0, a1, a2);
  }

  @Override
  public boolean set(String a0, int a1, Object a2, long a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.set(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean set(String a0, int a1, T a2, Transcoder<T> a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.set(a0, a1, a2, a3);
  }

  @Override
  public void setWithNoReply(String a0, int a1, Object a2)
      throws InterruptedException, MemcachedException {
    delegate.setWithNoReply(a0, a1, a2);
  }

  @Override
  public <T> void setWithNoReply(String a0, int a1, T a2, Transcoder<T> a3)
      throws InterruptedException, MemcachedException {
    delegate.setWithNoReply(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean add(String a0, int a1, T a2, Transcoder<T> a3, long a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.add(a0, a1, a2, a3, a4);
  }

  @Override
  public boolean add(String a0, int a1, Object a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.add(a0, a1, a2);
  }

  @Override
  public boolean add(String a0, int a1, Object a2, long a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.add(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean add(String a0, int a1, T a2, Transcoder<T> a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.add(a0, a1, a2, a3);
  }

  @Override
  public void addWithNoReply(String a0, int a1, Object a2)
      throws InterruptedException, MemcachedException {
    delegate.addWithNoReply(a0, a1, a2);
  }

  @Override
  public <T> void addWithNoReply(String a0, int a1, T a2, Transcoder<T> a3)
      throws InterruptedException, MemcachedException {
    delegate.addWithNoReply(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean replace(String a0, int a1, T a2, Transcoder<T> a3, long a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.replace(a0, a1, a2, a3, a4);
  }

  @Override
  public boolean replace(String a0, int a1, Object a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.replace(a0, a1, a2);
  }

  @Override
  public boolean replace(String a0, int a1, Object a2, long a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.replace(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean replace(String a0, int a1, T a2, Transcoder<T> a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.replace(a0, a1, a2, a3);
  }

  @Override
  public void replaceWithNoReply(String a0, int a1, Object a2)
      throws InterruptedException, MemcachedException {
    delegate.replaceWithNoReply(a0, a1, a2);
  }

  @Override
  public <T> void replaceWithNoReply(String a0, int a1, T a2, Transcoder<T> a3)
      throws InterruptedException, MemcachedException {
    delegate.replaceWithNoReply(a0, a1, a2, a3);
  }

  @Override
  public boolean append(String a0, Object a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.append(a0, a1);
  }

  @Override
  public boolean append(String a0, Object a1, long a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.append(a0, a1, a2);
  }

  @Override
  public void appendWithNoReply(String a0, Object a1)
      throws InterruptedException, MemcachedException {
    delegate.appendWithNoReply(a0, a1);
  }

  @Override
  public boolean prepend(String a0, Object a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.prepend(a0, a1);
  }

  @Override
  public boolean prepend(String a0, Object a1, long a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.prepend(a0, a1, a2);
  }

  @Override
  public void prependWithNoReply(String a0, Object a1)
      throws InterruptedException, MemcachedException {
    delegate.prependWithNoReply(a0, a1);
  }

  @Override
  public boolean cas(String a0, int a1, Object a2, long a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean cas(String a0, int a1, T a2, Transcoder<T> a3, long a4, long a5)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public boolean cas(String a0, int a1, Object a2, long a3, long a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2, a3, a4);
  }

  @Override
  public <T> boolean cas(String a0, int a1, T a2, Transcoder<T> a3, long a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2, a3, a4);
  }

  @Override
  public <T> boolean cas(String a0, int a1, CASOperation<T> a2, Transcoder<T> a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean cas(
      String a0, int a1, GetsResponse<T> a2, CASOperation<T> a3, Transcoder<T> a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2, a3, a4);
  }

  @Override
  public <T> boolean cas(String a0, int a1, GetsResponse<T> a2, CASOperation<T> a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2, a3);
  }

  @Override
  public <T> boolean cas(String a0, GetsResponse<T> a1, CASOperation<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2);
  }

  @Override
  public <T> boolean cas(String a0, int a1, CASOperation<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1, a2);
  }

  @Override
  public <T> boolean cas(String a0, CASOperation<T> a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.cas(a0, a1);
  }

  @Override
  public <T> void casWithNoReply(String a0, GetsResponse<T> a1, CASOperation<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    delegate.casWithNoReply(a0, a1, a2);
  }

  @Override
  public <T> void casWithNoReply(String a0, int a1, GetsResponse<T> a2, CASOperation<T> a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    delegate.casWithNoReply(a0, a1, a2, a3);
  }

  @Override
  public <T> void casWithNoReply(String a0, int a1, CASOperation<T> a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    delegate.casWithNoReply(a0, a1, a2);
  }

  @Override
  public <T> void casWithNoReply(String a0, CASOperation<T> a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    delegate.casWithNoReply(a0, a1);
  }

  @Override
  public boolean delete(String a0, int a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.delete(a0, a1);
  }

  @Override
  public boolean delete(String a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.delete(a0, a1);
  }

  @Override
  public boolean delete(String a0, long a1, long a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.delete(a0, a1, a2);
  }

  @Override
  public boolean touch(String a0, int a1, long a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.touch(a0, a1, a2);
  }

  @Override
  public boolean touch(String a0, int a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.touch(a0, a1);
  }

  @Override
  public <T> T getAndTouch(String a0, int a1, long a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    T value;
    try {
      value = delegate.getAndTouch(a0, a1, a2);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public <T> T getAndTouch(String a0, int a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    T value;
    try {
      value = delegate.getAndTouch(a0, a1);
    } catch (Throwable e) {
      counters.fail();
      throw e;
    }
    single(value);
    return value;
  }

  @Override
  public Map<InetSocketAddress, String> getVersions()
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.getVersions();
  }

  @Override
  public long incr(String a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.incr(a0, a1);
  }

  @Override
  public long incr(String a0, long a1, long a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.incr(a0, a1, a2);
  }

  @Override
  public long incr(String a0, long a1, long a2, long a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.incr(a0, a1, a2, a3);
  }

  @Override
  public long decr(String a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.decr(a0, a1);
  }

  @Override
  public long decr(String a0, long a1, long a2)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.decr(a0, a1, a2);
  }

  @Override
  public long decr(String a0, long a1, long a2, long a3)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.decr(a0, a1, a2, a3);
  }

  @Override
  public void flushAll() throws TimeoutException, InterruptedException, MemcachedException {
    delegate.flushAll();
  }

  @Override
  public void flushAllWithNoReply() throws InterruptedException, MemcachedException {
    delegate.flushAllWithNoReply();
  }

  @Override
  public void flushAll(long a0) throws TimeoutException, InterruptedException, MemcachedException {
    delegate.flushAll(a0);
  }

  @Override
  public void flushAll(InetSocketAddress a0)
      throws MemcachedException, InterruptedException, TimeoutException {
    delegate.flushAll(a0);
  }

  @Override
  public void flushAllWithNoReply(InetSocketAddress a0)
      throws MemcachedException, InterruptedException {
    delegate.flushAllWithNoReply(a0);
  }

  @Override
  public void flushAll(InetSocketAddress a0, long a1)
      throws MemcachedException, InterruptedException, TimeoutException {
    delegate.flushAll(a0, a1);
  }

  @Override
  public void flushAll(String a0)
      throws TimeoutException, InterruptedException, MemcachedException {
    delegate.flushAll(a0);
  }

  @Override
  public Map<String, String> stats(InetSocketAddress a0)
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.stats(a0);
  }

  @Override
  public Map<String, String> stats(InetSocketAddress a0, long a1)
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.stats(a0, a1);
  }

  @Override
  public Map<InetSocketAddress, Map<String, String>> getStats(long a0)
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.getStats(a0);
  }

  @Override
  public Map<InetSocketAddress, Map<String, String>> getStats()
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.getStats();
  }

  @Override
  public Map<InetSocketAddress, Map<String, String>> getStatsByItem(String a0)
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.getStatsByItem(a0);
  }

  @Override
  public void shutdown() throws IOException {
    delegate.shutdown();
  }

  @Override
  public boolean delete(String a0)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.delete(a0);
  }

  @Override
  public Transcoder getTranscoder() {
    return delegate.getTranscoder();
  }

  @Override
  public void setTranscoder(Transcoder a0) {
    delegate.setTranscoder(a0);
  }

  @Override
  public Map<InetSocketAddress, Map<String, String>> getStatsByItem(String a0, long a1)
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.getStatsByItem(a0, a1);
  }

  @Override
  public long getOpTimeout() {
    return delegate.getOpTimeout();
  }

  @Override
  public void setOpTimeout(long a0) {
    delegate.setOpTimeout(a0);
  }

  @Override
  public Map<InetSocketAddress, String> getVersions(long a0)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.getVersions(a0);
  }

  @Override
  public Collection<InetSocketAddress> getAvaliableServers() {
    return delegate.getAvaliableServers();
  }

  @Override
  public Collection<InetSocketAddress> getAvailableServers() {
    return delegate.getAvailableServers();
  }

  @Override
  public void addServer(String a0, int a1, int a2) throws IOException {
    delegate.addServer(a0, a1, a2);
  }

  @Override
  public void addServer(InetSocketAddress a0, int a1) throws IOException {
    delegate.addServer(a0, a1);
  }

  @Override
  public void deleteWithNoReply(String a0, int a1) throws InterruptedException, MemcachedException {
    delegate.deleteWithNoReply(a0, a1);
  }

  @Override
  public void deleteWithNoReply(String a0) throws InterruptedException, MemcachedException {
    delegate.deleteWithNoReply(a0);
  }

  @Override
  public void incrWithNoReply(String a0, long a1) throws InterruptedException, MemcachedException {
    delegate.incrWithNoReply(a0, a1);
  }

  @Override
  public void decrWithNoReply(String a0, long a1) throws InterruptedException, MemcachedException {
    delegate.decrWithNoReply(a0, a1);
  }

  @Override
  public void setLoggingLevelVerbosity(InetSocketAddress a0, int a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    delegate.setLoggingLevelVerbosity(a0, a1);
  }

  @Override
  public void setLoggingLevelVerbosityWithNoReply(InetSocketAddress a0, int a1)
      throws InterruptedException, MemcachedException {
    delegate.setLoggingLevelVerbosityWithNoReply(a0, a1);
  }

  @Override
  public void addStateListener(MemcachedClientStateListener a0) {
    delegate.addStateListener(a0);
  }

  @Override
  public void removeStateListener(MemcachedClientStateListener a0) {
    delegate.removeStateListener(a0);
  }

  @Override
  public Collection<MemcachedClientStateListener> getStateListeners() {
    return delegate.getStateListeners();
  }

  @Override
  public void flushAllWithNoReply(int a0) throws InterruptedException, MemcachedException {
    delegate.flushAllWithNoReply(a0);
  }

  @Override
  public void flushAll(int a0, long a1)
      throws TimeoutException, InterruptedException, MemcachedException {
    delegate.flushAll(a0, a1);
  }

  @Override
  public void flushAllWithNoReply(InetSocketAddress a0, int a1)
      throws MemcachedException, InterruptedException {
    delegate.flushAllWithNoReply(a0, a1);
  }

  @Override
  public void flushAll(InetSocketAddress a0, long a1, int a2)
      throws MemcachedException, InterruptedException, TimeoutException {
    delegate.flushAll(a0, a1, a2);
  }

  @Override
  public void setHealSessionInterval(long a0) {
    delegate.setHealSessionInterval(a0);
  }

  @Override
  public void setEnableHealSession(boolean a0) {
    delegate.setEnableHealSession(a0);
  }

  @Override
  public long getHealSessionInterval() {
    return delegate.getHealSessionInterval();
  }

  @Override
  public Protocol getProtocol() {
    return delegate.getProtocol();
  }

  @Override
  public void setPrimitiveAsString(boolean a0) {
    delegate.setPrimitiveAsString(a0);
  }

  @Override
  public void setConnectionPoolSize(int a0) {
    delegate.setConnectionPoolSize(a0);
  }

  @Override
  public void setEnableHeartBeat(boolean a0) {
    delegate.setEnableHeartBeat(a0);
  }

  @Override
  public void setSanitizeKeys(boolean a0) {
    delegate.setSanitizeKeys(a0);
  }

  @Override
  public boolean isSanitizeKeys() {
    return delegate.isSanitizeKeys();
  }

  @Override
  public Counter getCounter(String a0) {
    return delegate.getCounter(a0);
  }

  @Override
  public Counter getCounter(String a0, long a1) {
    return delegate.getCounter(a0, a1);
  }

  @Override
  public KeyIterator getKeyIterator(InetSocketAddress a0)
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.getKeyIterator(a0);
  }

  @Override
  public void setAuthInfoMap(Map<InetSocketAddress, AuthInfo> a0) {
    delegate.setAuthInfoMap(a0);
  }

  @Override
  public Map<InetSocketAddress, AuthInfo> getAuthInfoMap() {
    return delegate.getAuthInfoMap();
  }

  @Override
  public Map<String, AuthInfo> getAuthInfoStringMap() {
    return delegate.getAuthInfoStringMap();
  }

  @Override
  public long decr(String a0, long a1, long a2, long a3, int a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.decr(a0, a1, a2, a3, a4);
  }

  @Override
  public long incr(String a0, long a1, long a2, long a3, int a4)
      throws TimeoutException, InterruptedException, MemcachedException {
    return delegate.incr(a0, a1, a2, a3, a4);
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public void setName(String a0) {
    delegate.setName(a0);
  }

  @Override
  public Queue<ReconnectRequest> getReconnectRequestQueue() {
    return delegate.getReconnectRequestQueue();
  }

  @Override
  public void setFailureMode(boolean a0) {
    delegate.setFailureMode(a0);
  }

  @Override
  public boolean isFailureMode() {
    return delegate.isFailureMode();
  }

  @Override
  public void setKeyProvider(KeyProvider a0) {
    delegate.setKeyProvider(a0);
  }

  @Override
  public int getTimeoutExceptionThreshold() {
    return delegate.getTimeoutExceptionThreshold();
  }

  @Override
  public void setTimeoutExceptionThreshold(int a0) {
    delegate.setTimeoutExceptionThreshold(a0);
  }

  @Override
  public void invalidateNamespace(String a0)
      throws MemcachedException, InterruptedException, TimeoutException {
    delegate.invalidateNamespace(a0);
  }

  @Override
  public void invalidateNamespace(String a0, long a1)
      throws MemcachedException, InterruptedException, TimeoutException {
    delegate.invalidateNamespace(a0, a1);
  }

  @Override
  public void endWithNamespace() {
    delegate.endWithNamespace();
  }

  @Override
  public void beginWithNamespace(String a0) {
    delegate.beginWithNamespace(a0);
  }

  @Override
  public <T> T withNamespace(String a0, MemcachedClientCallable<T> a1)
      throws MemcachedException, InterruptedException, TimeoutException {
    return delegate.withNamespace(a0, a1);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
