package io.github.javaprometheus.cache;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
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
    if (client instanceof Metered) {
      return client;
    }
    return (MemcachedClient)
        Proxy.newProxyInstance(
            MemcachedClient.class.getClassLoader(),
            new Class<?>[] {MemcachedClient.class, Metered.class},
            new Handler(client, metrics.counters(BACKEND, name)));
  }

  private static final class Handler implements InvocationHandler {
    private final MemcachedClient target;
    private final CacheCounters counters;

    Handler(MemcachedClient target, CacheCounters counters) {
      this.target = target;
      this.counters = counters;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (method.getDeclaringClass() == Object.class) {
        switch (name) {
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          default:
            return target.toString();
        }
      }
      boolean get = name.equals("get") || name.equals("gets") || name.equals("getAndTouch");
      if (!get || args == null || args.length == 0) {
        return call(method, args);
      }
      Object first = args[0];
      if (first instanceof Collection) {
        int keys = new HashSet<>((Collection<?>) first).size();
        Object result;
        try {
          result = call(method, args);
        } catch (Throwable e) {
          counters.failed(keys);
          throw e;
        }
        int hits = result instanceof Map ? ((Map<?, ?>) result).size() : 0;
        counters.bulk(hits, Math.max(0, keys - hits));
        return result;
      }
      Object result;
      try {
        result = call(method, args);
      } catch (Throwable e) {
        counters.fail();
        throw e;
      }
      if (result != null) {
        counters.hit();
      } else {
        counters.miss();
      }
      return result;
    }

    private Object call(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        // The client's own exception, the very instance it threw.
        throw e.getCause();
      }
    }
  }
}
