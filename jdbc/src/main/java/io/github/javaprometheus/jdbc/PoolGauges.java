package io.github.javaprometheus.jdbc;

import io.github.javaprometheus.core.InstrumentationErrors;
import io.github.javaprometheus.core.LabelValues;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.RegistryState;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * The pool gauges ({@code <p>_db_pool_*_connections}, {@code <p>_db_pool_pending_threads}): read
 * from every live pool at scrape time, no background thread. Registered once per registry and
 * prefix, so a second application context in the JVM adds its pools to the same families. Pools
 * with the same alias and vendor (two contexts, a restart) are summed into one series.
 *
 * <p>Kept in the registry's {@link RegistryState}, so it must not lead back to the registry: it
 * holds the error counter and the pools, and the pools only weakly. A pool refers to its
 * registry (HikariCP's statistics lead to the pool, its configuration, our tracker factory and its
 * {@link JdbcMetrics}); held strongly here, every registry that ever had a pool would stay. A
 * running pool keeps its own tracker, and so its entry; a closed one {@linkplain #remove leaves};
 * one dropped without being closed leaves when it is collected.
 */
final class PoolGauges {
  /** What a pool reports; HikariCP's {@code PoolStats} in practice. */
  interface Source {
    String alias();

    String vendor();

    int active();

    int idle();

    int pending();

    int max();

    int min();
  }

  private final InstrumentationErrors errors;
  private final List<WeakReference<Source>> pools = new CopyOnWriteArrayList<>();

  private PoolGauges(InstrumentationErrors errors) {
    this.errors = errors;
  }

  /** The gauges of the registry and prefix of {@code families}, registered at the first call. */
  static PoolGauges of(MetricFamilies families) {
    if (!families.enabled()) {
      return new PoolGauges(families.errors()); // detached: read by no one, registered nowhere
    }
    PrometheusRegistry registry = families.registry();
    // One set of gauges per prefix: a namespace or the django profile gives other names.
    List<String> key = List.of(PoolGauges.class.getName(), families.name("db_pool"));
    return RegistryState.of(registry)
        .computeIfAbsent(
            key,
            PoolGauges.class,
            () -> {
              PoolGauges created = new PoolGauges(families.errors());
              created.register(families, registry);
              return created;
            });
  }

  void add(Source pool) {
    pools.add(new WeakReference<>(pool));
  }

  void remove(Source pool) {
    pools.removeIf(ref -> ref.get() == pool);
  }

  /** Pools currently reported; for tests. */
  int size() {
    pools.removeIf(ref -> ref.get() == null);
    return pools.size();
  }

  private void register(MetricFamilies families, PrometheusRegistry registry) {
    gauge(
        families,
        registry,
        "db_pool_active_connections",
        "Connections in use, by database and vendor.",
        Source::active);
    gauge(
        families,
        registry,
        "db_pool_idle_connections",
        "Idle connections in the pool, by database and vendor.",
        Source::idle);
    gauge(
        families,
        registry,
        "db_pool_pending_threads",
        "Threads waiting for a connection from the pool, by database and vendor.",
        Source::pending);
    gauge(
        families,
        registry,
        "db_pool_max_connections",
        "Maximum size of the pool, by database and vendor.",
        Source::max);
    gauge(
        families,
        registry,
        "db_pool_min_connections",
        "Minimum number of idle connections the pool keeps, by database and vendor.",
        Source::min);
  }

  // The callback is held by the registry and refers to this object only: nothing here reaches
  // the families or the registry.
  private void gauge(
      MetricFamilies families,
      PrometheusRegistry registry,
      String suffix,
      String help,
      ToIntFunction<Source> value) {
    GaugeWithCallback.builder()
        .name(families.name(suffix))
        .help(help)
        .labelNames("alias", "vendor")
        .callback(
            callback -> {
              Map<List<String>, Integer> sums = new LinkedHashMap<>();
              for (WeakReference<Source> ref : pools) {
                Source pool = ref.get();
                if (pool == null) {
                  pools.remove(ref); // collected without close(): gone from the gauges
                  continue;
                }
                try {
                  sums.merge(
                      List.of(LabelValues.clean(pool.alias()), LabelValues.clean(pool.vendor())),
                      value.applyAsInt(pool),
                      Integer::sum);
                } catch (RuntimeException e) {
                  // A pool that cannot report is left out of this scrape, never fails it.
                  errors.record("jdbc", e);
                }
              }
              for (Map.Entry<List<String>, Integer> e : sums.entrySet()) {
                callback.call(e.getValue(), e.getKey().get(0), e.getKey().get(1));
              }
            })
        .register(registry);
  }
}
