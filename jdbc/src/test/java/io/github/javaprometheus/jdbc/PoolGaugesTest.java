package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pool gauges live in the registry's state, which must never keep its registry: a registry
 * the application drops is collected with its pools, as a registry without pools is.
 */
class PoolGaugesTest {
  private static final long GC_DEADLINE_NANOS = 20_000_000_000L;

  /**
   * Statistics of a pool of {@code max} connections. As HikariCP's own (an inner class of the
   * pool, whose configuration holds the tracker factory), they lead back to the factory, and so
   * to the JdbcMetrics and the registry.
   */
  private static PoolStats stats(int max, MetricsTrackerFactory factory) {
    return new PoolStats(0) {
      @SuppressWarnings("unused") // held as HikariPool.this is held by Hikari's statistics
      private final MetricsTrackerFactory pool = factory;

      @Override
      protected void update() {
        maxConnections = max;
      }
    };
  }

  /** A registry with JDBC families and one pool reporting to them, scraped once, then dropped. */
  private static WeakReference<PrometheusRegistry> registryWithAPool(int i) {
    PrometheusRegistry registry = new PrometheusRegistry();
    JdbcMetrics jdbc =
        JdbcMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    PrometheusMetricsTrackerFactory factory =
        new PrometheusMetricsTrackerFactory(jdbc, "pool" + i, "sqlite");
    IMetricsTracker tracker = factory.create("pool" + i, stats(3, factory));
    tracker.recordConnectionAcquiredNanos(1_000);
    assertThat(
            TextScrape.of(registry)
                .value("java_db_pool_max_connections{alias=\"pool" + i + "\",vendor=\"sqlite\"}"))
        .isEqualTo(3.0);
    // The pool holds its tracker as Hikari's pool does; without this the JIT may drop the local
    // after its last use and the weakly held source with it before the scrape above.
    java.lang.ref.Reference.reachabilityFence(tracker);
    return new WeakReference<>(registry);
  }

  @Test
  void droppedRegistriesWithPoolsStillRegisteredAreCollected() throws InterruptedException {
    List<WeakReference<PrometheusRegistry>> dropped = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      dropped.add(registryWithAPool(i));
    }
    long deadline = System.nanoTime() + GC_DEADLINE_NANOS;
    while (alive(dropped) > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(alive(dropped)).as("registries still reachable after GC").isZero();
  }

  @Test
  void aPoolDroppedWithoutCloseLeavesTheGaugesWhenCollected() throws InterruptedException {
    TestMetrics metrics = new TestMetrics();
    PrometheusMetricsTrackerFactory factory =
        new PrometheusMetricsTrackerFactory(metrics.jdbc, "default", "sqlite");
    IMetricsTracker kept = factory.create("kept", stats(2, factory));
    factory.create("dropped", stats(5, factory)); // never closed, never referenced again
    PoolGauges gauges = metrics.jdbc.poolGauges();

    long deadline = System.nanoTime() + GC_DEADLINE_NANOS;
    while (gauges.size() > 1 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(gauges.size()).isEqualTo(1);
    assertThat(metrics.db("pool_max_connections", "default", "sqlite")).isEqualTo(2);
    kept.close();
    assertThat(gauges.size()).isZero();
    assertThat(metrics.scrape().samplesStartingWith("java_db_pool_max_connections")).isEmpty();
  }

  @Test
  void twoContextsOnOneRegistryShareTheGaugesAndSumPoolsOfOneDatabase() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JdbcMetrics first =
        JdbcMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    JdbcMetrics second =
        JdbcMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    PrometheusMetricsTrackerFactory a =
        new PrometheusMetricsTrackerFactory(first, "default", "postgresql");
    PrometheusMetricsTrackerFactory b =
        new PrometheusMetricsTrackerFactory(second, "default", "postgresql");
    IMetricsTracker one = a.create("one", stats(2, a));
    IMetricsTracker two = b.create("two", stats(3, b));

    assertThat(second.poolGauges()).isSameAs(first.poolGauges());
    String series = "java_db_pool_max_connections{alias=\"default\",vendor=\"postgresql\"}";
    assertThat(TextScrape.of(registry).samplesStartingWith("java_db_pool_max_connections"))
        .containsExactly(series + " 5.0");
    two.close();
    assertThat(TextScrape.of(registry).samplesStartingWith("java_db_pool_max_connections"))
        .containsExactly(series + " 2.0");
    one.close();
  }

  @Test
  void anotherPrefixHasGaugesOfItsOwnOnTheSameRegistry() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JdbcMetrics java =
        JdbcMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    PrometheusSettings djangoProfile =
        PrometheusSettings.builder().set("prometheus.profile", "django").build();
    JdbcMetrics django = JdbcMetrics.create(MetricFamilies.create(djangoProfile, registry));
    PrometheusMetricsTrackerFactory a = new PrometheusMetricsTrackerFactory(java, "a", "sqlite");
    PrometheusMetricsTrackerFactory b = new PrometheusMetricsTrackerFactory(django, "b", "sqlite");
    IMetricsTracker one = a.create("a", stats(2, a));
    IMetricsTracker two = b.create("b", stats(4, b));

    assertThat(django.poolGauges()).isNotSameAs(java.poolGauges());
    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.value("java_db_pool_max_connections{alias=\"a\",vendor=\"sqlite\"}"))
        .isEqualTo(2.0);
    assertThat(scrape.value("django_db_pool_max_connections{alias=\"b\",vendor=\"sqlite\"}"))
        .isEqualTo(4.0);
    one.close();
    two.close();
  }

  @Test
  void disabledFamiliesRegisterNoGauges() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JdbcMetrics off =
        JdbcMetrics.create(
            MetricFamilies.create(
                PrometheusSettings.builder().set("prometheus.enabled", "false").build(), registry));
    PrometheusMetricsTrackerFactory factory = new PrometheusMetricsTrackerFactory(off, "a", "x");
    IMetricsTracker tracker = factory.create("a", stats(2, factory));
    assertThat(TextScrape.of(registry).samples()).isEmpty();
    tracker.close();
  }

  private static int alive(List<WeakReference<PrometheusRegistry>> refs) {
    int n = 0;
    for (WeakReference<PrometheusRegistry> r : refs) {
      if (r.get() != null) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aPoolThatCannotReportIsLeftOutCountedAndTheScrapeSucceeds() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JdbcMetrics jdbc =
        JdbcMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    String hostile = "p\"o\\o\nl\uD800" + "x".repeat(100_000);
    PrometheusMetricsTrackerFactory good = new PrometheusMetricsTrackerFactory(jdbc, hostile, "sqlite");
    PrometheusMetricsTrackerFactory bad = new PrometheusMetricsTrackerFactory(jdbc, "broken", "sqlite");
    IMetricsTracker reporting = good.create("good", stats(4, good));
    IMetricsTracker failing =
        bad.create(
            "bad",
            new PoolStats(0) {
              @Override
              protected void update() {
                throw new IllegalStateException("pool is shutting down");
              }
            });

    TextScrape scrape = TextScrape.of(registry); // does not throw
    String alias = "p\\\"o\\\\o\\nl\uFFFD" + "x".repeat(256 - 8);
    assertThat(scrape.samplesStartingWith("java_db_pool_max_connections"))
        .containsExactly("java_db_pool_max_connections{alias=\"" + alias + "\",vendor=\"sqlite\"} 4.0");
    // One failure per gauge family read from the failing pool, in every scrape: five gauges.
    // (Where the error counter stands in a scrape relative to the gauges is the registry's order,
    // so the exact count is asserted between scrapes.)
    double before = scrape.valueOrZero("java_instrumentation_errors_total{component=\"jdbc\"}");
    for (int i = 1; i <= 3; i++) {
      assertThat(TextScrape.of(registry).value("java_instrumentation_errors_total{component=\"jdbc\"}"))
          .isEqualTo(before + 5 * i);
    }
    reporting.close();
    failing.close();
  }
}
