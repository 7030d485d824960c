package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.PrometheusSettings;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {

  @Test
  void javaProfileLabelsEverySeriesWithBackendAndCache() {
    Fixture f = new Fixture();
    CacheCounters users = f.metrics.counters("redis", "users");
    users.hit();
    users.hit();
    users.miss();
    users.fail();
    users.bulk(3, 2);
    users.failed(4);
    f.assertCounts("redis", "users", 2 + 1 + 1 + 5 + 4, 5, 3, 5);
    assertThat(f.scrape().text())
        .contains("# HELP java_cache_get_total Total get requests on cache\n")
        .contains("# TYPE java_cache_get_total counter\n")
        .contains("# HELP java_cache_get_hits_total Total hits on cache\n")
        .contains("# HELP java_cache_get_misses_total Total misses on cache\n")
        .contains("# HELP java_cache_get_fail_total Total get request failures by cache\n");
  }

  @Test
  void djangoProfileExposesDjangoPrometheusSeriesWithOnlyTheBackendLabel() {
    Fixture f = new Fixture("django");
    f.metrics.counters("redis", "users").hit();
    f.metrics.counters("redis", "sessions").miss();
    f.metrics.counters("memcached", "users").fail();
    assertThat(f.scrape().samplesStartingWith("django_cache_"))
        .containsExactlyInAnyOrder(
            "django_cache_get_total{backend=\"redis\"} 2.0",
            "django_cache_get_hits_total{backend=\"redis\"} 1.0",
            "django_cache_get_misses_total{backend=\"redis\"} 1.0",
            "django_cache_get_fail_total{backend=\"redis\"} 0.0",
            "django_cache_get_total{backend=\"memcached\"} 1.0",
            "django_cache_get_hits_total{backend=\"memcached\"} 0.0",
            "django_cache_get_misses_total{backend=\"memcached\"} 0.0",
            "django_cache_get_fail_total{backend=\"memcached\"} 1.0");
    assertThat(f.scrape().text())
        .contains("# HELP django_cache_get_total Total get requests on cache\n")
        .contains("# HELP django_cache_get_fail_total Total get request failures by cache\n");
    assertThat(f.metrics.counters("redis", "a")).isSameAs(f.metrics.counters("redis", "b"));
  }

  @Test
  void theSameCacheAlwaysGetsTheSameCountersAndANamespaceGoesInFront() {
    Fixture f =
        new Fixture(
            PrometheusSettings.builder().set("prometheus.metric-namespace", "shop").build());
    assertThat(f.metrics.counters("caffeine", "x")).isSameAs(f.metrics.counters("caffeine", "x"));
    f.metrics.counters("caffeine", "x").hit();
    assertThat(f.scrape().value("shop_java_cache_get_hits_total{backend=\"caffeine\",cache=\"x\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void cachesPastMaxLabelValuesAreCountedUnderOtherAndEachObservationIsAnOverflow() {
    Fixture f =
        new Fixture(PrometheusSettings.builder().set("prometheus.max-label-values", "2").build());
    f.metrics.counters("caffeine", "a").hit();
    f.metrics.counters("caffeine", "b").hit();
    CacheCounters third = f.metrics.counters("caffeine", "c");
    third.hit();
    third.miss();
    f.assertCounts("other", "other", 2, 1, 1, 0);
    f.assertCounts("caffeine", "a", 1, 1, 0, 0);
    // One per observation (two gets of "c"); resolving its children counts nothing, as in every
    // module.
    assertThat(f.scrape().value("java_label_overflow_total{family=\"java_cache_get\"}"))
        .isEqualTo(2.0);
  }
}
