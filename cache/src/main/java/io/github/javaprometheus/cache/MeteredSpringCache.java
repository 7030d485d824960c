package io.github.javaprometheus.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.cache.Cache;

/**
 * A Spring {@link Cache} that counts {@code get}, {@code retrieve} and their value-loader forms:
 * a value found is a hit, none (or the loader called) a miss, an exception from the cache a
 * failure. Results and exceptions pass through unchanged, so a {@code CacheErrorHandler} sees the
 * very exception the cache threw. Everything else is delegated as is.
 */
public final class MeteredSpringCache implements Cache, Metered {
  private final Cache delegate;
  private final CacheCounters counters;

  MeteredSpringCache(Cache delegate, CacheCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  /** The wrapped cache. */
  public Cache getTargetCache() {
    return delegate;
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public Object getNativeCache() {
    return delegate.getNativeCache();
  }

  @Override
  public ValueWrapper get(Object key) {
    ValueWrapper value;
    try {
      value = delegate.get(key);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    if (value != null) {
      counters.hit();
    } else {
      counters.miss();
    }
    return value;
  }

  @Override
  public <T> T get(Object key, Class<T> type) {
    T value;
    try {
      value = delegate.get(key, type);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    if (value != null) {
      counters.hit();
    } else {
      counters.miss();
    }
    return value;
  }

  @Override
  public <T> T get(Object key, Callable<T> valueLoader) {
    Loader<T> loader = new Loader<>(valueLoader);
    T value;
    try {
      value = delegate.get(key, loader);
    } catch (RuntimeException | Error e) {
      // The application's own loader failing is a miss that could not be filled, not a cache failure.
      if (loader.called) {
        counters.miss();
      } else {
        counters.fail();
      }
      throw e;
    }
    if (loader.called) {
      counters.miss();
    } else {
      counters.hit();
    }
    return value;
  }

  @Override
  public CompletableFuture<?> retrieve(Object key) {
    CompletableFuture<?> future;
    try {
      future = delegate.retrieve(key);
    } catch (UnsupportedOperationException e) {
      // The cache has no async retrieval: nothing was looked up.
      throw e;
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    if (future == null) {
      counters.miss();
      return null;
    }
    future.whenComplete(
        (value, error) -> {
          if (error != null) {
            counters.fail();
          } else if (value != null) {
            counters.hit();
          } else {
            counters.miss();
          }
        });
    return future;
  }

  @Override
  public <T> CompletableFuture<T> retrieve(
      Object key, Supplier<CompletableFuture<T>> valueLoader) {
    AsyncLoader<T> loader = new AsyncLoader<>(valueLoader);
    CompletableFuture<T> future;
    try {
      future = delegate.retrieve(key, loader);
    } catch (UnsupportedOperationException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      if (loader.called) {
        counters.miss();
      } else {
        counters.fail();
      }
      throw e;
    }
    future.whenComplete(
        (value, error) -> {
          if (loader.called) {
            counters.miss();
          } else if (error != null) {
            counters.fail();
          } else {
            counters.hit();
          }
        });
    return future;
  }

  @Override
  public void put(Object key, Object value) {
    delegate.put(key, value);
  }

  @Override
  public ValueWrapper putIfAbsent(Object key, Object value) {
    return delegate.putIfAbsent(key, value);
  }

  @Override
  public void evict(Object key) {
    delegate.evict(key);
  }

  @Override
  public boolean evictIfPresent(Object key) {
    return delegate.evictIfPresent(key);
  }

  @Override
  public void clear() {
    delegate.clear();
  }

  @Override
  public boolean invalidate() {
    return delegate.invalidate();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  /** Notes whether the cache called the loader; its toString keeps exception messages unchanged. */
  private static final class Loader<T> implements Callable<T> {
    private final Callable<T> target;
    volatile boolean called;

    Loader(Callable<T> target) {
      this.target = target;
    }

    @Override
    public T call() throws Exception {
      called = true;
      return target.call();
    }

    @Override
    public String toString() {
      return String.valueOf(target);
    }
  }

  private static final class AsyncLoader<T> implements Supplier<CompletableFuture<T>> {
    private final Supplier<CompletableFuture<T>> target;
    volatile boolean called;

    AsyncLoader(Supplier<CompletableFuture<T>> target) {
      this.target = target;
    }

    @Override
    public CompletableFuture<T> get() {
      called = true;
      return target.get();
    }

    @Override
    public String toString() {
      return String.valueOf(target);
    }
  }
}
