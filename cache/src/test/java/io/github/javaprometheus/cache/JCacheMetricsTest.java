package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JCacheMetricsTest {
  private CacheManager target;

  @BeforeEach
  void open() {
    CachingProvider provider =
        Caching.getCachingProvider("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider");
    target = provider.getCacheManager(URI.create("jcache-test-" + System.nanoTime()), getClass().getClassLoader());
  }

  @AfterEach
  void close() {
    target.close();
  }

  @Test
  void everyCacheOfAWrappedManagerCountsGetAndGetAll() {
    Fixture f = new Fixture();
    CacheManager manager = JCacheMetrics.wrap(target, f.metrics);
    Cache<String, String> cache =
        manager.createCache("users", new MutableConfiguration<String, String>());
    cache.put("a", "1");
    cache.put("b", "2");
    assertThat(cache.get("a")).isEqualTo("1");
    assertThat(cache.get("x")).isNull();
    assertThat(cache.getAll(Set.of("a", "b", "y"))).hasSize(2);
    f.assertCounts("jcache", "users", 5, 3, 2, 0);
    assertThat(manager.<String, String>getCache("users")).isSameAs(cache);
    assertThat(cache.getCacheManager()).isSameAs(manager);
    assertThat(JCacheMetrics.wrap(manager, f.metrics)).isSameAs(manager);
    // unwrap reaches the provider's own types through the wrapper.
    assertThat(manager.unwrap(target.getClass())).isSameAs(target);
  }

  @Test
  void aClosedCacheFailsWithItsOwnExceptionAndIsCounted() {
    Fixture f = new Fixture();
    Cache<String, String> raw = target.createCache("c", new MutableConfiguration<String, String>());
    Cache<String, String> cache = JCacheMetrics.wrap(raw, f.metrics);
    raw.close();
    Throwable wrapped = catchThrowable(() -> cache.get("a"));
    Throwable plain = catchThrowable(() -> raw.get("a"));
    assertThat(wrapped).isNotNull().hasSameClassAs(plain).hasMessage(plain.getMessage());
    f.assertCounts("jcache", "c", 1, 0, 0, 1);
  }
}
