package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CaffeineCacheMetricsTest {

  @Test
  void getIfPresentAndGetCountHitsAndMisses() {
    Fixture f = new Fixture();
    Cache<String, String> cache =
        CaffeineCacheMetrics.wrap(Caffeine.newBuilder().<String, String>build(), f.metrics, "users");
    cache.put("a", "1");
    assertThat(cache.getIfPresent("a")).isEqualTo("1");
    assertThat(cache.getIfPresent("b")).isNull();
    assertThat(cache.get("b", k -> "2")).isEqualTo("2");
    assertThat(cache.get("b", k -> "3")).isEqualTo("2");
    f.assertCounts("caffeine", "users", 4, 2, 2, 0);
    assertThat(CaffeineCacheMetrics.wrap(cache, f.metrics, "users")).isSameAs(cache);
  }

  @Test
  void bulkGetsCountEachDistinctKey() {
    Fixture f = new Fixture();
    Cache<String, String> cache =
        CaffeineCacheMetrics.wrap(Caffeine.newBuilder().<String, String>build(), f.metrics, "bulk");
    cache.put("a", "1");
    cache.put("b", "2");
    assertThat(cache.getAllPresent(List.of("a", "b", "c", "a"))).hasSize(2);
    Map<String, String> all =
        cache.getAll(
            List.of("a", "c", "d"),
            missing -> {
              Map<String, String> loaded = new HashMap<>();
              missing.forEach(k -> loaded.put(k, k.toUpperCase()));
              return loaded;
            });
    assertThat(all).containsEntry("a", "1").containsEntry("c", "C").containsEntry("d", "D");
    // getAllPresent: a, b hit, c miss; getAll: a hit, c and d loaded.
    f.assertCounts("caffeine", "bulk", 6, 3, 3, 0);
  }

  @Test
  void aMappingFunctionThatThrowsIsAMissAndTheCallerGetsItsException() {
    Fixture f = new Fixture();
    Cache<String, String> cache =
        CaffeineCacheMetrics.wrap(Caffeine.newBuilder().<String, String>build(), f.metrics, "c");
    IllegalStateException boom = new IllegalStateException("boom");
    assertThat(
            catchThrowable(
                () ->
                    cache.get(
                        "k",
                        k -> {
                          throw boom;
                        })))
        .isSameAs(boom);
    assertThat(catchThrowable(() -> cache.getIfPresent(null))).isInstanceOf(NullPointerException.class);
    f.assertCounts("caffeine", "c", 2, 0, 1, 1);
  }

  @Test
  void loadingCacheCountsAHitWhenTheValueWasThereAndAMissWhenItLoaded() {
    Fixture f = new Fixture();
    LoadingCache<String, String> cache =
        CaffeineCacheMetrics.wrap(
            Caffeine.newBuilder().recordStats().build((String k) -> "v-" + k), f.metrics, "loading");
    assertThat(cache.get("a")).isEqualTo("v-a");
    assertThat(cache.get("a")).isEqualTo("v-a");
    assertThat(cache.getAll(List.of("a", "b", "c"))).hasSize(3);
    assertThat(cache.getIfPresent("b")).isEqualTo("v-b");
    f.assertCounts("caffeine", "loading", 6, 3, 3, 0);
    // Caffeine's own statistics are what they would be without the wrapper: no extra look-ups.
    assertThat(cache.stats().hitCount()).isEqualTo(3);
    assertThat(cache.stats().missCount()).isEqualTo(3);
    Cache<String, String> asPlain = cache;
    assertThat(CaffeineCacheMetrics.wrap(asPlain, f.metrics, "loading")).isSameAs(cache);
  }

  @Test
  void eightThreadsAreCountedExactly() throws Exception {
    Fixture f = new Fixture();
    Cache<Integer, Integer> cache =
        CaffeineCacheMetrics.wrap(Caffeine.newBuilder().<Integer, Integer>build(), f.metrics, "mt");
    for (int i = 0; i < 100; i++) {
      cache.put(i, i);
    }
    int threads = 8;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  // Keys 0..199: the first hundred are present, the rest absent.
                  for (int i = 0; i < perThread; i++) {
                    cache.getIfPresent(i % 200);
                  }
                }));
      }
      for (Future<?> d : done) {
        d.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = (long) threads * perThread;
    f.assertCounts("caffeine", "mt", total, total / 2, total / 2, 0);
  }
}
