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
 *   <li>a client built elsewhere, whose executor is fixed at construction: {@link #meterClient}
 *       gives an instance of the client's own class ({@code JedisPooled} stays a {@code
 *       JedisPooled}) whose GET-family methods are counted; {@link #gets} runs the GET-family
 *       commands of the client and counts them, without generating a class. Spring Boot meters
 *       {@code UnifiedJedis} beans with {@link #meterClient}.
 * </ul>
 *
 * <pre>{@code
 * PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort(host, port));
 * UnifiedJedis jedis = JedisCacheMetrics.unifiedJedis(provider, metrics, "sessions");
 * // or: JedisPooled.builder().connectionProvider(provider)
 * //         .commandExecutor(JedisCacheMetrics.executor(new DefaultCommandExecutor(provider), metrics, "sessions"))
 * //         .build();
 *
 * JedisPooled pooled = JedisCacheMetrics.meterClient(builtElsewhere, metrics, "sessions");
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

  /**
   * Meters a client built elsewhere, keeping its class: an instance of {@code client}'s own class
   * (a generated subclass, {@link Metered}, constructed without running its constructor, so no
   * second pool is opened) whose {@code get}, {@code getEx}, {@code getDel} and {@code mget}, of
   * {@code String} and {@code byte[]} keys, are counted as {@link JedisGets} counts them, and whose
   * every other public method runs on {@code client} itself ({@code set}, {@code del}, {@code
   * close}, ...). Jedis's own final methods ({@code executeCommand}, {@code broadcastCommand},
   * {@code JedisPooled.getPool}) cannot be overridden: call them on {@code client}.
   *
   * <p>Returns {@code client} itself, unchanged and uncounted, when metrics are disabled ({@link
   * CacheMetrics#enabled()}), when it is already {@link Metered}, and when its class cannot be
   * subclassed safely (final, anonymous, or with a public final method other than Jedis's own);
   * also when the class cannot be generated (no spring-core on the class path, class loader
   * limits), the failure then counted in {@code
   * <p>_instrumentation_errors_total{component="cache"}}. Not for a client whose executor already
   * counts ({@link #unifiedJedis}, {@link #executor}): its gets would count twice.
   */
  public static <T extends UnifiedJedis> T meterClient(
      T client, CacheMetrics metrics, String name) {
    if (client instanceof Metered || !metrics.enabled()) {
      return client;
    }
    try {
      T sameClass = JedisClientProxy.create(client, metrics, name);
      return sameClass != null ? sameClass : client;
    } catch (RuntimeException | LinkageError e) {
      metrics.errors().record(CacheMetrics.COMPONENT, e);
      return client;
    }
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
