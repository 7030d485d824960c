package io.github.javaprometheus.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.javaprometheus.cache.CacheMetrics;
import io.github.javaprometheus.cache.CaffeineCacheMetrics;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DESIGN §8 R4: the cost of the cache wrapper on a Caffeine hit, side by side in one run. Every
 * variant reads present keys (1024 of them, in turn) from the same kind of Caffeine cache:
 *
 * <ul>
 *   <li>{@code caffeine}: the plain cache, the baseline;
 *   <li>{@code caffeine-recordStats}: Caffeine with {@code recordStats()}, what Spring Boot
 *       Actuator's Micrometer cache metrics rely on, for reference;
 *   <li>{@code micrometer}: the same cache bound by Micrometer's {@code CaffeineCacheMetrics} to a
 *       {@code PrometheusMeterRegistry}, as Actuator does (its meters read Caffeine's statistics
 *       when scraped, so a hit costs what {@code recordStats} costs);
 *   <li>{@code java-prometheus}: the plain cache behind {@link CaffeineCacheMetrics#wrap}, on a
 *       fresh {@code PrometheusRegistry} (java profile: labels {@code backend}, {@code cache}).
 * </ul>
 *
 * <p>{@code op=getIfPresent} is a lookup; {@code op=get} is {@code get(key, mappingFunction)}, the
 * compute-if-absent form (the wrapper passes its own function to learn whether the get missed).
 * At the end of each trial the wrapper's exposition must show exactly one get and one hit per
 * operation (Caffeine's statistics one hit per operation, for the variants that keep them), or the
 * run fails.
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CacheBenchmark -prof gc -f 1 -wi 3 -i 5 -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheBenchmark {
  private static final int SIZE = 1024;
  private static final int MASK = SIZE - 1;
  private static final Function<Integer, Integer> LOADER = k -> k;

  @Param({"caffeine", "caffeine-recordStats", "micrometer", "java-prometheus"})
  public String variant;

  @Param({"getIfPresent", "get"})
  public String op;

  private Cache<Integer, Integer> cache;
  private Cache<Integer, Integer> withStats;
  private PrometheusRegistry registry;
  private final Integer[] keys = new Integer[SIZE];
  private int index;
  private long operations;
  private boolean compute;

  @Setup(Level.Trial)
  public void setUp() {
    compute = op.equals("get");
    Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(2L * SIZE);
    if (variant.equals("caffeine-recordStats") || variant.equals("micrometer")) {
      builder.recordStats();
    }
    Cache<Integer, Integer> plain = builder.build();
    for (int i = 0; i < SIZE; i++) {
      keys[i] = i;
      plain.put(keys[i], i);
    }
    if (variant.equals("java-prometheus")) {
      registry = new PrometheusRegistry();
      CacheMetrics metrics =
          CacheMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));
      cache = CaffeineCacheMetrics.wrap(plain, metrics, "bench");
    } else if (variant.equals("micrometer")) {
      cache =
          io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), plain, "bench");
    } else {
      cache = plain;
    }
    if (!variant.equals("caffeine") && !variant.equals("java-prometheus")) {
      withStats = plain;
    }
  }

  @Benchmark
  public Integer hit() {
    operations++;
    Integer key = keys[index++ & MASK];
    return compute ? cache.get(key, LOADER) : cache.getIfPresent(key);
  }

  /** Fails the trial when the wrapper did not count every operation as a hit. */
  @TearDown(Level.Trial)
  public void verifyEveryGetWasCounted() {
    if (withStats != null) {
      long hits = withStats.stats().hitCount();
      if (operations == 0 || hits != operations || withStats.stats().missCount() != 0) {
        throw new IllegalStateException(
            "Caffeine recorded " + hits + " hits of " + operations + " operations");
      }
    }
    if (registry == null) {
      return;
    }
    TextScrape s = TextScrape.of(registry);
    double hits = s.valueOrZero("java_cache_get_hits_total{backend=\"caffeine\",cache=\"bench\"}");
    double gets = s.valueOrZero("java_cache_get_total{backend=\"caffeine\",cache=\"bench\"}");
    if (operations == 0 || hits != operations || gets != operations) {
      throw new IllegalStateException(
          "recorded " + gets + " gets, " + hits + " hits of " + operations + " operations");
    }
  }
}
