package io.github.javaprometheus.cache;

/**
 * Implemented by every wrapper of this module. Code that wraps caches checks it, so a cache
 * reached through two layers (a Spring {@code JCacheCacheManager} over a wrapped JCache {@code
 * CacheManager}) is counted once, and a bean is never wrapped twice.
 */
public interface Metered {}
