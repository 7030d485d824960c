package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Spring Data Redis's cache behind the Spring Cache decorator, against a real redis-server. */
class SpringRedisCacheIT {
  private RedisServer server;
  private LettuceConnectionFactory factory;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.started();
    factory =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(server.host(), server.port()),
            LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(700)).build());
    factory.afterPropertiesSet();
    factory.start();
  }

  @AfterEach
  void stop() throws Exception {
    factory.destroy();
    server.close();
  }

  private RedisCacheManager redisCacheManager() {
    RedisCacheManager manager = RedisCacheManager.builder(factory).initialCacheNames(java.util.Set.of("default")).build();
    manager.afterPropertiesSet();
    return manager;
  }

  @Test
  void aRedisCacheIsBackendRedisAndAStoppedServerIsAFailureWithTheSameException()
      throws Exception {
    Fixture f = new Fixture();
    CacheManager metered = MeteredSpringCacheManager.wrap(redisCacheManager(), f.metrics);
    Cache cache = metered.getCache("default");
    Cache plain = redisCacheManager().getCache("default");
    cache.put("name", "zhangsan");
    assertThat(cache.get("name").get()).isEqualTo("zhangsan");
    assertThat(cache.get("nobody")).isNull();
    assertThat(cache.get("loaded", () -> "v")).isEqualTo("v");
    f.assertCounts("redis", "default", 3, 1, 2, 0);

    server.stop();
    Throwable withMetrics = catchThrowable(() -> cache.get("name"));
    Throwable without = catchThrowable(() -> plain.get("name"));
    assertThat(withMetrics).isNotNull().hasSameClassAs(without);
    assertThat(withMetrics.getCause()).hasSameClassAs(without.getCause());
    f.assertCounts("redis", "default", 4, 1, 2, 1);
  }
}
