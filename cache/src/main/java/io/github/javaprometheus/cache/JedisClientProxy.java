package io.github.javaprometheus.cache;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Predicate;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;

/**
 * The {@link ClassKeepingProxy} of a Jedis client for {@link JedisCacheMetrics#meterClient}: its
 * GET-family methods go to {@link JedisGets}, every other public method to the client. Kept apart
 * from {@link JedisCacheMetrics} so that class needs no spring-core.
 */
final class JedisClientProxy {
  /**
   * Jedis's own public final methods ({@code UnifiedJedis.executeCommand}, {@code
   * broadcastCommand}, {@code JedisPooled.getPool}) cannot be overridden and are not usable on the
   * proxy; a final method of any other class makes the class unsafe to subclass.
   */
  private static final Predicate<Method> JEDIS_OWN =
      m -> m.getDeclaringClass().getName().startsWith("redis.clients.jedis.");

  private JedisClientProxy() {}

  /** An instance of {@code client}'s class counting its gets, or null when unsafe to subclass. */
  static <T extends UnifiedJedis> T create(T client, CacheMetrics metrics, String name) {
    if (!ClassKeepingProxy.subclassable(client.getClass(), JEDIS_OWN)) {
      return null;
    }
    JedisGets gets = JedisCacheMetrics.gets(client, metrics, name);
    return ClassKeepingProxy.create(
        client,
        JEDIS_OWN,
        Map.of(
            "get(java.lang.String)", (p, m, a, mp) -> gets.get((String) a[0]),
            "get([B)", (p, m, a, mp) -> gets.get((byte[]) a[0]),
            "getEx(java.lang.String,redis.clients.jedis.params.GetExParams)",
                (p, m, a, mp) -> gets.getEx((String) a[0], (GetExParams) a[1]),
            "getEx([B,redis.clients.jedis.params.GetExParams)",
                (p, m, a, mp) -> gets.getEx((byte[]) a[0], (GetExParams) a[1]),
            "getDel(java.lang.String)", (p, m, a, mp) -> gets.getDel((String) a[0]),
            "getDel([B)", (p, m, a, mp) -> gets.getDel((byte[]) a[0]),
            "mget([Ljava.lang.String;)", (p, m, a, mp) -> gets.mget((String[]) a[0]),
            "mget([[B)", (p, m, a, mp) -> gets.mget((byte[][]) a[0])));
  }
}
