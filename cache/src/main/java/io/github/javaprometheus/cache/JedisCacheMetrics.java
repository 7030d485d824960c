package io.github.javaprometheus.cache;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * Counts the GET family of a Jedis {@link UnifiedJedis}, backend {@code redis}: {@code GET},
 * {@code GETEX}, {@code GETDEL} (a value is a hit, nil a miss) and {@code MGET} (each key); an
 * exception (connection refused, timeout, error reply) is a failure and is re-thrown unchanged.
 * Two ways, counting alike:
 *
 * <ul>
 *   <li>a client you build: Jedis sends every command of a {@code UnifiedJedis} through its {@link
 *       CommandExecutor}; {@link #executor} and {@link #unifiedJedis} give it a counting one, so
 *       every call of the client is counted. Pipelines and transactions bypass the executor and
 *       are not counted.
 *   <li>a client built elsewhere, whose executor is fixed at construction: {@link #gets} runs its
 *       GET-family commands and counts them (Spring Boot routes a client bean's get methods there).
 * </ul>
 *
 * <pre>{@code
 * PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort(host, port));
 * UnifiedJedis jedis = JedisCacheMetrics.unifiedJedis(provider, metrics, "sessions");
 * // or: JedisPooled.builder().connectionProvider(provider)
 * //         .commandExecutor(JedisCacheMetrics.executor(new DefaultCommandExecutor(provider), metrics, "sessions"))
 * //         .build();
 * }</pre>
 */
public final class JedisCacheMetrics {
  static final String BACKEND = "redis";

  private JedisCacheMetrics() {}

  /** A {@code UnifiedJedis} over the provider whose gets are counted. */
  public static UnifiedJedis unifiedJedis(
      ConnectionProvider provider, CacheMetrics metrics, String name) {
    return new UnifiedJedis(
        executor(new DefaultCommandExecutor(provider), metrics, name),
        provider,
        new CommandObjects());
  }

  /** Counts the GET family of a client built elsewhere; see {@link JedisGets}. */
  public static JedisGets gets(UnifiedJedis jedis, CacheMetrics metrics, String name) {
    return new JedisGets(jedis, metrics.counters(BACKEND, name));
  }

  /** Wraps any executor (retrying, cluster, ...) for {@code new UnifiedJedis(executor, ...)}. */
  public static CommandExecutor executor(
      CommandExecutor delegate, CacheMetrics metrics, String name) {
    if (delegate instanceof Metered || !metrics.enabled()) {
      return delegate;
    }
    return new MeteredJedisExecutor(delegate, metrics.counters(BACKEND, name));
  }
}
