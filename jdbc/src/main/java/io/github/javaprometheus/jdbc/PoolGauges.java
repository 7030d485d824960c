package io.github.javaprometheus.jdbc;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * The pool gauges ({@code <p>_db_pool_*_connections}, {@code <p>_db_pool_pending_threads}): read
 * from every live pool at scrape time, no background thread. Registered once per registry and
 * prefix, so a second application context in the JVM adds its pools to the same families. Pools
 * with the same alias and vendor (two contexts, a restart) are summed into one series.
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

  private static final Map<PrometheusRegistry, Map<String, PoolGauges>> BY_REGISTRY =
      new WeakHashMap<>();

  private final JdbcMetrics metrics;
  private final List<Source> pools = new CopyOnWriteArrayList<>();

  private PoolGauges(JdbcMetrics metrics) {
    this.metrics = metrics;
  }

  static PoolGauges of(JdbcMetrics metrics) {
    PrometheusRegistry registry = metrics.families().registry();
    String first = metrics.families().name("db_pool_active_connections");
    synchronized (BY_REGISTRY) {
      Map<String, PoolGauges> byName = BY_REGISTRY.computeIfAbsent(registry, r -> new HashMap<>());
      PoolGauges existing = byName.get(first);
      if (existing != null) {
        return existing;
      }
      PoolGauges created = new PoolGauges(metrics);
      created.register(registry);
      byName.put(first, created);
      return created;
    }
  }

  void add(Source pool) {
    pools.add(pool);
  }

  void remove(Source pool) {
    pools.remove(pool);
  }

  private void register(PrometheusRegistry registry) {
    gauge(
        registry,
        "db_pool_active_connections",
        "Connections in use, by database and vendor.",
        Source::active);
    gauge(
        registry,
        "db_pool_idle_connections",
        "Idle connections in the pool, by database and vendor.",
        Source::idle);
    gauge(
        registry,
        "db_pool_pending_threads",
        "Threads waiting for a connection from the pool, by database and vendor.",
        Source::pending);
    gauge(
        registry,
        "db_pool_max_connections",
        "Maximum size of the pool, by database and vendor.",
        Source::max);
    gauge(
        registry,
        "db_pool_min_connections",
        "Minimum number of idle connections the pool keeps, by database and vendor.",
        Source::min);
  }

  private void gauge(
      PrometheusRegistry registry, String suffix, String help, ToIntFunction<Source> value) {
    GaugeWithCallback.builder()
        .name(metrics.families().name(suffix))
        .help(help)
        .labelNames("alias", "vendor")
        .callback(
            callback -> {
              Map<List<String>, Integer> sums = new LinkedHashMap<>();
              for (Source pool : pools) {
                try {
                  sums.merge(
                      List.of(pool.alias(), pool.vendor()), value.applyAsInt(pool), Integer::sum);
                } catch (RuntimeException e) {
                  // A pool that cannot report is left out of this scrape, never fails it.
                  metrics.failed(e);
                }
              }
              for (Map.Entry<List<String>, Integer> e : sums.entrySet()) {
                callback.call(e.getValue(), e.getKey().get(0), e.getKey().get(1));
              }
            })
        .register(registry);
  }
}
