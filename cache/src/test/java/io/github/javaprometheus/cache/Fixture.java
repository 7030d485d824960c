package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;

/** A fresh registry with the cache families, and the exact four samples of one cache. */
final class Fixture {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final CacheMetrics metrics;

  Fixture() {
    this("java");
  }

  Fixture(String profile) {
    this(PrometheusSettings.builder().set("prometheus.profile", profile).build());
  }

  Fixture(PrometheusSettings settings) {
    metrics = CacheMetrics.create(MetricFamilies.create(settings, registry));
  }

  TextScrape scrape() {
    return TextScrape.of(registry);
  }

  /** The four sample lines of {@code java_cache_get*} for one cache, exactly as scraped. */
  String lines(String backend, String cache) {
    TextScrape s = scrape();
    String labels = "{backend=\"" + backend + "\",cache=\"" + cache + "\"}";
    StringBuilder out = new StringBuilder();
    for (String name :
        new String[] {
          "java_cache_get_total",
          "java_cache_get_hits_total",
          "java_cache_get_misses_total",
          "java_cache_get_fail_total"
        }) {
      String found = name + labels + " <absent>";
      for (String line : s.samples()) {
        if (line.startsWith(name + labels + " ")) {
          found = line;
        }
      }
      out.append(out.length() == 0 ? "" : "\n").append(found);
    }
    return out.toString();
  }

  static String expected(String backend, String cache, long get, long hits, long misses, long fail) {
    String labels = "{backend=\"" + backend + "\",cache=\"" + cache + "\"}";
    return "java_cache_get_total" + labels + " " + get + ".0"
        + "\njava_cache_get_hits_total" + labels + " " + hits + ".0"
        + "\njava_cache_get_misses_total" + labels + " " + misses + ".0"
        + "\njava_cache_get_fail_total" + labels + " " + fail + ".0";
  }

  void assertCounts(String backend, String cache, long get, long hits, long misses, long fail) {
    assertThat(lines(backend, cache)).isEqualTo(expected(backend, cache, get, hits, misses, fail));
  }

  /**
   * As {@link #assertCounts}, waiting up to five seconds: Lettuce completes a command on its I/O
   * thread, which may count it a moment after the caller has its result.
   */
  void awaitCounts(String backend, String cache, long get, long hits, long misses, long fail)
      throws InterruptedException {
    String want = expected(backend, cache, get, hits, misses, fail);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!lines(backend, cache).equals(want) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(lines(backend, cache)).isEqualTo(want);
  }
}
