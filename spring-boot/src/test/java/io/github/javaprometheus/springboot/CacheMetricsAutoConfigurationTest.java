package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.javaprometheus.cache.CacheMetrics;
import io.github.javaprometheus.cache.Metered;
import io.github.javaprometheus.cache.MeteredSpringCacheManager;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CacheMetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JavaPrometheusAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
          .withUserConfiguration(OwnRegistry.class);

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    MetricFamilies metricFamilies(PrometheusSettings settings) {
      return MetricFamilies.create(settings, registry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SpringCaches {
    @Bean
    ConcurrentMapCacheManager cacheManager() {
      return new ConcurrentMapCacheManager("default");
    }
  }

  private static TextScrape scrape(org.springframework.context.ApplicationContext ctx) {
    return TextScrape.of(ctx.getBean(OwnRegistry.class).registry);
  }

  @Test
  void aSpringCacheManagerBeanCountsAndKeepsItsConcreteType() {
    runner
        .withUserConfiguration(SpringCaches.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(CacheMetrics.class);
              // Injection by the concrete class keeps working.
              ConcurrentMapCacheManager manager = ctx.getBean(ConcurrentMapCacheManager.class);
              assertThat(manager).isInstanceOf(Metered.class);
              org.springframework.cache.Cache cache = manager.getCache("default");
              cache.put("name", "zhangsan");
              assertThat(cache.get("name").get()).isEqualTo("zhangsan");
              assertThat(cache.get("nobody")).isNull();
              assertThat(manager.getCacheNames()).containsExactly("default");
              TextScrape s = scrape(ctx);
              assertThat(s.value("java_cache_get_total{backend=\"simple\",cache=\"default\"}"))
                  .isEqualTo(2.0);
              assertThat(s.value("java_cache_get_hits_total{backend=\"simple\",cache=\"default\"}"))
                  .isEqualTo(1.0);
              assertThat(
                      s.value("java_cache_get_misses_total{backend=\"simple\",cache=\"default\"}"))
                  .isEqualTo(1.0);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class AlreadyMetered {
    @Bean
    CacheManager cacheManager(CacheMetrics metrics) {
      return MeteredSpringCacheManager.wrap(new ConcurrentMapCacheManager("default"), metrics);
    }
  }

  @Test
  void aCacheManagerAlreadyMeteredIsNotWrappedTwice() {
    runner
        .withUserConfiguration(AlreadyMetered.class)
        .run(
            ctx -> {
              CacheManager manager = ctx.getBean(CacheManager.class);
              assertThat(manager).isInstanceOf(MeteredSpringCacheManager.class);
              manager.getCache("default").get("k");
              assertThat(
                      scrape(ctx)
                          .value("java_cache_get_total{backend=\"simple\",cache=\"default\"}"))
                  .isEqualTo(1.0);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class CaffeineBeans {
    @Bean
    Cache<String, String> sessions() {
      return Caffeine.newBuilder().build();
    }

    @Bean
    LoadingCache<String, String> users() {
      return Caffeine.newBuilder().build(k -> "u-" + k);
    }
  }

  @Test
  void caffeineCacheBeansAreCountedUnderTheirBeanNames() {
    runner
        .withUserConfiguration(CaffeineBeans.class)
        .run(
            ctx -> {
              @SuppressWarnings("unchecked")
              Cache<String, String> sessions = ctx.getBean("sessions", Cache.class);
              @SuppressWarnings("unchecked")
              LoadingCache<String, String> users = ctx.getBean("users", LoadingCache.class);
              sessions.getIfPresent("a");
              users.get("a");
              users.get("a");
              TextScrape s = scrape(ctx);
              assertThat(s.value("java_cache_get_misses_total{backend=\"caffeine\",cache=\"sessions\"}"))
                  .isEqualTo(1.0);
              assertThat(s.value("java_cache_get_hits_total{backend=\"caffeine\",cache=\"users\"}"))
                  .isEqualTo(1.0);
              assertThat(s.value("java_cache_get_total{backend=\"caffeine\",cache=\"users\"}"))
                  .isEqualTo(2.0);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class JCacheBeans {
    @Bean(destroyMethod = "close")
    javax.cache.CacheManager jCacheManager() {
      javax.cache.CacheManager manager =
          Caching.getCachingProvider(
                  "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider")
              .getCacheManager(URI.create("boot-" + System.nanoTime()), getClass().getClassLoader());
      manager.createCache("orders", new MutableConfiguration<String, String>());
      return manager;
    }
  }

  @Test
  void jcacheCacheManagerBeansAreWrapped() {
    runner
        .withUserConfiguration(JCacheBeans.class)
        .run(
            ctx -> {
              javax.cache.CacheManager manager = ctx.getBean(javax.cache.CacheManager.class);
              assertThat(manager).isInstanceOf(Metered.class);
              javax.cache.Cache<String, String> orders = manager.getCache("orders");
              orders.put("1", "x");
              orders.get("1");
              assertThat(
                      scrape(ctx).value("java_cache_get_hits_total{backend=\"jcache\",cache=\"orders\"}"))
                  .isEqualTo(1.0);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class CaffeineSpringCaches {
    @Bean
    org.springframework.cache.caffeine.CaffeineCacheManager cacheManager() {
      org.springframework.cache.caffeine.CaffeineCacheManager manager =
          new org.springframework.cache.caffeine.CaffeineCacheManager("default");
      manager.setCaffeine(Caffeine.newBuilder().recordStats());
      return manager;
    }

    @Bean
    io.micrometer.core.instrument.MeterRegistry meterRegistry() {
      return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    }
  }

  @Test
  void actuatorsMicrometerCacheMetersStillBindToAWrappedCache() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration
                    .class))
        .withUserConfiguration(CaffeineSpringCaches.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              org.springframework.cache.Cache cache =
                  ctx.getBean(CacheManager.class).getCache("default");
              assertThat(cache).isInstanceOf(Metered.class);
              cache.get("k");
              io.micrometer.core.instrument.MeterRegistry micrometer =
                  ctx.getBean(io.micrometer.core.instrument.MeterRegistry.class);
              assertThat(
                      micrometer
                          .get("cache.gets")
                          .tag("cache", "default")
                          .tag("result", "miss")
                          .functionCounter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(
                      scrape(ctx)
                          .value("java_cache_get_misses_total{backend=\"caffeine\",cache=\"default\"}"))
                  .isEqualTo(1.0);
            });
  }

  @Test
  void djangoProfileDropsTheCacheLabel() {
    runner
        .withUserConfiguration(SpringCaches.class)
        .withPropertyValues("prometheus.profile=django")
        .run(
            ctx -> {
              ctx.getBean(CacheManager.class).getCache("default").get("k");
              assertThat(scrape(ctx).samplesStartingWith("django_cache_get_total"))
                  .containsExactly("django_cache_get_total{backend=\"simple\"} 1.0");
            });
  }

  @Test
  void withoutTheCacheModuleNothingIsRegistered() {
    runner
        .withUserConfiguration(SpringCaches.class)
        .withClassLoader(new FilteredClassLoader(CacheMetrics.class))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(CacheMetrics.class)
                    .doesNotHaveBean("javaPrometheusSpringCacheMetrics"));
  }

  @Test
  void prometheusEnabledFalseTurnsCacheMetricsOff() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
        .withUserConfiguration(SpringCaches.class)
        .withPropertyValues("prometheus.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().doesNotHaveBean(CacheMetrics.class);
              assertThat(ctx.getBean(CacheManager.class)).isNotInstanceOf(Metered.class);
            });
  }

  @Test
  void eachIntegrationIsOnlyConfiguredWhenItsLibraryIsPresent() {
    runner.run(
        ctx ->
            assertThat(ctx)
                .hasBean("javaPrometheusSpringCacheMetrics")
                .hasBean("javaPrometheusCaffeineCacheMetrics")
                .hasBean("javaPrometheusJCacheMetrics")
                .hasBean("javaPrometheusLettuceCacheMetrics")
                .hasBean("javaPrometheusJedisCacheMetrics")
                .hasBean("javaPrometheusMemcachedCacheMetrics")
                .hasBean("javaPrometheusCacheMeterBinderProvider"));
    runner
        .withClassLoader(new FilteredClassLoader(io.micrometer.core.instrument.binder.MeterBinder.class))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean("javaPrometheusCacheMeterBinderProvider")
                    .hasBean("javaPrometheusSpringCacheMetrics"));
    runner
        .withClassLoader(new FilteredClassLoader(CacheManager.class))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean("javaPrometheusSpringCacheMetrics")
                    .hasBean("javaPrometheusCaffeineCacheMetrics"));
    runner
        .withClassLoader(new FilteredClassLoader("com.github.benmanes.caffeine"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean("javaPrometheusCaffeineCacheMetrics")
                    .hasBean("javaPrometheusSpringCacheMetrics"));
    runner
        .withClassLoader(new FilteredClassLoader("javax.cache"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean("javaPrometheusJCacheMetrics")
                    .hasBean("javaPrometheusSpringCacheMetrics"));
    runner
        .withClassLoader(new FilteredClassLoader("io.lettuce"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean("javaPrometheusLettuceCacheMetrics")
                    .hasBean("javaPrometheusJedisCacheMetrics"));
    runner
        .withClassLoader(new FilteredClassLoader("redis.clients"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean("javaPrometheusJedisCacheMetrics")
                    .hasBean("javaPrometheusLettuceCacheMetrics"));
    runner
        .withClassLoader(new FilteredClassLoader("net.rubyeye"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean("javaPrometheusMemcachedCacheMetrics")
                    .hasBean("javaPrometheusLettuceCacheMetrics"));
  }
}
