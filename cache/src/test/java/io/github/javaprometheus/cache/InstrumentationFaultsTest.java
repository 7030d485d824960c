package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.MetricStore;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A store that cannot be written and hostile cache names: every cache call answers as without the library. */
class InstrumentationFaultsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private static List<Object> exercise(Cache<String, String> cache) {
    List<Object> seen = new ArrayList<>();
    seen.add(cache.getIfPresent("k"));
    cache.put("k", "v");
    seen.add(cache.getIfPresent("k"));
    seen.add(cache.get("j", key -> key + "-loaded"));
    seen.add(cache.getAllPresent(List.of("k", "j", "missing")));
    return seen;
  }

  @Test
  void aStoreThatCannotBeWrittenChangesNoCacheCallAndEveryFailureIsCounted() {
    MetricFamilies families =
        MetricFamilies.create(
            PrometheusSettings.defaults(), registry, new UnwritableStore(MetricStore.inRegistry(registry)));
    Cache<String, String> cache =
        CaffeineCacheMetrics.wrap(Caffeine.newBuilder().<String, String>build(), CacheMetrics.create(families), "c");

    List<Object> seen = exercise(cache);

    assertThat(seen).isEqualTo(exercise(Caffeine.newBuilder().<String, String>build()));
    assertThat(seen).containsExactly(null, "v", "j-loaded", Map.of("k", "v", "j", "j-loaded"));
    // One per get whose counting failed: two getIfPresent, one get, one bulk get.
    assertThat(TextScrape.of(registry).value("java_instrumentation_errors_total{component=\"cache\"}"))
        .isEqualTo(4.0);
  }

  @Test
  void aHostileCacheNameIsExposedCutToMaxLengthAndValid() {
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    String name = "a\"b\\c\nd\uD800" + "e".repeat(100_000);
    Cache<String, String> cache =
        CaffeineCacheMetrics.wrap(Caffeine.newBuilder().<String, String>build(), CacheMetrics.create(families), name);

    assertThat(exercise(cache)).isEqualTo(exercise(Caffeine.newBuilder().<String, String>build()));

    String labels = "{backend=\"caffeine\",cache=\"a\\\"b\\\\c\\nd\uFFFD" + "e".repeat(256 - 8) + "\"}";
    TextScrape scrape = TextScrape.of(registry);
    // Hits: k, then k and j of the bulk get; misses: k, j (loaded), missing.
    assertThat(scrape.samplesStartingWith("java_cache_get_"))
        .containsExactlyInAnyOrder(
            "java_cache_get_fail_total" + labels + " 0.0",
            "java_cache_get_hits_total" + labels + " 3.0",
            "java_cache_get_misses_total" + labels + " 3.0",
            "java_cache_get_total" + labels + " 6.0");
    assertThat(scrape.value("java_instrumentation_errors_total{component=\"cache\"}")).isNull();
  }
}
