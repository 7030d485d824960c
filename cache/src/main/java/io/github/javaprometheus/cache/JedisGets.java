package io.github.javaprometheus.cache;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;

/**
 * The GET family of an existing Jedis client ({@code JedisPooled}, {@code JedisCluster}, any
 * {@link UnifiedJedis}), counted: each method runs the same command on the client and counts it as
 * {@link JedisCacheMetrics} describes. For a client built after the metrics, prefer {@link
 * JedisCacheMetrics#executor}, which counts every call of the client itself; this class is for a
 * client built elsewhere ({@link JedisCacheMetrics#meterClient} routes a client's get methods here).
 *
 * <pre>{@code
 * JedisGets sessions = JedisCacheMetrics.gets(jedisPooled, metrics, "sessions");
 * String user = sessions.get("user:1");
 * }</pre>
 */
public final class JedisGets {
  private final UnifiedJedis jedis;
  private final CacheCounters counters;

  JedisGets(UnifiedJedis jedis, CacheCounters counters) {
    this.jedis = jedis;
    this.counters = counters;
  }

  /** The client the commands run on. */
  public UnifiedJedis client() {
    return jedis;
  }

  /** {@code GET}: a value is a hit, nil a miss. */
  public String get(String key) {
    String value;
    try {
      value = jedis.get(key);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    single(counters, value);
    return value;
  }

  /** {@code GET} of a binary key. */
  public byte[] get(byte[] key) {
    byte[] value;
    try {
      value = jedis.get(key);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    single(counters, value);
    return value;
  }

  /** {@code GETEX}. */
  public String getEx(String key, GetExParams params) {
    String value;
    try {
      value = jedis.getEx(key, params);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    single(counters, value);
    return value;
  }

  /** {@code GETEX} of a binary key. */
  public byte[] getEx(byte[] key, GetExParams params) {
    byte[] value;
    try {
      value = jedis.getEx(key, params);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    single(counters, value);
    return value;
  }

  /** {@code GETDEL}. */
  public String getDel(String key) {
    String value;
    try {
      value = jedis.getDel(key);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    single(counters, value);
    return value;
  }

  /** {@code GETDEL} of a binary key. */
  public byte[] getDel(byte[] key) {
    byte[] value;
    try {
      value = jedis.getDel(key);
    } catch (RuntimeException | Error e) {
      counters.fail();
      throw e;
    }
    single(counters, value);
    return value;
  }

  /** {@code MGET}: each key is a get. */
  public List<String> mget(String... keys) {
    List<String> values;
    try {
      values = jedis.mget(keys);
    } catch (RuntimeException | Error e) {
      counters.failed(keys == null ? 1 : Math.max(1, keys.length));
      throw e;
    }
    bulk(counters, values);
    return values;
  }

  /** {@code MGET} of binary keys. */
  public List<byte[]> mget(byte[]... keys) {
    List<byte[]> values;
    try {
      values = jedis.mget(keys);
    } catch (RuntimeException | Error e) {
      counters.failed(keys == null ? 1 : Math.max(1, keys.length));
      throw e;
    }
    bulk(counters, values);
    return values;
  }

  // The counting rules, shared with MeteredJedisExecutor so both ways count alike.

  static void single(CacheCounters counters, Object value) {
    if (value != null) {
      counters.hit();
    } else {
      counters.miss();
    }
  }

  static void bulk(CacheCounters counters, Object values) {
    if (values instanceof List) {
      List<?> list = (List<?>) values;
      int hits = 0;
      for (int i = 0, n = list.size(); i < n; i++) {
        if (list.get(i) != null) {
          hits++;
        }
      }
      counters.bulk(hits, list.size() - hits);
    }
  }

  @Override
  public String toString() {
    return "JedisGets{" + counters + "}";
  }
}
