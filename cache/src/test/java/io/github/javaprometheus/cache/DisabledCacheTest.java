package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.SettingSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.DefaultClientResources;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import net.rubyeye.xmemcached.MemcachedClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.executors.CommandExecutor;

/**
 * {@code prometheus.enabled=false}, from each source of the settings model: every wrapper of the
 * module hands back what it was given, so the application's caches are its own objects, and no
 * family reaches the registry.
 */
class DisabledCacheTest {

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void nothingIsWrappedAndNothingRegistered(SettingSource source, @TempDir Path dir)
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            source.framework("prometheus.enabled", "false"),
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    CacheMetrics metrics = CacheMetrics.create(MetricFamilies.create(settings, registry));
    assertThat(metrics.enabled()).isFalse();

    Cache<String, String> caffeine = Caffeine.newBuilder().build();
    assertThat(CaffeineCacheMetrics.wrap(caffeine, metrics, "c")).isSameAs(caffeine);
    LoadingCache<String, String> loading = Caffeine.newBuilder().build(k -> k);
    assertThat(CaffeineCacheMetrics.wrap(loading, metrics, "l")).isSameAs(loading);

    CacheManager spring = new ConcurrentMapCacheManager("a");
    assertThat(MeteredSpringCacheManager.wrap(spring, metrics)).isSameAs(spring);
    assertThat(MeteredSpringCacheManager.wrapKeepingClass(spring, metrics)).isSameAs(spring);

    CachingProvider provider =
        Caching.getCachingProvider(
            "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider");
    javax.cache.CacheManager jcache =
        provider.getCacheManager(URI.create("disabled-" + source), getClass().getClassLoader());
    try {
      assertThat(JCacheMetrics.wrap(jcache, metrics)).isSameAs(jcache);
      javax.cache.Cache<Object, Object> one =
          jcache.createCache("one", new javax.cache.configuration.MutableConfiguration<>());
      assertThat(JCacheMetrics.wrap(one, metrics)).isSameAs(one);
    } finally {
      jcache.close();
    }

    CommandExecutor jedis =
        new CommandExecutor() {
          @Override
          public <T> T executeCommand(CommandObject<T> commandObject) {
            throw new AssertionError("not called");
          }

          @Override
          public void close() {}
        };
    assertThat(JedisCacheMetrics.executor(jedis, metrics, "j")).isSameAs(jedis);
    // Never connected: a pool opens connections on first use.
    try (JedisPooled pooled = new JedisPooled("127.0.0.1", 1)) {
      assertThat(JedisCacheMetrics.meterClient(pooled, metrics, "j")).isSameAs(pooled);
    }

    // Never connected: only the object's identity is asked for.
    MemcachedClient memcached =
        (MemcachedClient)
            Proxy.newProxyInstance(
                MemcachedClient.class.getClassLoader(),
                new Class<?>[] {MemcachedClient.class},
                (proxy, method, args) -> {
                  throw new AssertionError("not called: " + method);
                });
    assertThat(MemcachedCacheMetrics.wrap(memcached, metrics, "m")).isSameAs(memcached);

    ListenersVisible lettuce = new ListenersVisible();
    try {
      LettuceCacheMetrics.instrument(lettuce, metrics, "r");
      assertThat(lettuce.listeners()).isEmpty();
    } finally {
      lettuce.shutdown();
    }

    assertThat(registry.scrape().size()).isZero();
  }

  /** A Lettuce client that shows its command listeners (never connected). */
  private static final class ListenersVisible extends RedisClient {
    ListenersVisible() {
      super(DefaultClientResources.create(), RedisURI.create("redis://127.0.0.1:1"));
    }

    java.util.List<io.lettuce.core.event.command.CommandListener> listeners() {
      return getCommandListeners();
    }
  }
}
