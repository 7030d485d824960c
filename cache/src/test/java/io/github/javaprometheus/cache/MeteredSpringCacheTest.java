package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.cache.interceptor.LoggingCacheErrorHandler;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.cache.support.SimpleCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class MeteredSpringCacheTest {

  @Test
  void getCountsAHitForAValueAndAMissForNone() {
    Fixture f = new Fixture();
    CacheManager manager = MeteredSpringCacheManager.wrap(new ConcurrentMapCacheManager("default"), f.metrics);
    Cache cache = manager.getCache("default");
    cache.put("name", "zhangsan");
    assertThat(cache.get("name").get()).isEqualTo("zhangsan");
    assertThat(cache.get("name", String.class)).isEqualTo("zhangsan");
    assertThat(cache.get("absent")).isNull();
    assertThat(cache.get("absent", String.class)).isNull();
    f.assertCounts("simple", "default", 4, 2, 2, 0);
    assertThat(manager.getCache("default")).isSameAs(cache);
    assertThat(((MeteredSpringCache) cache).getTargetCache()).isInstanceOf(ConcurrentMapCache.class);
    assertThat(MeteredSpringCacheManager.wrap(manager, f.metrics)).isSameAs(manager);
  }

  @Test
  void aValueLoaderCalledIsAMissNotCalledAHitAndItsExceptionReachesTheCallerUnchanged() {
    Fixture f = new Fixture();
    Cache cache = MeteredSpringCacheManager.wrap(new ConcurrentMapCacheManager("c"), f.metrics).getCache("c");
    assertThat(cache.get("k", () -> "loaded")).isEqualTo("loaded");
    assertThat(cache.get("k", () -> "again")).isEqualTo("loaded");
    IllegalStateException boom = new IllegalStateException("boom");
    Throwable thrown =
        catchThrowable(
            () ->
                cache.get(
                    "other",
                    () -> {
                      throw boom;
                    }));
    // Exactly what the unwrapped cache throws: Spring's ValueRetrievalException around our exception.
    Throwable plain =
        catchThrowable(
            () ->
                new ConcurrentMapCache("c")
                    .get(
                        "other",
                        () -> {
                          throw boom;
                        }));
    assertThat(thrown).isInstanceOf(Cache.ValueRetrievalException.class).hasCause(boom);
    assertThat(thrown.getClass()).isEqualTo(plain.getClass());
    f.assertCounts("simple", "c", 3, 1, 2, 0);
  }

  @Test
  void retrieveCountsWhenTheFutureCompletes() {
    Fixture f = new Fixture();
    Cache cache = MeteredSpringCacheManager.wrap(new ConcurrentMapCacheManager("c"), f.metrics).getCache("c");
    assertThat(cache.retrieve("k")).isNull();
    assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture("v")).join()).isEqualTo("v");
    assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture("w")).join()).isEqualTo("v");
    assertThat(cache.retrieve("k").join()).isNotNull();
    f.assertCounts("simple", "c", 4, 2, 2, 0);
  }

  /** A cache whose store is down: every read throws, as a Redis cache with no server does. */
  static final class BrokenCache extends ConcurrentMapCache {
    final RuntimeException failure = new IllegalStateException("connection refused");

    BrokenCache(String name) {
      super(name);
    }

    @Override
    protected Object lookup(Object key) {
      throw failure;
    }
  }

  @Test
  void aFailingCacheIsCountedAndThrowsTheVeryExceptionItThrew() {
    Fixture f = new Fixture();
    BrokenCache broken = new BrokenCache("orders");
    SimpleCacheManager target = new SimpleCacheManager();
    target.setCaches(java.util.List.of(broken));
    target.afterPropertiesSet();
    Cache cache = MeteredSpringCacheManager.wrap(target, f.metrics).getCache("orders");
    assertThat(catchThrowable(() -> cache.get("k"))).isSameAs(broken.failure);
    assertThat(catchThrowable(() -> cache.get("k", String.class))).isSameAs(broken.failure);
    f.assertCounts("simple", "orders", 2, 0, 0, 2);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class App {
    static final AtomicInteger calls = new AtomicInteger();

    @Bean
    CacheManager cacheManager(CacheMetrics metrics) {
      return MeteredSpringCacheManager.wrap(new ConcurrentMapCacheManager("users"), metrics);
    }

    @Bean
    UserService userService() {
      return new UserService();
    }
  }

  static class UserService {
    @Cacheable("users")
    public String find(String id) {
      App.calls.incrementAndGet();
      return "user-" + id;
    }

    @Cacheable(cacheNames = "users", sync = true)
    public String findSync(String id) {
      App.calls.incrementAndGet();
      return "sync-" + id;
    }
  }

  @Test
  void cacheableMethodsCountOneGetPerCall() {
    Fixture f = new Fixture();
    try (AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext()) {
      ctx.registerBean(CacheMetrics.class, () -> f.metrics);
      ctx.register(App.class);
      ctx.refresh();
      UserService users = ctx.getBean(UserService.class);
      App.calls.set(0);
      assertThat(users.find("1")).isEqualTo("user-1");
      assertThat(users.find("1")).isEqualTo("user-1");
      assertThat(users.find("2")).isEqualTo("user-2");
      assertThat(users.findSync("3")).isEqualTo("sync-3");
      assertThat(users.findSync("3")).isEqualTo("sync-3");
      assertThat(App.calls.get()).isEqualTo(3);
    }
    f.assertCounts("simple", "users", 5, 2, 3, 0);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class BrokenApp implements CachingConfigurer {
    static final BrokenCache broken = new BrokenCache("users");
    static volatile CacheMetrics metrics;

    @Bean
    @Override
    public CacheManager cacheManager() {
      SimpleCacheManager target = new SimpleCacheManager();
      target.setCaches(java.util.List.of(broken));
      target.afterPropertiesSet();
      return MeteredSpringCacheManager.wrap(target, metrics);
    }

    @Override
    public CacheErrorHandler errorHandler() {
      // Logs the failure and runs the method, as many applications configure for a remote cache.
      return new LoggingCacheErrorHandler();
    }

    @Bean
    UserService userService() {
      return new UserService();
    }
  }

  @Test
  void withAnErrorHandlerTheMethodStillRunsWhenTheCacheFailsAndTheFailureIsCounted() {
    Fixture f = new Fixture();
    BrokenApp.metrics = f.metrics;
    try (AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext(BrokenApp.class)) {
      assertThat(ctx.getBean(UserService.class).find("1")).isEqualTo("user-1");
    }
    f.assertCounts("simple", "users", 1, 0, 0, 1);
  }

  @Test
  void namesTheBackendOfEachSpringProvider() {
    Fixture f = new Fixture();
    CaffeineCacheManager caffeine = new CaffeineCacheManager("c");
    caffeine.setCaffeine(Caffeine.newBuilder());
    MeteredSpringCacheManager.wrap(caffeine, f.metrics).getCache("c").get("k");
    f.assertCounts("caffeine", "c", 1, 0, 1, 0);

    CachingProvider provider =
        Caching.getCachingProvider("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider");
    javax.cache.CacheManager jcache =
        provider.getCacheManager(java.net.URI.create("spring-test"), getClass().getClassLoader());
    try {
      jcache.createCache("j", new javax.cache.configuration.MutableConfiguration<Object, Object>());
      JCacheCacheManager spring = new JCacheCacheManager(jcache);
      spring.afterPropertiesSet();
      MeteredSpringCacheManager.wrap(spring, f.metrics).getCache("j").get("k");
      f.assertCounts("jcache", "j", 1, 0, 1, 0);
    } finally {
      jcache.close();
    }
  }

  @Test
  void aSpringCacheOverAMeteredJCacheManagerIsCountedOnceNotTwice() {
    Fixture f = new Fixture();
    CachingProvider provider =
        Caching.getCachingProvider("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider");
    javax.cache.CacheManager jcache =
        JCacheMetrics.wrap(
            provider.getCacheManager(java.net.URI.create("once"), getClass().getClassLoader()),
            f.metrics);
    try {
      jcache.createCache("j", new javax.cache.configuration.MutableConfiguration<Object, Object>());
      JCacheCacheManager spring = new JCacheCacheManager(jcache);
      spring.afterPropertiesSet();
      Cache cache = MeteredSpringCacheManager.wrap(spring, f.metrics).getCache("j");
      cache.put("k", "v");
      cache.get("k");
      cache.get("absent");
      f.assertCounts("jcache", "j", 2, 1, 1, 0);
    } finally {
      jcache.close();
    }
  }
}
