package io.github.javaprometheus.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
  private static final VarHandle SPARE;

  static {
    try {
      SPARE =
          MethodHandles.lookup().findVarHandle(MeteredSpringCache.class, "spare", Loader.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Cache delegate;
  private final CacheCounters counters;
  // One loader kept for reuse, so get(key, valueLoader) allocates nothing in the steady state; a
  // call finding it taken (another thread, or a loader that reads this cache) makes its own.
  private volatile Loader spare; // read and written through SPARE

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
    Loader loader = (Loader) SPARE.getAndSet(this, null);
    if (loader == null) {
      loader = new Loader();
    }
    loader.arm(valueLoader);
    T value;
    try {
      value = delegate.get(key, loader.typed());
    } catch (RuntimeException | Error e) {
      // The application's own loader failing is a miss that could not be filled, not a cache failure.
      if (loader.release()) {
        counters.miss();
      } else {
        counters.fail();
      }
      SPARE.setRelease(this, loader);
      throw e;
    }
    if (loader.release()) {
      counters.miss();
    } else {
      counters.hit();
    }
    SPARE.setRelease(this, loader);
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

  /**
   * Notes whether the cache called the loader; its toString keeps exception messages unchanged.
   * Reused from one get to the next: Spring's {@code Cache.get(key, valueLoader)} calls the loader,
   * if at all, before it returns (every provider does so), so it is idle between gets.
   */
  private static final class Loader implements Callable<Object> {
    // Plain fields: a provider that runs the loader on another thread hands its result back to the
    // caller through a happens-before edge, which carries these two writes as well.
    private Callable<?> target;
    private boolean called;

    void arm(Callable<?> valueLoader) {
      called = false;
      target = valueLoader;
    }

    /** Ends one get: whether the loader ran during it. */
    boolean release() {
      target = null;
      return called;
    }

    @SuppressWarnings("unchecked")
    <T> Callable<T> typed() {
      return (Callable<T>) (Callable<?>) this;
    }

    @Override
    public Object call() throws Exception {
      Callable<?> t = target;
      if (t == null) {
        // Only a cache breaking the contract (calling the loader after get returned) gets here.
        throw new IllegalStateException("value loader called after Cache.get returned");
      }
      called = true;
      return t.call();
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
