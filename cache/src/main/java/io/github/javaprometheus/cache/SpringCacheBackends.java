package io.github.javaprometheus.cache;

import java.util.Locale;
import org.springframework.cache.Cache;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;

/**
 * The {@code backend} label of a Spring cache, named as Spring Boot's {@code spring.cache.type}
 * names the provider: {@code simple} (ConcurrentMapCache), {@code caffeine}, {@code jcache}, {@code
 * redis}, {@code hazelcast}, ... Known classes are matched by name, so none of them is needed on
 * the class path.
 */
final class SpringCacheBackends {
  private SpringCacheBackends() {}

  static String backendOf(Cache cache) {
    Object target = cache;
    // A transaction-aware decorator delegates gets to its target: name the target's provider.
    for (int depth = 0; depth < 4 && target != null; depth++) {
      Object inner = transactionTarget(target);
      if (inner == null) {
        break;
      }
      target = inner;
    }
    for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      String known = known(c.getName());
      if (known != null) {
        return known;
      }
    }
    String name = target.getClass().getName().toLowerCase(Locale.ROOT);
    for (String provider :
        new String[] {
          "redis", "hazelcast", "infinispan", "couchbase", "cache2k", "ehcache", "memcached",
          "caffeine", "jcache", "geode", "ignite"
        }) {
      if (name.contains(provider)) {
        return provider;
      }
    }
    String simple = target.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    if (simple.endsWith("cache") && simple.length() > "cache".length()) {
      simple = simple.substring(0, simple.length() - "cache".length());
    }
    return simple.isEmpty() ? "unknown" : simple;
  }

  private static String known(String className) {
    switch (className) {
      case "org.springframework.cache.concurrent.ConcurrentMapCache":
        return "simple";
      case "org.springframework.cache.caffeine.CaffeineCache":
        return "caffeine";
      case "org.springframework.cache.jcache.JCacheCache":
        return "jcache";
      case "org.springframework.data.redis.cache.RedisCache":
        return "redis";
      case "org.springframework.cache.support.NoOpCache":
        return "none";
      default:
        return null;
    }
  }

  private static Object transactionTarget(Object cache) {
    return Transactions.PRESENT ? Transactions.target(cache) : null;
  }

  /**
   * {@code TransactionAwareCacheDecorator} lives in spring-context-support, which an application of
   * Spring's cache abstraction need not have: this class is the only one that names it, and is only
   * asked once {@link #PRESENT} has found it.
   */
  private static final class Transactions {
    static final boolean PRESENT = present();

    private static boolean present() {
      try {
        return TransactionAwareCacheDecorator.class.getName() != null;
      } catch (LinkageError absent) {
        return false;
      }
    }

    static Object target(Object cache) {
      return cache instanceof TransactionAwareCacheDecorator
          ? ((TransactionAwareCacheDecorator) cache).getTargetCache()
          : null;
    }
  }
}
