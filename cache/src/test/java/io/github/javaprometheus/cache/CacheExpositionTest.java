package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.BoundedChild;
import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.MetricStore;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code <p>_cache_get_total} is the sum of hits, misses and failures, computed when scraped, so a
 * get is one write. Its exposition must be what the four separately incremented counters gave: the
 * reference below records the way the module did before (a get counter incremented with every
 * outcome, through the same families and bounded children), and every scrape is compared byte for
 * byte, whole (every family of the registry, in order, with HELP and TYPE).
 */
class CacheExpositionTest {

  /** The same gets on our families and on the reference. */
  private static void workload(Function<String[], Recorder> cache) {
    Recorder users = cache.apply(new String[] {"redis", "users"});
    users.record(2, 1, 1);
    users.record(3, 2, 0); // a bulk get
    users.record(0, 0, 4); // a failed bulk get
    cache.apply(new String[] {"redis", "sessions"}).record(0, 1, 0);
    cache.apply(new String[] {"memcached", "users"}).record(0, 0, 1);
    cache.apply(new String[] {"caffeine", "never-used"}); // children at 0, as from start-up
    cache.apply(new String[] {"caffeine", "c"}).record(1, 1, 0);
    cache.apply(new String[] {"caffeine", "d"}).record(5, 0, 0);
  }

  /** What one cache's counters do for {@code hits}, {@code misses}, {@code fails} gets. */
  interface Recorder {
    void record(int hits, int misses, int fails);
  }

  private static Recorder ours(CacheMetrics metrics, String[] cache) {
    CacheCounters c = metrics.counters(cache[0], cache[1]);
    return (h, m, x) -> {
      for (int i = 0; i < h; i++) {
        c.hit();
      }
      for (int i = 0; i < m; i++) {
        c.miss();
      }
      for (int i = 0; i < x; i++) {
        c.fail();
      }
    };
  }

  /** The module's families as they were: four counters, the get incremented with each outcome. */
  private static final class Reference {
    final BoundedFamily<CounterDataPoint> gets;
    final BoundedFamily<CounterDataPoint> hits;
    final BoundedFamily<CounterDataPoint> misses;
    final BoundedFamily<CounterDataPoint> fails;
    final boolean withCache;

    Reference(MetricFamilies f) {
      withCache = !f.settings().profile().isDjango();
      String[] labels = withCache ? new String[] {"backend", "cache"} : new String[] {"backend"};
      gets = f.counter("cache_get", "Total get requests on cache", labels);
      hits = f.counter("cache_get_hits", "Total hits on cache", labels);
      misses = f.counter("cache_get_misses", "Total misses on cache", labels);
      fails = f.counter("cache_get_fail", "Total get request failures by cache", labels);
    }

    Recorder cache(String[] cache) {
      String[] labels = withCache ? cache : new String[] {cache[0]};
      BoundedChild<CounterDataPoint> g = gets.child(labels);
      BoundedChild<CounterDataPoint> h = hits.child(labels);
      BoundedChild<CounterDataPoint> m = misses.child(labels);
      BoundedChild<CounterDataPoint> x = fails.child(labels);
      return (hs, ms, xs) -> {
        for (int i = 0; i < hs; i++) {
          g.get().inc();
          h.get().inc();
        }
        for (int i = 0; i < ms; i++) {
          g.get().inc();
          m.get().inc();
        }
        for (int i = 0; i < xs; i++) {
          g.get().inc();
          x.get().inc();
        }
      };
    }
  }

  private static String text(MetricSnapshots s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, s);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String openMetrics(MetricSnapshots s, boolean created) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(created).build().write(out, s);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void assertSameExposition(PrometheusSettings settings) throws IOException {
    PrometheusRegistry ourRegistry = new PrometheusRegistry();
    CacheMetrics metrics = CacheMetrics.create(MetricFamilies.create(settings, ourRegistry));
    PrometheusRegistry referenceRegistry = new PrometheusRegistry();
    Reference reference = new Reference(MetricFamilies.create(settings, referenceRegistry));
    workload(cache -> ours(metrics, cache));
    workload(reference::cache);

    MetricSnapshots ourScrape = ourRegistry.scrape();
    MetricSnapshots referenceScrape = referenceRegistry.scrape();
    assertThat(text(ourScrape)).isEqualTo(text(referenceScrape));
    assertThat(openMetrics(ourScrape, false)).isEqualTo(openMetrics(referenceScrape, false));
    // With created timestamps: the same lines, the values being when each registry made its
    // children (the sum's is the earliest of its parts', made beside where the get counter was).
    assertThat(maskCreated(openMetrics(ourScrape, true)))
        .isEqualTo(maskCreated(openMetrics(referenceScrape, true)));
  }

  private static final Pattern CREATED = Pattern.compile("(?m)^(\\S+_created\\{[^}]*\\}) \\S+$");

  private static String maskCreated(String exposition) {
    Matcher m = CREATED.matcher(exposition);
    assertThat(m.find()).as("created timestamps in %s", exposition).isTrue();
    return m.replaceAll("$1 <created>");
  }

  @Test
  void theSumIsExposedExactlyAsTheGetCounterWasInTheJavaProfile() throws IOException {
    assertSameExposition(PrometheusSettings.defaults());
  }

  @Test
  void theSumIsExposedExactlyAsTheGetCounterWasInTheDjangoProfile() throws IOException {
    assertSameExposition(PrometheusSettings.builder().set("prometheus.profile", "django").build());
  }

  @Test
  void pastMaxLabelValuesTheSumOverflowsAndCountsEachUseAsTheGetCounterDid() throws IOException {
    // Three caches fit; "c" and "d" go to other, and label_overflow_total{family=java_cache_get}
    // counts each of their gets, as it did.
    assertSameExposition(
        PrometheusSettings.builder()
            .set("prometheus.max-label-values", "3")
            .set("prometheus.metric-namespace", "shop")
            .build());
  }

  @Test
  void theSumsCreatedTimestampIsItsPartsEarliest() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    CacheMetrics metrics =
        CacheMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
    metrics.counters("redis", "users").hit();
    String om = openMetrics(registry.scrape(), true);
    String labels = "{backend=\"redis\",cache=\"users\"}";
    assertThat(created(om, "java_cache_get_created" + labels))
        .isEqualTo(created(om, "java_cache_get_hits_created" + labels));
  }

  private static String created(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ")) {
        return line.substring(series.length() + 1);
      }
    }
    throw new AssertionError(series + " not in " + exposition);
  }

  @Test
  void inAStoreThatKeepsEveryValueItselfTheGetIsACounterOfItsOwn() throws IOException {
    // A store other than the registry's (as the multiprocess files are) gets an ordinary get
    // counter, incremented with each outcome: the exposition is the same.
    PrometheusSettings settings = PrometheusSettings.defaults();
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies families =
        MetricFamilies.create(settings, registry, new Delegating(MetricStore.inRegistry(registry)));
    CacheMetrics metrics = CacheMetrics.create(families);
    assertThat(metrics.gets.isSum()).isFalse();
    PrometheusRegistry referenceRegistry = new PrometheusRegistry();
    Reference reference = new Reference(MetricFamilies.create(settings, referenceRegistry));
    workload(cache -> ours(metrics, cache));
    workload(reference::cache);
    assertThat(text(registry.scrape())).isEqualTo(text(referenceRegistry.scrape()));
  }

  @Test
  void inTheRegistryTheGetFamilyIsTheSumOfTheOutcomes() {
    Fixture f = new Fixture();
    assertThat(f.metrics.gets.isSum()).isTrue();
    CacheCounters c = f.metrics.counters("caffeine", "x");
    c.hit();
    c.miss();
    c.fail();
    c.bulk(2, 3);
    f.assertCounts("caffeine", "x", 8, 3, 4, 1);
    assertThat(f.scrape().value("java_instrumentation_errors_total{component=\"cache\"}")).isNull();
  }

  /** A store that is not the registry store, though its values are the registry's. */
  private static final class Delegating implements MetricStore {
    private final MetricStore delegate;

    Delegating(MetricStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Family<CounterDataPoint> counter(String name, String help, String[] labelNames) {
      return delegate.counter(name, help, labelNames);
    }

    @Override
    public Family<DistributionDataPoint> histogram(
        String name,
        String help,
        double[] upperBounds,
        boolean nativeHistograms,
        String[] labelNames) {
      return delegate.histogram(name, help, upperBounds, nativeHistograms, labelNames);
    }

    @Override
    public Family<GaugeDataPoint> gauge(
        String name, String help, io.github.javaprometheus.core.GaugeMode mode, String[] labelNames) {
      return delegate.gauge(name, help, mode, labelNames);
    }
  }
}
