package io.github.javaprometheus.springboot;

import io.github.javaprometheus.cache.MeteredSpringCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.cache.Cache;
import org.springframework.core.ResolvableType;

/**
 * Lets Spring Boot Actuator's Micrometer cache metrics see through our decorator: Actuator picks a
 * binder by the cache's class ({@code CaffeineCache}, {@code RedisCache}, ...), which a {@link
 * MeteredSpringCache} is not, so this provider hands the wrapped cache to the provider that fits
 * it. Without it, wrapping the {@code CacheManager} would silently drop Actuator's cache meters.
 */
final class MeteredCacheMeterBinderProvider implements CacheMeterBinderProvider<MeteredSpringCache> {
  private final ObjectProvider<CacheMeterBinderProvider<?>> providers;

  MeteredCacheMeterBinderProvider(ObjectProvider<CacheMeterBinderProvider<?>> providers) {
    this.providers = providers;
  }

  @Override
  public MeterBinder getMeterBinder(MeteredSpringCache cache, Iterable<Tag> tags) {
    Cache target = cache.getTargetCache();
    for (CacheMeterBinderProvider<?> provider : providers) {
      if (provider == this) {
        continue;
      }
      Class<?> accepts =
          ResolvableType.forClass(CacheMeterBinderProvider.class, provider.getClass())
              .resolveGeneric(0);
      if (accepts != null && accepts.isInstance(target)) {
        MeterBinder binder = bind(provider, target, tags);
        if (binder != null) {
          return binder;
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <C extends Cache> MeterBinder bind(
      CacheMeterBinderProvider<C> provider, Cache target, Iterable<Tag> tags) {
    return provider.getMeterBinder((C) target, tags);
  }
}
