package io.github.javaprometheus.springboot;

import io.github.javaprometheus.cache.CacheMetrics;
import io.github.javaprometheus.cache.CaffeineCacheMetrics;
import io.github.javaprometheus.cache.JCacheMetrics;
import io.github.javaprometheus.cache.JedisCacheMetrics;
import io.github.javaprometheus.cache.LettuceCacheMetrics;
import io.github.javaprometheus.cache.MemcachedCacheMetrics;
import io.github.javaprometheus.cache.MeteredSpringCacheManager;
import io.github.javaprometheus.core.MetricFamilies;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.beans.factory.config.BeanDefinition;

/**
 * Cache metrics with no code: every Spring {@code CacheManager} bean (so {@code @Cacheable} and
 * {@code Cache.get} of any provider), Caffeine {@code Cache}/{@code LoadingCache} beans, JCache
 * {@code CacheManager} beans, Lettuce {@code RedisClient}/{@code RedisClusterClient} beans, Jedis
 * {@code UnifiedJedis} beans and xmemcached {@code MemcachedClient} beans; each part only when its
 * library is on the class path. The {@code cache} label of a Spring cache is its name, of any
 * other bean the bean name.
 *
 * <p>Spring Data Redis's own connection factory is not instrumented at the client level: its
 * caches are counted by the {@code CacheManager} decorator, and counting its commands too would
 * count each cache get twice.
 */
@AutoConfiguration(after = JavaPrometheusAutoConfiguration.class)
@ConditionalOnClass(CacheMetrics.class)
@ConditionalOnBean(MetricFamilies.class)
public class CacheMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public CacheMetrics javaPrometheusCacheMetrics(MetricFamilies families) {
    return CacheMetrics.create(families);
  }

  /** Spring's cache abstraction: every provider, through its {@code CacheManager}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(org.springframework.cache.CacheManager.class)
  static class SpringCacheConfiguration {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheBeanPostProcessor javaPrometheusSpringCacheMetrics(
        ObjectProvider<CacheMetrics> metrics) {
      return new CacheBeanPostProcessor(
          org.springframework.cache.CacheManager.class,
          metrics,
          (bean, name, m) ->
              SpringCacheManagers.meter((org.springframework.cache.CacheManager) bean, m));
    }
  }

  /** Actuator present: its Micrometer cache meters still bind to the caches we wrap. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({
    org.springframework.cache.CacheManager.class,
    org.springframework.boot.cache.metrics.CacheMeterBinderProvider.class,
    io.micrometer.core.instrument.binder.MeterBinder.class
  })
  static class ActuatorCacheMetersConfiguration {
    @Bean
    @ConditionalOnMissingBean(MeteredCacheMeterBinderProvider.class)
    MeteredCacheMeterBinderProvider javaPrometheusCacheMeterBinderProvider(
        ObjectProvider<org.springframework.boot.cache.metrics.CacheMeterBinderProvider<?>>
            providers) {
      return new MeteredCacheMeterBinderProvider(providers);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(com.github.benmanes.caffeine.cache.Cache.class)
  static class CaffeineConfiguration {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheBeanPostProcessor javaPrometheusCaffeineCacheMetrics(
        ObjectProvider<CacheMetrics> metrics) {
      return new CacheBeanPostProcessor(
          com.github.benmanes.caffeine.cache.Cache.class,
          metrics,
          (bean, name, m) ->
              CaffeineCacheMetrics.wrap(
                  (com.github.benmanes.caffeine.cache.Cache<?, ?>) bean, m, name));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(javax.cache.CacheManager.class)
  static class JCacheConfiguration {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheBeanPostProcessor javaPrometheusJCacheMetrics(
        ObjectProvider<CacheMetrics> metrics) {
      return new CacheBeanPostProcessor(
          javax.cache.CacheManager.class,
          metrics,
          (bean, name, m) -> JCacheMetrics.wrap((javax.cache.CacheManager) bean, m));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(io.lettuce.core.AbstractRedisClient.class)
  static class LettuceConfiguration {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheBeanPostProcessor javaPrometheusLettuceCacheMetrics(
        ObjectProvider<CacheMetrics> metrics) {
      return new CacheBeanPostProcessor(
          io.lettuce.core.AbstractRedisClient.class,
          metrics,
          (bean, name, m) -> {
            // A listener, not a wrapper: the client bean stays the application's own object.
            LettuceCacheMetrics.instrument((io.lettuce.core.AbstractRedisClient) bean, m, name);
            return bean;
          });
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(redis.clients.jedis.UnifiedJedis.class)
  static class JedisConfiguration {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheBeanPostProcessor javaPrometheusJedisCacheMetrics(
        ObjectProvider<CacheMetrics> metrics) {
      return new CacheBeanPostProcessor(
          redis.clients.jedis.UnifiedJedis.class,
          metrics,
          // Jedis fixes a client's executor in its constructor: the bean keeps its class, its
          // GET family counted (cache's JedisCacheMetrics.meterClient).
          (bean, name, m) ->
              JedisCacheMetrics.meterClient((redis.clients.jedis.UnifiedJedis) bean, m, name));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(net.rubyeye.xmemcached.MemcachedClient.class)
  static class MemcachedConfiguration {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheBeanPostProcessor javaPrometheusMemcachedCacheMetrics(
        ObjectProvider<CacheMetrics> metrics) {
      return new CacheBeanPostProcessor(
          net.rubyeye.xmemcached.MemcachedClient.class,
          metrics,
          (bean, name, m) ->
              MemcachedCacheMetrics.wrap((net.rubyeye.xmemcached.MemcachedClient) bean, m, name));
    }
  }

  /** Spring cache managers keep their concrete type, so injection by class still works. */
  static final class SpringCacheManagers {
    private SpringCacheManagers() {}

    static Object meter(org.springframework.cache.CacheManager bean, CacheMetrics metrics) {
      // Boot's own cache auto-configuration declares concrete manager types (CaffeineCacheManager,
      // RedisCacheManager, ...), and applications inject them by class: keep the class.
      return MeteredSpringCacheManager.wrapKeepingClass(bean, metrics);
    }
  }
}
