package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.providers.PooledConnectionProvider;

/** Jedis against a real redis-server. */
class JedisCacheMetricsIT {
  private RedisServer server;
  private final List<UnifiedJedis> clients = new ArrayList<>();
  private Fixture f;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.started();
    f = new Fixture();
  }

  @AfterEach
  void stop() throws Exception {
    for (UnifiedJedis c : clients) {
      c.close();
    }
    server.close();
  }

  private PooledConnectionProvider provider() {
    JedisClientConfig config =
        DefaultJedisClientConfig.builder().connectionTimeoutMillis(700).socketTimeoutMillis(700).build();
    return new PooledConnectionProvider(new HostAndPort(server.host(), server.port()), config);
  }

  private UnifiedJedis metered() {
    UnifiedJedis jedis = JedisCacheMetrics.unifiedJedis(provider(), f.metrics, "sessions");
    clients.add(jedis);
    return jedis;
  }

  private UnifiedJedis plain() {
    UnifiedJedis jedis = new UnifiedJedis(provider());
    clients.add(jedis);
    return jedis;
  }

  @Test
  void getFamilyCountsHitsAndMissesAndMgetCountsEachKey() throws Exception {
    UnifiedJedis jedis = metered();
    jedis.set("a", "1");
    jedis.set("b", "2");
    jedis.set("c", "3");
    assertThat(jedis.get("a")).isEqualTo("1");
    assertThat(jedis.get("nope")).isNull();
    assertThat(jedis.get("a".getBytes())).isEqualTo("1".getBytes());
    assertThat(jedis.getEx("b", GetExParams.getExParams().ex(60))).isEqualTo("2");
    assertThat(jedis.getDel("c")).isEqualTo("3");
    assertThat(jedis.getDel("c")).isNull();
    assertThat(jedis.mget("a", "b", "x", "y")).isEqualTo(Arrays.asList("1", "2", null, null));
    jedis.del("a");
    jedis.exists("b");
    // get a, get a (bytes), getEx b, getDel c, mget a b: 6 hits; nope, c, x, y: 4 misses.
    f.assertCounts("redis", "sessions", 10, 6, 4, 0);
  }

  @Test
  void aServerStoppedMidRunCountsFailuresAndTheCallerSeesWhatAPlainClientSees() throws Exception {
    UnifiedJedis metered = metered();
    UnifiedJedis plain = plain();
    metered.set("k", "v");
    assertThat(metered.get("k")).isEqualTo("v");
    assertThat(plain.get("k")).isEqualTo("v");
    f.assertCounts("redis", "sessions", 1, 1, 0, 0);

    server.stop();
    Throwable withMetrics = catchThrowable(() -> metered.get("k"));
    Throwable without = catchThrowable(() -> plain.get("k"));
    assertThat(withMetrics).isNotNull().hasSameClassAs(without).hasMessage(without.getMessage());
    Throwable bulk = catchThrowable(() -> metered.mget("k", "z", "w"));
    assertThat(bulk).isNotNull();
    f.assertCounts("redis", "sessions", 1 + 1 + 3, 1, 0, 4);
  }

  @Test
  void eightThreadsAreCountedExactly() throws Exception {
    UnifiedJedis jedis = metered();
    jedis.set("present", "1");
    int threads = 8;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    jedis.get(i % 2 == 0 ? "present" : "absent");
                  }
                }));
      }
      for (Future<?> d : done) {
        d.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = (long) threads * perThread;
    f.assertCounts("redis", "sessions", total, total / 2, total / 2, 0);
  }

  @Test
  void getsOfAClientBuiltElsewhereCountLikeTheExecutor() throws Exception {
    UnifiedJedis plain = plain();
    UnifiedJedis twin = plain();
    JedisGets gets = JedisCacheMetrics.gets(plain, f.metrics, "sessions");
    assertThat(gets.client()).isSameAs(plain);
    plain.set("a", "1");
    plain.set("b", "2");
    plain.set("c", "3");
    assertThat(gets.get("a")).isEqualTo("1");
    assertThat(gets.get("nope")).isNull();
    assertThat(gets.get("a".getBytes())).isEqualTo("1".getBytes());
    assertThat(gets.getEx("b", GetExParams.getExParams().ex(60))).isEqualTo("2");
    assertThat(gets.getEx("nope".getBytes(), GetExParams.getExParams().ex(60))).isNull();
    assertThat(gets.getDel("c")).isEqualTo("3");
    assertThat(gets.getDel("c".getBytes())).isNull();
    assertThat(gets.mget("a", "b", "x", "y")).isEqualTo(Arrays.asList("1", "2", null, null));
    assertThat(gets.mget("a".getBytes(), "x".getBytes())).hasSize(2);
    // hits: a, a, b, c, mget a b, mget a; misses: nope, nope, c, x, y, x.
    f.assertCounts("redis", "sessions", 13, 7, 6, 0);
    assertThat(twin.get("a")).isEqualTo("1");

    // The twin, a client in the same state (one pooled connection), shows what Jedis throws alone.
    server.stop();
    Throwable counted = catchThrowable(() -> gets.get("a"));
    Throwable without = catchThrowable(() -> twin.get("a"));
    assertThat(counted).isNotNull().hasSameClassAs(without).hasMessage(without.getMessage());
    assertThat(catchThrowable(() -> gets.mget("a", "b"))).isNotNull();
    f.assertCounts("redis", "sessions", 16, 7, 6, 3);
  }

  @Test
  void aJedisPooledBuiltElsewhereIsMeteredInItsOwnClassCountingItsGetsExactly() throws Exception {
    JedisPooled pooled = new JedisPooled(server.host(), server.port());
    clients.add(pooled);
    JedisPooled metered = JedisCacheMetrics.meterClient(pooled, f.metrics, "sessions");
    assertThat(metered).isInstanceOf(JedisPooled.class).isInstanceOf(Metered.class);
    assertThat(metered.getClass().getSuperclass()).isSameAs(JedisPooled.class);
    assertThat(JedisCacheMetrics.meterClient(metered, f.metrics, "sessions")).isSameAs(metered);

    // Every other method runs on the client itself.
    assertThat(metered.set("a", "1")).isEqualTo("OK");
    metered.set("b", "2");
    metered.set("c", "3");
    assertThat(metered.incr("n")).isEqualTo(1);
    assertThat(metered.exists("b")).isTrue();
    assertThat(metered.toString()).isEqualTo(pooled.toString());
    assertThat(pooled.get("n")).isEqualTo("1");
    f.assertCounts("redis", "sessions", 0, 0, 0, 0);

    assertThat(metered.get("a")).isEqualTo("1");
    assertThat(metered.get("nope")).isNull();
    assertThat(metered.get("a".getBytes())).isEqualTo("1".getBytes());
    assertThat(metered.getEx("b", GetExParams.getExParams().ex(60))).isEqualTo("2");
    assertThat(metered.getEx("nope".getBytes(), GetExParams.getExParams().ex(60))).isNull();
    assertThat(metered.getDel("c")).isEqualTo("3");
    assertThat(metered.getDel("c".getBytes())).isNull();
    assertThat(metered.mget("a", "b", "x", "y")).isEqualTo(Arrays.asList("1", "2", null, null));
    assertThat(metered.mget("a".getBytes(), "x".getBytes())).hasSize(2);
    assertThat(metered.del("a")).isEqualTo(1);
    // The client's own gets stay uncounted: only the metered instance counts.
    assertThat(pooled.get("b")).isEqualTo("2");
    // hits: a, a, b, c, mget a b, mget a; misses: nope, nope, c, x, y, x.
    assertThat(f.scrape().samplesStartingWith("java_cache_get"))
        .containsExactlyInAnyOrder(
            "java_cache_get_total{backend=\"redis\",cache=\"sessions\"} 13.0",
            "java_cache_get_hits_total{backend=\"redis\",cache=\"sessions\"} 7.0",
            "java_cache_get_misses_total{backend=\"redis\",cache=\"sessions\"} 6.0",
            "java_cache_get_fail_total{backend=\"redis\",cache=\"sessions\"} 0.0");

    // The server gone mid-run: the metered get throws what a client alone throws, and counts it.
    JedisPooled twin = new JedisPooled(server.host(), server.port());
    clients.add(twin);
    assertThat(twin.get("b")).isEqualTo("2");
    server.stop();
    Throwable counted = catchThrowable(() -> metered.get("b"));
    Throwable without = catchThrowable(() -> twin.get("b"));
    assertThat(counted).isNotNull().hasSameClassAs(without).hasMessage(without.getMessage());
    f.assertCounts("redis", "sessions", 14, 7, 6, 1);
  }

  @Test
  void anApplicationsOwnClientClassIsKeptWithItsOwnMethods() {
    JedisConfigured own = new JedisConfigured(server.host(), server.port());
    clients.add(own);
    JedisConfigured metered = JedisCacheMetrics.meterClient(own, f.metrics, "own");
    assertThat(metered).isInstanceOf(Metered.class).isNotSameAs(own);
    assertThat(metered.label()).isEqualTo("configured elsewhere");
    assertThat(metered.get("k")).isNull();
    f.assertCounts("redis", "own", 1, 0, 1, 0);
  }

  @Test
  void aClientClassThatCannotBeSubclassedSafelyGetsTheClientItselfAndNoSeries() {
    JedisPooled sealed = new SealedJedis(server.host(), server.port());
    JedisPooled ownFinal = new OwnFinalMethod(server.host(), server.port());
    clients.add(sealed);
    clients.add(ownFinal);
    assertThat(JedisCacheMetrics.meterClient(sealed, f.metrics, "sealed")).isSameAs(sealed);
    assertThat(JedisCacheMetrics.meterClient(ownFinal, f.metrics, "own")).isSameAs(ownFinal);
    assertThat(sealed.get("k")).isNull();
    assertThat(f.scrape().samplesStartingWith("java_cache_get")).isEmpty();
  }

  /** An application's own client class, configured before the metrics exist. */
  static class JedisConfigured extends JedisPooled {
    JedisConfigured(String host, int port) {
      super(host, port);
    }

    public String label() {
      return "configured elsewhere";
    }
  }

  static final class SealedJedis extends JedisPooled {
    SealedJedis(String host, int port) {
      super(host, port);
    }
  }

  /** A public final method would run on the proxy's empty fields: not proxied. */
  static class OwnFinalMethod extends JedisPooled {
    OwnFinalMethod(String host, int port) {
      super(host, port);
    }

    public final String own() {
      return "own";
    }
  }
}
