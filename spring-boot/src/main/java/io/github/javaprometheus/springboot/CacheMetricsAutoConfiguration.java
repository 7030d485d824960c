package io.github.javaprometheus.springboot;

import io.github.javaprometheus.cache.CacheMetrics;
import io.github.javaprometheus.cache.CaffeineCacheMetrics;
import io.github.javaprometheus.cache.JCacheMetrics;
import io.github.javaprometheus.cache.JedisCacheMetrics;
import io.github.javaprometheus.cache.JedisGets;
import io.github.javaprometheus.cache.LettuceCacheMetrics;
import io.github.javaprometheus.cache.MemcachedCacheMetrics;
import io.github.javaprometheus.cache.Metered;
import io.github.javaprometheus.cache.MeteredSpringCacheManager;
import io.github.javaprometheus.core.MetricFamilies;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.cglib.proxy.Callback;
import org.springframework.cglib.proxy.CallbackFilter;
import org.springframework.cglib.proxy.Dispatcher;
import org.springframework.cglib.proxy.Enhancer;
import org.springframework.cglib.proxy.Factory;
import org.springframework.cglib.proxy.MethodInterceptor;
import org.springframework.cglib.proxy.MethodProxy;
import org.springframework.cglib.proxy.NoOp;
import org.springframework.objenesis.SpringObjenesis;

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
          (bean, name, m) -> JedisBeans.meter((redis.clients.jedis.UnifiedJedis) bean, m, name));
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

  /**
   * Jedis fixes a client's command executor in its constructor, so a {@code UnifiedJedis} bean
   * cannot be given {@link JedisCacheMetrics#executor}; a generated subclass of the bean's class
   * sends its GET-family methods to {@link JedisCacheMetrics#gets} (which counts them) and every
   * other public method straight to the bean. Routes are fixed when the class is generated.
   */
  static final class JedisBeans {
    private static final int DISPATCH = 0;
    private static final int NOT_OVERRIDDEN = 1;
    private static final String[] ROUTED = {
      "get(java.lang.String)",
      "get([B)",
      "getEx(java.lang.String,redis.clients.jedis.params.GetExParams)",
      "getEx([B,redis.clients.jedis.params.GetExParams)",
      "getDel(java.lang.String)",
      "getDel([B)",
      "mget([Ljava.lang.String;)",
      "mget([[B)"
    };
    private static final CallbackFilter ROUTES = new Routes();
    private static final SpringObjenesis OBJENESIS = new SpringObjenesis();

    private JedisBeans() {}

    static Object meter(redis.clients.jedis.UnifiedJedis bean, CacheMetrics metrics, String name) {
      Class<?> type = bean.getClass();
      if (Modifier.isFinal(type.getModifiers())) {
        return bean;
      }
      JedisGets gets = JedisCacheMetrics.gets(bean, metrics, name);
      Class<?>[] types = new Class<?>[2 + ROUTED.length];
      Callback[] callbacks = new Callback[types.length];
      types[DISPATCH] = Dispatcher.class;
      callbacks[DISPATCH] = (Dispatcher) () -> bean;
      types[NOT_OVERRIDDEN] = NoOp.class;
      callbacks[NOT_OVERRIDDEN] = NoOp.INSTANCE;
      for (int i = 0; i < ROUTED.length; i++) {
        types[2 + i] = MethodInterceptor.class;
        callbacks[2 + i] = new JedisGet(gets, i);
      }
      Enhancer enhancer = new Enhancer();
      enhancer.setSuperclass(type);
      enhancer.setInterfaces(new Class<?>[] {Metered.class});
      enhancer.setClassLoader(type.getClassLoader());
      enhancer.setCallbackFilter(ROUTES);
      enhancer.setCallbackTypes(types);
      Class<?> proxyClass = enhancer.createClass();
      // Not constructed: a second connection pool must not be opened. Jedis's few public final
      // methods (executeCommand, getPool) cannot be overridden and are not usable on the proxy.
      Object proxy = OBJENESIS.newInstance(proxyClass, enhancer.getUseCache());
      ((Factory) proxy).setCallbacks(callbacks);
      return proxy;
    }

    private static final class Routes implements CallbackFilter {
      @Override
      public int accept(Method method) {
        if (method.getDeclaringClass() == Object.class) {
          return method.getName().equals("toString") ? DISPATCH : NOT_OVERRIDDEN;
        }
        if (!Modifier.isPublic(method.getModifiers())) {
          return NOT_OVERRIDDEN;
        }
        StringBuilder signature = new StringBuilder(method.getName()).append('(');
        Class<?>[] params = method.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
          signature.append(i == 0 ? "" : ",").append(params[i].getName());
        }
        String key = signature.append(')').toString();
        for (int i = 0; i < ROUTED.length; i++) {
          if (ROUTED[i].equals(key)) {
            return 2 + i;
          }
        }
        return DISPATCH;
      }

      @Override
      public boolean equals(Object other) {
        return other instanceof Routes;
      }

      @Override
      public int hashCode() {
        return Routes.class.hashCode();
      }
    }

    /** One routed method: a direct call of the matching {@link JedisGets} method. */
    private static final class JedisGet implements MethodInterceptor {
      private final JedisGets gets;
      private final int route;

      JedisGet(JedisGets gets, int route) {
        this.gets = gets;
        this.route = route;
      }

      @Override
      public Object intercept(Object proxy, Method method, Object[] a, MethodProxy methodProxy) {
        switch (route) {
          case 0:
            return gets.get((String) a[0]);
          case 1:
            return gets.get((byte[]) a[0]);
          case 2:
            return gets.getEx((String) a[0], (redis.clients.jedis.params.GetExParams) a[1]);
          case 3:
            return gets.getEx((byte[]) a[0], (redis.clients.jedis.params.GetExParams) a[1]);
          case 4:
            return gets.getDel((String) a[0]);
          case 5:
            return gets.getDel((byte[]) a[0]);
          case 6:
            return gets.mget((String[]) a[0]);
          default:
            return gets.mget((byte[][]) a[0]);
        }
      }
    }
  }
}
