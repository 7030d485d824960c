package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lettuce against a real redis-server. */
class LettuceCacheMetricsIT {
  private RedisServer server;
  private final List<RedisClient> clients = new ArrayList<>();
  private Fixture f;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.started();
    f = new Fixture();
  }

  @AfterEach
  void stop() throws Exception {
    for (RedisClient c : clients) {
      c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    server.close();
  }

  private RedisClient client(boolean metered) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost(server.host())
                .withPort(server.port())
                .withTimeout(Duration.ofMillis(700))
                .build());
    clients.add(client);
    if (metered) {
      LettuceCacheMetrics.instrument(client, f.metrics, "sessions");
    }
    return client;
  }

  @Test
  void getFamilyCountsHitsAndMissesAndMgetCountsEachKey() throws Exception {
    StatefulRedisConnection<String, String> conn = client(true).connect();
    RedisCommands<String, String> redis = conn.sync();
    redis.set("a", "1");
    redis.set("b", "2");
    redis.set("c", "3");
    assertThat(redis.get("a")).isEqualTo("1");
    assertThat(redis.get("nope")).isNull();
    assertThat(redis.getex("b", GetExArgs.Builder.ex(60))).isEqualTo("2");
    assertThat(redis.getdel("c")).isEqualTo("3");
    assertThat(redis.getdel("c")).isNull();
    List<KeyValue<String, String>> values = redis.mget("a", "b", "x", "y");
    assertThat(values).extracting(KeyValue::hasValue).containsExactly(true, true, false, false);
    assertThat(conn.async().get("a").get(5, TimeUnit.SECONDS)).isEqualTo("1");
    assertThat(conn.reactive().get("a").block(Duration.ofSeconds(5))).isEqualTo("1");
    assertThat(conn.reactive().get("x").block(Duration.ofSeconds(5))).isNull();
    redis.del("a");
    redis.exists("b");
    // get a, getex b, getdel c, mget a b, async a, reactive a: 7 hits; nope, c, x, y, reactive x: 5 misses.
    f.awaitCounts("redis", "sessions", 12, 7, 5, 0);
  }

  @Test
  void anErrorReplyIsAFailureAndReachesTheCallerAsWithoutTheListener() throws Exception {
    RedisCommands<String, String> metered = client(true).connect().sync();
    RedisCommands<String, String> plain = client(false).connect().sync();
    plain.lpush("list", "x");
    Throwable withMetrics = catchThrowable(() -> metered.get("list"));
    Throwable without = catchThrowable(() -> plain.get("list"));
    assertThat(withMetrics).hasSameClassAs(without).hasMessage(without.getMessage());
    assertThat(withMetrics.getMessage()).startsWith("WRONGTYPE");
    f.awaitCounts("redis", "sessions", 1, 0, 0, 1);
  }

  @Test
  void aServerStoppedMidRunCountsFailuresAndTheCallerSeesWhatAPlainClientSees() throws Exception {
    RedisCommands<String, String> metered = client(true).connect().sync();
    RedisCommands<String, String> plain = client(false).connect().sync();
    metered.set("k", "v");
    assertThat(metered.get("k")).isEqualTo("v");
    assertThat(metered.mget("k", "z")).hasSize(2);
    f.awaitCounts("redis", "sessions", 3, 2, 1, 0);

    server.stop();
    Throwable withMetrics = catchThrowable(() -> metered.get("k"));
    Throwable without = catchThrowable(() -> plain.get("k"));
    assertThat(withMetrics).isNotNull().hasSameClassAs(without).hasMessage(without.getMessage());
    Throwable bulk = catchThrowable(() -> metered.mget("k", "z", "w"));
    assertThat(bulk).hasSameClassAs(without);
    f.awaitCounts("redis", "sessions", 3 + 1 + 3, 2, 1, 4);
  }

  @Test
  void eightThreadsOnOneConnectionAreCountedExactly() throws Exception {
    RedisCommands<String, String> redis = client(true).connect().sync();
    redis.set("present", "1");
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
                    redis.get(i % 2 == 0 ? "present" : "absent");
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
    f.awaitCounts("redis", "sessions", total, total / 2, total / 2, 0);
  }
}
