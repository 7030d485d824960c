package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.javaprometheus.cache.MemcachedServer;
import io.github.javaprometheus.cache.Metered;
import io.github.javaprometheus.cache.RedisServer;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Arrays;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** Client beans of Lettuce, Jedis and xmemcached, counted with no code, against real servers. */
class CacheMetricsAutoConfigurationIT {
  private static RedisServer redis;
  private static MemcachedServer memcached;

  @BeforeAll
  static void startServers() throws Exception {
    redis = RedisServer.started();
    memcached = MemcachedServer.started();
  }

  @AfterAll
  static void stopServers() throws Exception {
    redis.close();
    memcached.close();
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JavaPrometheusAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
          .withUserConfiguration(OwnRegistry.class, Clients.class);

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    MetricFamilies metricFamilies(PrometheusSettings settings) {
      return MetricFamilies.create(settings, registry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Clients {
    @Bean(destroyMethod = "shutdown")
    RedisClient lettuce() {
      return RedisClient.create("redis://" + redis.host() + ":" + redis.port());
    }

    @Bean(destroyMethod = "close")
    JedisPooled jedis() {
      return new JedisPooled(new HostAndPort(redis.host(), redis.port()));
    }

    @Bean(destroyMethod = "shutdown")
    MemcachedClient memcached() throws Exception {
      return new XMemcachedClientBuilder(
              AddrUtil.getAddresses(memcached.host() + ":" + memcached.port()))
          .build();
    }

    @Bean(destroyMethod = "shutdown")
    XMemcachedClient concreteMemcached() throws Exception {
      return (XMemcachedClient)
          new XMemcachedClientBuilder(
                  AddrUtil.getAddresses(memcached.host() + ":" + memcached.port()))
              .build();
    }
  }

  private static TextScrape scrape(ApplicationContext ctx) {
    return TextScrape.of(ctx.getBean(OwnRegistry.class).registry);
  }

  private static void await(ApplicationContext ctx, String series, double value)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!Double.valueOf(value).equals(scrape(ctx).value(series))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(scrape(ctx).value(series)).as(series).isEqualTo(value);
  }

  @Test
  void lettuceJedisAndMemcachedBeansCountTheirGetsUnderTheirBeanNames() {
    runner.run(
        ctx -> {
          assertThat(ctx).hasNotFailed();
          try (var connection = ctx.getBean(RedisClient.class).connect()) {
            RedisCommands<String, String> lettuce = connection.sync();
            lettuce.set("a", "1");
            assertThat(lettuce.get("a")).isEqualTo("1");
            assertThat(lettuce.get("b")).isNull();
          }
          JedisPooled jedis = ctx.getBean(JedisPooled.class);
          assertThat(jedis).isInstanceOf(Metered.class);
          assertThat(jedis.get("a")).isEqualTo("1");
          assertThat(jedis.mget("a", "b", "c")).isEqualTo(Arrays.asList("1", null, null));
          MemcachedClient mc = ctx.getBean("memcached", MemcachedClient.class);
          assertThat(mc).isInstanceOf(Metered.class);
          mc.set("m", 0, "v");
          assertThat(mc.<String>get("m")).isEqualTo("v");
          assertThat(mc.<String>get("n")).isNull();
          // Declared as the concrete class: left unwrapped so injection by that class still works.
          assertThat(ctx.getBean("concreteMemcached")).isNotInstanceOf(Metered.class);

          await(ctx, "java_cache_get_hits_total{backend=\"redis\",cache=\"lettuce\"}", 1);
          await(ctx, "java_cache_get_misses_total{backend=\"redis\",cache=\"lettuce\"}", 1);
          await(ctx, "java_cache_get_total{backend=\"redis\",cache=\"jedis\"}", 4);
          await(ctx, "java_cache_get_hits_total{backend=\"redis\",cache=\"jedis\"}", 2);
          await(ctx, "java_cache_get_misses_total{backend=\"redis\",cache=\"jedis\"}", 2);
          await(ctx, "java_cache_get_hits_total{backend=\"memcached\",cache=\"memcached\"}", 1);
          await(ctx, "java_cache_get_misses_total{backend=\"memcached\",cache=\"memcached\"}", 1);
        });
  }

  @Test
  void aJedisBeanWhoseServerIsGoneThrowsItsOwnExceptionAndCountsAFailure() throws Exception {
    RedisServer own = RedisServer.started();
    try {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JavaPrometheusAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
          .withUserConfiguration(OwnRegistry.class)
          .withBean("jedis", JedisPooled.class, () -> new JedisPooled(own.host(), own.port()))
          .run(
              ctx -> {
                JedisPooled jedis = ctx.getBean(JedisPooled.class);
                JedisPooled plain = new JedisPooled(own.host(), own.port());
                assertThat(jedis.get("k")).isNull();
                own.stop();
                Throwable metered = catchThrowable(() -> jedis.get("k"));
                Throwable without = catchThrowable(() -> plain.get("k"));
                plain.close();
                assertThat(metered).isNotNull().hasSameClassAs(without);
                await(ctx, "java_cache_get_fail_total{backend=\"redis\",cache=\"jedis\"}", 1);
                await(ctx, "java_cache_get_total{backend=\"redis\",cache=\"jedis\"}", 2);
              });
    } finally {
      own.close();
    }
  }
}
