package io.github.javaprometheus.cache;

import net.rubyeye.xmemcached.MemcachedClient;

/**
 * Counts the gets of an xmemcached {@link MemcachedClient}, backend {@code memcached}: {@code
 * get}, {@code gets} and {@code getAndTouch} of one key (a value is a hit, null a miss) and {@code
 * get}/{@code gets} of a collection (each distinct key). A {@code TimeoutException}, {@code
 * MemcachedException} or {@code InterruptedException} is a failure and reaches the caller
 * unchanged.
 *
 * <p>xmemcached rather than spymemcached: spymemcached's last release (2.12.3) dates from 2017,
 * while xmemcached still gets releases (2.4.8) and its client is an interface, which this class
 * can wrap without subclassing.
 */
public final class MemcachedCacheMetrics {
  static final String BACKEND = "memcached";

  private MemcachedCacheMetrics() {}

  /** A client that counts its gets; every other call goes straight to {@code client}. */
  public static MemcachedClient wrap(MemcachedClient client, CacheMetrics metrics, String name) {
    if (client instanceof Metered || !metrics.enabled()) {
      return client;
    }
    return new MeteredMemcachedClient(client, metrics.counters(BACKEND, name));
  }
}
